"""Celery tasks of the escalation app. Thin: an id in, a service call; idempotent (STYLE.md)."""

from celery import shared_task


@shared_task(name="escalation.whatif_evaluate")
def whatif_evaluate(run_id: str) -> None:
    """Evaluate a what-if run (``escalation.whatif.whatif_evaluate``); a finished run is left alone."""
    from .whatif import whatif_evaluate as evaluate

    evaluate(run_id=run_id)
