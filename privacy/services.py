"""Writes of the privacy officer and the administrator on the privacy core (issue #4).

Review queue ("Privacy officer": denied attempts and break-the-glass uses to review, with an outcome).
- Break-the-glass reviews are opened by ``privacy.grants.break_the_glass`` in the grant's transaction.
- Denied attempts get their review from a **periodic sweep** (``review_sweep_denied``, the Celery task
  ``privacy.review_sweep``, every 10 minutes) rather than on write. Chosen because it is the cheaper
  reliable option: the request path stays at its two inserts (the access-log middleware is not
  touched and a burst of denied requests — a scan — costs the requests nothing extra), while the
  sweep is idempotent (``NOT EXISTS`` on the review's entry, under an advisory lock) and reads only
  the recent part of the ``(outcome, at)`` index. The price is a delay of at most one run before a
  denial shows up in the queue, which is fine for a review that is not an alarm.
- ``review_record`` stores the officer's judgement (gerechtvaardigd / niet gerechtvaardigd) with a
  note; django-auditlog records the change with the officer as actor (``privacy.audit``).

Sharing matrix (DOMAIN.md §8; ADR 0011). Only administrators change it: ``matrix_copy`` makes a new
concept from any version, only a concept is edited (admin), and ``matrix_activate`` makes a concept the
one active version and marks the previous one replaced, under a row lock on every matrix row (the
partial unique constraint ``one_active_sharing_matrix`` is the backstop). Audited (``privacy.audit``).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from partners.models import Role, User

from . import audit  # noqa: F401 - registers the privacy models with django-auditlog
from .categories import Access
from .models import (
    AccessLogEntry,
    MatrixStatus,
    Outcome,
    PrivacyReview,
    ReviewKind,
    ReviewOutcome,
    SharingMatrix,
    SharingRule,
)

SWEEP_LOCK_KEY = 7_513_012_5  # PostgreSQL advisory-lock key of the review sweep
SWEEP_OVERLAP = dt.timedelta(hours=1)  # re-read this much before the newest swept denial


def is_privacy_officer(user: object) -> bool:
    """A signed-in privacy officer whose organisation takes part today."""
    return bool(
        getattr(user, "is_authenticated", False)
        and isinstance(user, User)
        and user.role == Role.PRIVACY_OFFICER
        and user.has_access_on()
    )


def _require_privacy_officer(actor: User) -> None:
    if not is_privacy_officer(actor):
        raise PermissionDenied("Alleen de privacyfunctionaris beoordeelt toegang.")


def _require_administrator(actor: User) -> None:
    if not (actor.is_authenticated and actor.has_access_on() and actor.role == Role.ADMINISTRATOR):
        raise PermissionDenied("Alleen een functioneel beheerder beheert de deelmatrix.")


# --- Review queue ------------------------------------------------------------------------------


def _try_lock(key: int) -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
        return bool(cursor.fetchone()[0])


def review_sweep_denied(now: dt.datetime | None = None) -> int:
    """Open a review (kind ``geweigerd``) for every denied access-log row that has none yet.

    Reads the denied rows from shortly before the newest one already swept (``SWEEP_OVERLAP``, for rows
    that committed late), so a run costs one index range scan, not a pass over the log. Returns how many
    reviews were opened; 0 when another run holds the lock.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if not _try_lock(SWEEP_LOCK_KEY):
            return 0
        newest = PrivacyReview.objects.filter(kind=ReviewKind.DENIED).aggregate(newest=Max("entry__at"))["newest"]
        denied = AccessLogEntry.objects.filter(outcome=Outcome.DENIED)
        if newest is not None:
            denied = denied.filter(at__gte=newest - SWEEP_OVERLAP)
        pending = denied.filter(~Exists(PrivacyReview.objects.filter(entry=OuterRef("pk")))).order_by("at", "id")
        opened = 0
        for entry_id in pending.values_list("id", flat=True):
            # One save each (no bulk_create): django-auditlog records every review it opens.
            PrivacyReview.objects.create(kind=ReviewKind.DENIED, entry_id=entry_id, created_at=now)
            opened += 1
        return opened


@transaction.atomic
def review_record(*, actor: User, review: PrivacyReview, outcome: str, note: str) -> PrivacyReview:
    """Record the privacy officer's judgement of ``review``: ``gerechtvaardigd`` or ``niet_gerechtvaardigd``
    with a note (required when not justified). A judged review can be judged again (the audit log keeps
    the earlier judgement). Raises ``PermissionDenied`` or ``ValidationError`` (Dutch messages)."""
    _require_privacy_officer(actor)
    if outcome not in (ReviewOutcome.JUSTIFIED, ReviewOutcome.NOT_JUSTIFIED):
        raise ValidationError({"outcome": "Kies gerechtvaardigd of niet gerechtvaardigd."})
    note = note.strip()
    if outcome == ReviewOutcome.NOT_JUSTIFIED and not note:
        raise ValidationError({"note": "Licht toe waarom de toegang niet gerechtvaardigd was."})
    locked = PrivacyReview.objects.select_for_update().get(pk=review.pk)
    locked.outcome, locked.note = outcome, note
    locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
    locked.full_clean()
    locked.save()
    return locked


# --- Sharing matrix ----------------------------------------------------------------------------


@transaction.atomic
def matrix_copy(*, actor: User, matrix: SharingMatrix, note: str | None = None) -> SharingMatrix:
    """A new concept with the next version number and a copy of every cell of ``matrix``.

    Raises ``PermissionDenied`` for anyone but an administrator; ``ValidationError`` when another
    concept took the same version number at the same moment (try again).
    """
    _require_administrator(actor)
    source = SharingMatrix.objects.get(pk=matrix.pk)
    version = (SharingMatrix.objects.aggregate(highest=Max("version"))["highest"] or 0) + 1
    concept = SharingMatrix(version=version, note=source.note if note is None else note)
    try:
        with transaction.atomic():
            concept.full_clean()
            concept.save()
    except IntegrityError:
        raise ValidationError("Tegelijk is een ander concept aangemaakt; probeer het opnieuw.") from None
    for rule in source.rules.order_by("pk"):
        # One save per cell (a few dozen), so django-auditlog records each one with the actor.
        SharingRule.objects.create(
            matrix=concept,
            organisation_id=rule.organisation_id,
            domain=rule.domain,
            role=rule.role,
            category=rule.category,
            access=rule.access,
            legal_basis=rule.legal_basis,
        )
    return concept


@transaction.atomic
def matrix_activate(*, actor: User, matrix: SharingMatrix) -> SharingMatrix:
    """Make the concept ``matrix`` the active version; the version that was active becomes ``vervangen``.

    Locks every matrix row first (one per version), so two activations run one after the other.
    Raises ``PermissionDenied`` for anyone but an administrator and ``ValidationError`` when ``matrix``
    is not a concept or a cell lacks its legal basis.
    """
    _require_administrator(actor)
    locked = {row.pk: row for row in SharingMatrix.objects.select_for_update().order_by("pk")}
    target = locked[matrix.pk]
    if target.status != MatrixStatus.CONCEPT:
        raise ValidationError(f"Versie {target.version} is geen concept en kan niet (opnieuw) worden geactiveerd.")
    for rule in target.rules.all():
        # A "geen" cell may do without a legal basis (SharingRule.clean requires one for any access).
        rule.full_clean(exclude=["legal_basis"] if rule.access == Access.GEEN else None)
    if not target.rules.exists():
        raise ValidationError("Een deelmatrix zonder cellen kan niet worden geactiveerd.")
    for row in locked.values():
        if row.status == MatrixStatus.ACTIEF:
            row.status = MatrixStatus.VERVANGEN
            row.save(update_fields=["status"])
    target.status, target.activated_by, target.activated_at = MatrixStatus.ACTIEF, actor, timezone.now()
    target.save(update_fields=["status", "activated_by", "activated_at"])
    return target
