"""Capacity reads: active cases against the configured capacity, per tier and per director (DOMAIN.md §3).

Selectors of the capacity models (``escalation.models.capacity``), kept in their own module so the
caseload panel and the decision form share them. ``capacity_loads`` reads every tier and director in
five queries, ``director_summary`` one director's view in three, whatever the number of cases.
``decision_warnings`` says which capacities a decision would exceed: a warning, never a refusal
(issue #3, "Capacity").
"""

import dataclasses
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from cases.models import Case, CaseStatus, Tier
from partners.models import Role, User

from . import moves
from .models import DirectorCapacity, TierCapacity

TIER_KEY, CASE_DIRECTOR_KEY, PROCESS_DIRECTOR_KEY = "tier", "case_director", "process_director"


@dataclasses.dataclass(frozen=True)
class Load:
    """``active`` cases against ``capacity`` (None: no capacity configured, never full)."""

    label: str
    active: int
    capacity: int | None

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.active >= self.capacity

    @property
    def over(self) -> bool:
        return self.capacity is not None and self.active > self.capacity


@dataclasses.dataclass(frozen=True)
class Loads:
    """Per tier and per director user id (case directors and process directors apart)."""

    tiers: dict[str, Load]
    case_directors: dict[int, int]
    process_directors: dict[int, int]
    director_capacity: dict[int, int]
    default_capacity: dict[str, int]

    def director(self, user: User) -> Load | None:
        """``user``'s load as the director their role makes them; None for other roles."""
        if user.role == Role.CASE_DIRECTOR:
            active = self.case_directors.get(user.pk, 0)
        elif user.role == Role.PROCESS_DIRECTOR:
            active = self.process_directors.get(user.pk, 0)
        else:
            return None
        capacity = self.director_capacity.get(user.pk, self.default_capacity.get(user.role))
        return Load(str(user), active, capacity)


def capacity_loads() -> Loads:
    """Active cases per tier and per director with their capacities, in five queries."""
    active = Case.objects.filter(status=CaseStatus.ACTIEF)
    per_tier = dict(active.values_list("tier").annotate(n=Count("pk")).order_by())
    tier_capacity = dict(TierCapacity.objects.values_list("tier", "capacity"))
    rows = list(DirectorCapacity.objects.values_list("user_id", "role", "capacity"))
    return Loads(
        tiers={tier: Load(str(label), per_tier.get(tier, 0), tier_capacity.get(tier)) for tier, label in Tier.choices},
        case_directors=_per_director(active, "case_director"),
        process_directors=_per_director(active, "process_director"),
        director_capacity={user_id: capacity for user_id, _, capacity in rows if user_id is not None},
        default_capacity={role: capacity for user_id, role, capacity in rows if user_id is None},
    )


def _per_director(active: Any, field: str) -> dict[int, int]:
    rows = active.filter(**{f"{field}__isnull": False}).values_list(f"{field}_id").annotate(n=Count("pk")).order_by()
    return dict(rows)


SUMMARY_TIERS = (Tier.LOKALE_PGA, Tier.ZVHRU)  # basisinzet has no joint direction, so no capacity


def director_summary(user: User) -> tuple[Load, list[Load]]:
    """A director's own load and that of lokale PGA and ZVHRU, in three queries (for the caseload page)."""
    own = Q(case_director=user) if user.role == Role.CASE_DIRECTOR else Q(process_director=user)
    counts = Case.objects.filter(status=CaseStatus.ACTIEF).aggregate(
        own=Count("pk", filter=own), **{tier: Count("pk", filter=Q(tier=tier)) for tier in SUMMARY_TIERS}
    )
    tier_capacity = dict(TierCapacity.objects.filter(tier__in=SUMMARY_TIERS).values_list("tier", "capacity"))
    rows = DirectorCapacity.objects.filter(Q(user=user) | Q(user__isnull=True, role=user.role))
    capacity = {row.user_id: row.capacity for row in rows}
    director = Load(str(user), counts["own"], capacity.get(user.pk, capacity.get(None)))
    return director, [Load(Tier(tier).label, counts[tier], tier_capacity.get(tier)) for tier in SUMMARY_TIERS]


def caseload_panel(request: HttpRequest) -> dict[str, Any]:
    """Context of ``escalation/_caseload_capacity.html``: directors only (``cases.panels``), three queries."""
    user: User = request.user  # type: ignore[assignment]
    if user.role not in (Role.CASE_DIRECTOR, Role.PROCESS_DIRECTOR):
        return {"capacity": None}
    own, tiers = director_summary(user)
    return {"capacity": {"own": own, "tiers": tiers}}


def _counted(tier: str, status: str, case_director: int | None, process_director: int | None) -> set[tuple[str, Any]]:
    """What one case adds to: its tier and its directors, while it is active."""
    if status != CaseStatus.ACTIEF:
        return set()
    keys: set[tuple[str, Any]] = {(TIER_KEY, tier)}
    if case_director:
        keys.add((CASE_DIRECTOR_KEY, case_director))
    if process_director:
        keys.add((PROCESS_DIRECTOR_KEY, process_director))
    return keys


def decision_warnings(*, case: Case, actor: User, move: moves.Move, loads: Loads) -> list[str]:
    """Dutch warnings for every capacity the move would take over its limit (tier, case or process director).

    The directors after the move are the ones ``services.decision_make`` would give the case.
    """
    from .services import _case_director_for, _process_director_for  # the one definition of who directs next

    before = _counted(case.tier, case.status, case.case_director_id, case.process_director_id)
    case_director = _case_director_for(actor, case, move)
    process_director = _process_director_for(actor, case, move, None)
    after = _counted(
        move.to_tier or case.tier,
        move.to_status or case.status,
        case_director.pk if case_director else None,
        process_director.pk if process_director else None,
    )
    users = {CASE_DIRECTOR_KEY: case_director, PROCESS_DIRECTOR_KEY: process_director}
    warnings = []
    for kind, key in sorted(after - before, key=str):
        user = users.get(kind)
        load = loads.tiers[key] if kind == TIER_KEY else loads.director(user) if user is not None else None
        if load is not None and load.capacity is not None and load.active + 1 > load.capacity:
            what = f"niveau {load.label}" if kind == TIER_KEY else f"de caseload van {load.label}"
            warnings.append(f"Dit besluit brengt {what} boven de capaciteit: {load.active + 1} van {load.capacity}.")
    return warnings


def move_of(case: Case, choice: str) -> moves.Move:
    """The move a decision form's choice (``"tier:<to>"`` or ``"status:<to>"``) stands for."""
    kind, target = choice.split(":", 1)
    return moves.Move(
        from_tier=case.tier,
        from_status=case.status,
        to_tier=target if kind == "tier" else None,
        to_status=target if kind == "status" else None,
    )


def choice_warnings(*, case: Case, actor: User, choices: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """``(choice label, warnings)`` for every choice of the decision form that would exceed a capacity."""
    loads = capacity_loads()
    found = [
        (label, decision_warnings(case=case, actor=actor, move=move_of(case, value), loads=loads)) for value, label in choices
    ]
    return [(label, warnings) for label, warnings in found if warnings]
