"""Tell people there is new work: an in-app notification per user per run, and an e-mail (issue #5).

Neither holds personal data: "3 nieuwe signalen: uitstroomtoets" and a link to the worklist, where the
selectors decide what the reader sees. E-mails are sent after the job's transaction commits, by the task
``jobs.notifications_email`` (``jobs.outbox.enqueue``: kept when the broker is down).
"""

from collections.abc import Mapping
from typing import Any

from .models import JobRun, Notification


def notifications_create(run: JobRun, counts: Mapping[Any, int]) -> int:
    """One ``Notification`` of kind ``run.job`` per user id in ``counts`` (``{user id: new items}``),
    idempotent per run; then the e-mails. Returns how many were created."""
    rows = [Notification(user_id=user_id, kind=run.job, count=count, job_run=run) for user_id, count in counts.items() if user_id]
    created = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        from .outbox import enqueue
        from .tasks import notifications_email

        enqueue(notifications_email, run.pk)
    return len(created)


def notifications_email(run_id: int) -> int:
    """E-mail each user with a not yet e-mailed notification of run ``run_id``; returns how many were sent.

    TODO(issue #5, worklist): the message text and template.
    """
    raise NotImplementedError
