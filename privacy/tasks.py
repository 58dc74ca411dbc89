"""Celery tasks of the privacy app. Thin: a service call; idempotent (issue #4)."""

from celery import shared_task


@shared_task(name="privacy.access_log_seal")
def access_log_seal() -> int | None:
    """Seal the settled access-log entries into the hash chain (``privacy.chain.seal_pending``).

    Safe to run at any moment and twice at once: a PostgreSQL advisory lock lets one run seal while the
    other returns, and a run with nothing new writes nothing. Returns the new seal's id, if any.
    """
    from .chain import seal_pending

    seal = seal_pending()
    return seal.pk if seal else None


@shared_task(name="privacy.case_permissions_refresh")
def case_permissions_refresh() -> dict[str, int]:
    """Re-derive every case's guardian rows (``privacy.grants.case_permissions_refresh``): team entries
    that started or ended with the calendar, break-the-glass grants that expired. Nightly; idempotent."""
    from .grants import case_permissions_refresh as refresh

    result = refresh()
    return {"created": result.created, "deleted": result.deleted, "updated": result.updated}


@shared_task(name="privacy.review_sweep")
def review_sweep() -> int:
    """Open a privacy-officer review for every new denied access (``privacy.services.review_sweep_denied``);
    idempotent and locked. Returns how many reviews were opened."""
    from .services import review_sweep_denied

    return review_sweep_denied()
