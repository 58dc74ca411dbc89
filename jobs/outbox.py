"""Hand work to Celery after the transaction commits, and keep it when Redis is down (issue #5).

``enqueue(task, *args)`` is how the app starts a background task. It waits for the surrounding
transaction to commit (a rolled-back request starts nothing), then sends the task to the broker. When
the broker cannot be reached the request does not fail: the task is written to ``PendingTask`` and
``jobs.outbox_flush`` (beat, every minute) sends it once the broker is back. Arguments are ids and dates.
"""

import logging
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

from .models import PendingTask

logger = logging.getLogger(__name__)

FLUSH_BATCH = 500


def enqueue(task: Task, *args: Any, **kwargs: Any) -> None:
    """Send ``task`` with ``args``/``kwargs`` once the current transaction commits; keep it in the
    outbox when the broker is down. Never raises for a broker failure."""
    # robust: a failing callback (an eager task in the demo) is logged, never undoes or fails the caller.
    transaction.on_commit(lambda: _send_or_keep(task.name, list(args), dict(kwargs)), robust=True)


def _send_or_keep(name: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    try:
        _send(name, args, kwargs)
    except BrokerError as error:
        logger.warning("Broker unreachable; task %s kept in the outbox (%s)", name, type(error).__name__)
        PendingTask.objects.create(task=name, args=args, kwargs=kwargs, attempts=1, last_error=type(error).__name__)


def _send(name: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    from pga.celery import app

    # A short retry policy: a request waits at most about a second for a broker that is gone.
    app.tasks[name].apply_async(
        args=tuple(args), kwargs=kwargs, retry=True, retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.3}
    )


def flush() -> int:
    """Send the kept tasks, oldest first, at most ``FLUSH_BATCH``; returns how many were sent. A task
    that still cannot be sent stays, with one more attempt counted; the rest wait for the next flush."""
    sent = 0
    for pending in PendingTask.objects.order_by("created_at")[:FLUSH_BATCH]:
        try:
            _send(pending.task, pending.args, pending.kwargs)
        except BrokerError as error:
            PendingTask.objects.filter(pk=pending.pk).update(attempts=pending.attempts + 1, last_error=type(error).__name__)
            break
        pending.delete()
        sent += 1
    return sent
