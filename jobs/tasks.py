"""Celery tasks of the jobs app. Thin: a name and a day in, ``jobs.runner.job_run`` (STYLE.md).

``acks_late`` with ``reject_on_worker_lost``: a task whose worker dies mid-run goes back to the queue
and runs again (the job rolled back, so nothing is half done). A database that is briefly away is
retried with backoff.
"""

import datetime as dt

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .models import JobTrigger


@shared_task(
    name="jobs.run",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    max_retries=5,
)
def run(self, name: str, day: str | None = None) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Run job ``name`` (``jobs.runner.JOBS``) as of ``day`` (ISO date; default today, Europe/Amsterdam)
    as the scheduled run; returns its counts."""
    from .runner import job_run

    as_of = dt.date.fromisoformat(day) if day else None
    job = job_run(name, day=as_of, trigger=JobTrigger.PLANNING, task_id=self.request.id or "")
    return dict(job.counts)


@shared_task(name="jobs.outbox_flush", acks_late=True)
def outbox_flush() -> int:
    """Hand the tasks kept while the broker was down to the broker again (``jobs.outbox.flush``)."""
    from .outbox import flush

    return flush()


@shared_task(name="jobs.notifications_email", acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def notifications_email(run_id: int) -> int:
    """E-mail the not yet e-mailed notifications of run ``run_id`` (``jobs.notify.notifications_email``);
    idempotent: each notification is e-mailed once. Returns how many e-mails were sent."""
    from .notify import notifications_email as send

    return send(run_id)
