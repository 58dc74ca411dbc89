"""What-if: try a draft rule set on every active case before adopting it (issue #3).

``whatif_start`` (a service: administrators and process directors) records a queued ``WhatIfRun`` and
enqueues ``escalation.tasks.whatif_evaluate`` on commit. ``whatif_evaluate`` walks the active cases
in batches (``selectors.snapshot_batches``: four queries per batch), evaluates each snapshot under the
active version and under the draft, records progress after every batch, and at the end replaces the
run's result in one transaction: the count of every pair "advice now → advice under the draft" and
one ``WhatIfMove`` per case whose advice changes. Running it again for the same run gives the same
result and no duplicates (idempotent, as Celery may deliver a task twice).

Who sees what (``whatif_visible_moves``): administrators the counts only; users who may see cases
the moves of the cases they may see (``cases.selectors.cases_visible_to``), never others.
"""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Case, CaseStatus, Tier
from cases.selectors import cases_visible_to
from jobs.outbox import enqueue
from partners.models import Role, User

from .engine import recommend
from .models import RuleSet, RuleSetStatus, WhatIfMove, WhatIfRun, WhatIfStatus
from .selectors import active_rule_set, snapshot_batches

STARTERS = (Role.ADMINISTRATOR, Role.PROCESS_DIRECTOR)
READERS = (Role.ADMINISTRATOR, Role.PROCESS_DIRECTOR, Role.CASE_DIRECTOR)


def may_start(user: User) -> bool:
    return user.is_authenticated and user.has_access_on() and user.role in STARTERS


def may_read(user: User) -> bool:
    return user.is_authenticated and user.has_access_on() and user.role in READERS


def may_see_cases(user: User) -> bool:
    """Administrators see counts only (DOMAIN.md §2: no case content through their role)."""
    return may_read(user) and user.role != Role.ADMINISTRATOR


@transaction.atomic
def whatif_start(*, actor: User, draft: RuleSet) -> WhatIfRun:
    """Queue a run of ``draft`` against the active rule set; the task starts once this commits.

    Raises ``PermissionDenied`` unless ``actor`` is an administrator or process director, and
    ``ValidationError`` when ``draft`` is not a draft.
    """
    from .tasks import whatif_evaluate  # services may enqueue tasks; tasks import this module

    if not may_start(actor):
        raise PermissionDenied("Alleen een functioneel beheerder of procesregisseur start een proefberekening.")
    if draft.status != RuleSetStatus.DRAFT:
        raise ValidationError("Een proefberekening gaat over een concept.")
    run = WhatIfRun(draft=draft, baseline=active_rule_set(), started_by=actor)
    run.full_clean()
    run.save()
    enqueue(whatif_evaluate, str(run.pk))  # on commit; kept in the outbox when Redis is down
    return run


def whatif_evaluate(*, run_id: uuid.UUID | str, batch_size: int = 2000) -> WhatIfRun:
    """Evaluate the run (see the module docstring). A finished run is left as it is.

    Progress is committed batch by batch (so the page can show it); the result in one transaction.
    An error marks the run ``failed`` with its message and is raised again.
    """
    run = WhatIfRun.objects.select_related("draft", "baseline").get(pk=run_id)
    if run.status == WhatIfStatus.DONE:
        return run
    active = Case.objects.filter(status=CaseStatus.ACTIEF)
    WhatIfRun.objects.filter(pk=run.pk).update(status=WhatIfStatus.RUNNING, total=active.count(), evaluated=0, error="")
    try:
        matrix, moved = _evaluate(run, active, batch_size)
    except Exception as error:
        WhatIfRun.objects.filter(pk=run.pk).update(status=WhatIfStatus.FAILED, error=str(error)[:2000])
        raise
    return _finish(run.pk, matrix, moved)


def _evaluate(run: WhatIfRun, active: QuerySet[Case], batch_size: int) -> tuple[dict, list[tuple[uuid.UUID, str, str]]]:
    now, baseline, draft = timezone.now(), run.baseline.rules, run.draft.rules
    matrix: dict[str, dict[str, int]] = {}
    moved: list[tuple[uuid.UUID, str, str]] = []
    evaluated = 0
    for batch in snapshot_batches(active, size=batch_size):
        for case_id, snapshot in batch.items():
            before = recommend(snapshot, baseline, evaluated_at=now).recommended_tier
            after = recommend(snapshot, draft, evaluated_at=now).recommended_tier
            row = matrix.setdefault(before, {})
            row[after] = row.get(after, 0) + 1
            if before != after:
                moved.append((case_id, before, after))
        evaluated += len(batch)
        WhatIfRun.objects.filter(pk=run.pk).update(evaluated=evaluated)
    return matrix, moved


@transaction.atomic
def _finish(run_id: uuid.UUID, matrix: dict, moved: list[tuple[uuid.UUID, str, str]]) -> WhatIfRun:
    run = WhatIfRun.objects.select_for_update().get(pk=run_id)
    run.moves.all().delete()
    WhatIfMove.objects.bulk_create(
        [WhatIfMove(run=run, case_id=case_id, from_tier=before, to_tier=after) for case_id, before, after in moved]
    )
    run.matrix, run.status, run.finished_at = matrix, WhatIfStatus.DONE, timezone.now()
    run.save(update_fields=["matrix", "status", "finished_at"])
    return run


# --- Reads ------------------------------------------------------------------------------------


def whatif_get(user: User, run_id: uuid.UUID) -> WhatIfRun:
    """The run, for administrators and directors; ``Http404`` for anyone else."""
    if not may_read(user):
        raise Http404
    try:
        return WhatIfRun.objects.select_related("draft", "baseline", "started_by").get(pk=run_id)
    except WhatIfRun.DoesNotExist:
        raise Http404 from None


def whatif_visible_moves(user: User, run: WhatIfRun) -> QuerySet[WhatIfMove]:
    """The run's moves of cases ``user`` may see; none for administrators (counts only)."""
    if user.role == Role.ADMINISTRATOR:
        return WhatIfMove.objects.none()
    return (
        run.moves.filter(case__in=cases_visible_to(user))
        .select_related("case__person")
        .order_by("case__person__surname", "case__person__given_names", "pk")
    )


def matrix_rows(run: WhatIfRun) -> list[tuple[str, str, int]]:
    """``(from label, to label, count)`` for every pair that moves, lowest tier first."""
    order = list(Tier.values)
    rows = []
    for before in sorted(run.matrix, key=order.index):
        for after in sorted(run.matrix[before], key=order.index):
            if before != after:
                rows.append((Tier(before).label, Tier(after).label, run.matrix[before][after]))
    return rows
