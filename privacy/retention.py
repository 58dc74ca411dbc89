"""Retention after closure: the destruction list and the nightly job (issue #5 job 4; DOMAIN.md §8).

A closed case is kept ``RetentionPeriod.months`` calendar months after its closing date, per closing
reason (administrator-editable; unconfirmed values are placeholders until the privacy officer confirms
them). Then it goes on the destruction list; the privacy officer approves it, or places a legal hold
on the person; the job destroys approved cases (``privacy.erasure.case_destroy``).

Statuses and their allowed moves (``MOVES``), enforced under ``select_for_update``:

=============  ======================================================================================
voorgesteld    → goedgekeurd (officer), aangehouden (officer's hold, or a hold placed elsewhere),
               → ingetrokken (the case was reopened, or its period lengthened: no longer due)
goedgekeurd    → vernietigd (job), aangehouden (a hold placed since), ingetrokken (as above)
aangehouden    → voorgesteld (job: the hold was lifted; a new approval is needed), ingetrokken
vernietigd     final (the tombstone ``DestructionRecord`` records it)
ingetrokken    final (the case is listed anew once it is due again)
=============  ======================================================================================

The job ``retention(day=…, run=…)`` has the runner's shape (``jobs.runner``). The list is kept in a
fixed number of set-based statements whatever the number of cases (withdraw, hold, release with one
``UPDATE`` each; count; one ``INSERT … SELECT … ON CONFLICT DO NOTHING``, made idempotent by the
partial unique constraint ``one_destruction_item_per_case``). Destruction then takes the approved items
one by one, each in its own savepoint: one failure is recorded on its item (error type and code
location only, never data) and counted, and the rest go on. Run twice, the second run changes nothing.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.utils import timezone

from cases.models import Case, CaseStatus, ClosingReason
from jobs.models import JobRun
from jobs.notify import notifications_create
from jobs.runner import JobResult, error_describe
from partners.models import Organisation, Role, User
from pga.db import AddMonths, insert_select

from . import rights
from .models import (
    OPEN_STATUSES,
    DestructionListItem,
    DestructionStatus,
    LegalHold,
    RetentionPeriod,
)

logger = logging.getLogger(__name__)

S = DestructionStatus
MOVES: dict[str, frozenset[str]] = {
    S.VOORGESTELD: frozenset({S.GOEDGEKEURD, S.AANGEHOUDEN, S.INGETROKKEN}),
    S.GOEDGEKEURD: frozenset({S.VERNIETIGD, S.AANGEHOUDEN, S.INGETROKKEN}),
    S.AANGEHOUDEN: frozenset({S.VOORGESTELD, S.INGETROKKEN}),
    S.VERNIETIGD: frozenset(),
    S.INGETROKKEN: frozenset(),
}
"""The table of allowed moves of a list item (see the module docstring)."""


def _require_move(item: DestructionListItem, to: str) -> None:
    if to not in MOVES[item.status]:
        raise ValidationError(
            f"Een casus met status '{item.get_status_display().lower()}' kan niet naar '{S(to).label.lower()}'."
        )


# --- Shared SQL ----------------------------------------------------------------------------------


def period_months_sql(reason: str = "closing_reason") -> Subquery:
    """Per case row: the retention period in months for its closing reason, or NULL when none is set
    (a case without a period is never listed)."""
    periods = RetentionPeriod.objects.filter(closing_reason=OuterRef(reason)).values("months")[:1]
    return Subquery(periods, output_field=IntegerField())


def held_sql() -> Exists:
    """Per case row: a legal hold in force (placed, not lifted) on the case's person."""
    return Exists(LegalHold.objects.filter(person=OuterRef("person"), lifted_at__isnull=True))


def due_cases(day: dt.date) -> QuerySet[Case]:
    """Closed cases whose closing date plus their period (calendar months, ``pga.db.AddMonths``) is on or
    before ``day``, annotated ``period`` and ``eligible`` — legal holds not considered."""
    closed = Case.objects.filter(status=CaseStatus.AFGESLOTEN, closed_on__isnull=False)
    closed = closed.annotate(period=period_months_sql())
    return closed.annotate(eligible=AddMonths(F("closed_on"), F("period"))).filter(eligible__lte=day)


def eligible_cases(day: dt.date) -> QuerySet[Case]:
    """``due_cases`` whose person has no legal hold in force: those go on the destruction list."""
    return due_cases(day).exclude(held_sql())


def _open_item() -> Exists:
    return Exists(DestructionListItem.objects.filter(case_ref=OuterRef("pk")).exclude(status=S.INGETROKKEN))


# --- The job -------------------------------------------------------------------------------------


def _withdraw(day: dt.date) -> int:
    """Open items whose case is no longer due (reopened, period lengthened, or gone) → ingetrokken."""
    stale = DestructionListItem.objects.filter(status__in=OPEN_STATUSES).exclude(case__in=due_cases(day).values("pk"))
    return stale.update(status=S.INGETROKKEN, error="")


def _case_held() -> Exists:
    """Per list-item row: a legal hold in force on the person of the item's case."""
    return Exists(LegalHold.objects.filter(person__cases=OuterRef("case"), lifted_at__isnull=True))


def _hold() -> int:
    """Proposed or approved items whose person got a legal hold → aangehouden, with that hold."""
    held = DestructionListItem.objects.filter(status__in=(S.VOORGESTELD, S.GOEDGEKEURD)).filter(_case_held())
    hold = LegalHold.objects.filter(person__cases=OuterRef("case"), lifted_at__isnull=True).order_by("-placed_at")
    return held.update(status=S.AANGEHOUDEN, hold=Subquery(hold.values("pk")[:1]))


def _release() -> int:
    """Held items whose person has no legal hold in force any more → voorgesteld, approval cleared."""
    released = DestructionListItem.objects.filter(status=S.AANGEHOUDEN).exclude(_case_held())
    return released.update(status=S.VOORGESTELD, hold=None, approved_by=None, approved_at=None)


def _list(day: dt.date, run: JobRun, now: dt.datetime) -> int:
    """Insert one proposed item per eligible case without an open item, in one statement."""
    rows = (
        eligible_cases(day)
        .exclude(_open_item())
        .annotate(
            f_case=F("pk"),
            f_ref=F("pk"),
            f_status=Value(S.VOORGESTELD),
            f_listed=Value(day),
            f_eligible=F("eligible"),
            f_period=F("period"),
            f_run=Value(run.pk, output_field=IntegerField()),
            f_error=Value(""),
            f_created=Value(now),
        )
    )
    columns = {
        "case": "f_case",
        "case_ref": "f_ref",
        "status": "f_status",
        "listed_on": "f_listed",
        "eligible_on": "f_eligible",
        "period_months": "f_period",
        "job_run": "f_run",
        "error": "f_error",
        "created_at": "f_created",
    }
    return insert_select(DestructionListItem, columns, rows)


def _destroy(run: JobRun) -> tuple[int, int]:
    """Destroy every approved item, each in a savepoint; returns (destroyed, failed)."""
    from .erasure import case_destroy

    destroyed = failed = 0
    for item in DestructionListItem.objects.filter(status=S.GOEDGEKEURD).order_by("id"):
        try:
            with transaction.atomic():
                case_destroy(item=item, run=run)
            destroyed += 1
        except Exception as error:  # recorded on the item and counted; the other items go on
            failed += 1
            logger.warning("Retention: destroying list item %s failed (%s)", item.pk, type(error).__name__)
            DestructionListItem.objects.filter(pk=item.pk).update(error=error_describe(error))
    return destroyed, failed


def privacy_officers() -> QuerySet[User]:
    """Active privacy officers whose organisation takes part today (``partners.User.has_access_on``)."""
    organisations = Organisation.objects.active_on(timezone.localdate())
    return User.objects.filter(role=Role.PRIVACY_OFFICER, is_active=True, organisation__in=organisations)


def retention(*, day: dt.date, run: JobRun) -> JobResult:
    """The retention job (issue #5 job 4): keep the destruction list, destroy approved cases.

    Counts ``flagged`` (new list items), ``already_flagged`` (eligible cases already on the list),
    ``withdrawn``, ``held``, ``released``, ``destroyed``, ``failed`` and ``notified`` (privacy officers
    told of new or re-proposed items; the notification holds only a number).
    """
    now = timezone.now()
    withdrawn = _withdraw(day)
    held = _hold()
    released = _release()
    already = eligible_cases(day).filter(_open_item()).count()
    flagged = _list(day, run, now)
    destroyed, failed = _destroy(run)
    new = flagged + released
    notified = notifications_create(run, dict.fromkeys(privacy_officers().values_list("pk", flat=True), new)) if new else 0
    other = {"withdrawn": withdrawn, "held": held, "released": released, "destroyed": destroyed, "failed": failed}
    return JobResult(flagged=flagged, already_flagged=already, other={**other, "notified": notified})


# --- The privacy officer's decisions -------------------------------------------------------------


def _require_officer(actor: Any) -> None:
    if not rights.is_privacy_officer(actor):
        raise PermissionDenied("Alleen de privacyfunctionaris beslist over vernietiging.")


def unconfirmed_reasons(items: Iterable[DestructionListItem]) -> set[str]:
    """Closing reasons of ``items``' cases whose retention period is still a placeholder."""
    reasons = {item.case.closing_reason for item in items if item.case is not None}
    return set(
        RetentionPeriod.objects.filter(closing_reason__in=reasons, confirmed_at__isnull=True).values_list(
            "closing_reason", flat=True
        )
    )


@transaction.atomic
def items_approve(*, actor: User, item_ids: Iterable[int]) -> int:
    """Approve the proposed items ``item_ids`` for destruction by the next run; returns how many.

    Only the privacy officer (``PermissionDenied``). ``ValidationError`` when an item is not
    ``voorgesteld`` or its period is still a placeholder — destruction never runs on an unconfirmed
    value. Each approval is saved on its own, so django-auditlog records it with the officer.
    """
    _require_officer(actor)
    items = list(
        DestructionListItem.objects.select_for_update(of=("self",))
        .select_related("case")
        .filter(pk__in=list(item_ids))
        .order_by("id")
    )
    if not items:
        raise ValidationError("Kies ten minste één casus.")
    for item in items:
        _require_move(item, S.GOEDGEKEURD)
    unconfirmed = unconfirmed_reasons(items)
    if unconfirmed:
        labels = ", ".join(sorted(str(ClosingReason(reason).label) for reason in unconfirmed))
        raise ValidationError(f"Bevestig eerst de bewaartermijn voor: {labels}.")
    now = timezone.now()
    for item in items:
        item.status, item.approved_by, item.approved_at = S.GOEDGEKEURD, actor, now
        item.full_clean()
        item.save(update_fields=["status", "approved_by", "approved_at"])
    return len(items)


@transaction.atomic
def item_hold(*, actor: User, item: DestructionListItem, reason: str) -> LegalHold:
    """Keep a proposed or approved item from destruction: a legal hold with ``reason`` on the case's
    person (``privacy.rights.hold_place``), the item ``aangehouden``. When the hold is lifted the job
    proposes the case again. Raises ``PermissionDenied`` or ``ValidationError`` (Dutch)."""
    _require_officer(actor)
    locked = DestructionListItem.objects.select_for_update(of=("self",)).select_related("case__person").get(pk=item.pk)
    _require_move(locked, S.AANGEHOUDEN)
    if locked.case is None:
        raise ValidationError("De casus bestaat niet meer.")
    hold = rights.hold_place(actor=actor, person=locked.case.person, reason=reason)
    locked.status, locked.hold = S.AANGEHOUDEN, hold
    locked.save(update_fields=["status", "hold"])
    return hold


@transaction.atomic
def period_confirm(*, actor: User, period: RetentionPeriod) -> RetentionPeriod:
    """The privacy officer confirms the value of ``period``: it is no longer a placeholder."""
    _require_officer(actor)
    locked = RetentionPeriod.objects.select_for_update().get(pk=period.pk)
    locked.confirmed_by, locked.confirmed_at = actor, timezone.now()
    locked.full_clean()
    locked.save()
    return locked


def period_changed(period: RetentionPeriod, *, months_before: int | None) -> RetentionPeriod:
    """An administrator changed ``period`` (admin): a new number of months is a placeholder again until
    the privacy officer confirms it. The caller saves."""
    if months_before is not None and months_before != period.months:
        period.confirmed_by, period.confirmed_at = None, None
    return period
