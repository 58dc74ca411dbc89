"""Tell people there is new work: an in-app notification per user per run, and an e-mail (issue #5).

Neither holds personal data: "3 nieuwe signalen: uitstroomtoets" and a link to the worklist, where the
selectors decide what the reader sees. E-mails are sent after the job's transaction commits, by the task
``jobs.notifications_email`` (``jobs.outbox.enqueue``: kept when the broker is down).
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

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

    One e-mail per user (Dutch, plain text with an HTML alternative, ``templates/jobs/notification_email*``):
    the counts and kinds and the absolute link ``settings.PGA_BASE_URL`` + the werklijst — no names, no
    case ids, nothing about any person (issue #5). Each user's notifications are locked, sent and marked
    ``emailed_at`` in one transaction, so a second call (a retried or redelivered task) sends nothing
    again, and two workers never send the same one. Inactive users and users without an e-mail address
    are skipped (their notifications stay in the app). A mail server error (``OSError``/``SMTPException``)
    propagates after the users before it were marked; the task retries the rest.
    """
    pending = Notification.objects.filter(job_run_id=run_id, emailed_at__isnull=True, user__is_active=True)
    user_ids = list(pending.exclude(user__email="").values_list("user_id", flat=True).distinct().order_by("user_id"))
    return sum(_email_user(run_id, user_id) for user_id in user_ids)


def _email_user(run_id: int, user_id: int) -> int:
    """Send one user's e-mail for run ``run_id``; 1 when sent, 0 when another worker had it already."""
    with transaction.atomic():
        rows = Notification.objects.select_for_update(of=("self",), skip_locked=True).select_related("user", "job_run")
        notifications = list(rows.filter(job_run_id=run_id, user_id=user_id, emailed_at__isnull=True).order_by("kind"))
        if not notifications:
            return 0
        _message(notifications).send()
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())
    return 1


def _message(notifications: list[Notification]) -> EmailMultiAlternatives:
    """The e-mail about ``notifications`` (one user's, one run's): only counts, kinds and the link."""
    run = notifications[0].job_run
    context = {
        "items": [{"label": n.get_kind_display(), "count": n.count} for n in notifications],
        "total": sum(n.count for n in notifications),
        "day": run.as_of if run is not None else timezone.localdate(),
        "worklist_url": settings.PGA_BASE_URL.rstrip("/") + reverse("worklist"),
    }
    subject = " ".join(render_to_string("jobs/notification_email_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("jobs/notification_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notifications[0].user.email],
    )
    message.attach_alternative(render_to_string("jobs/notification_email.html", context), "text/html")
    return message
