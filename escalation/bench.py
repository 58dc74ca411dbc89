"""Benchmark of the escalation engine (issue #3) — a measurement, not a test; never run in CI.

Times the advice for one case (median of N runs, with its query count), the pure engine on one
snapshot, and the whole active caseload in batches (time, cases per second, queries). Targets on the
reference machine: under 5 ms per case and under 10 s for 10,000 active cases, with a constant number
of queries per batch. ``synthetic_caseload`` adds generated active cases (inside the caller's
transaction, which ``bench_engine`` rolls back), so the caseload can be measured at national scale.
"""

import dataclasses
import datetime as dt
import random
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Assessment, Case, CaseStatus, Detention, Offence, OffenceType, Person, TargetGroup, Tier
from cases.selectors import with_case_facts
from partners.models import Organisation, Role, User

from .engine import recommend
from .selectors import active_rule_set, recommendation_for, recommendations_for, snapshots_for


@dataclasses.dataclass(frozen=True)
class Timing:
    """Median wall time in milliseconds and the number of queries of one run."""

    label: str
    median_ms: float
    queries: int
    runs: int
    extra: str = ""

    def line(self) -> str:
        return f"{self.label}: mediaan {self.median_ms:.3f} ms over {self.runs} run(s), {self.queries} queries{self.extra}"


def measure(label: str, run: Callable[[], Any], runs: int) -> Timing:
    """Median of ``runs`` timed calls of ``run``; queries counted on the last call."""
    durations = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            run()
            durations.append((time.perf_counter() - started) * 1000)
    return Timing(label, statistics.median(durations), len(queries), runs)


def bench_one_case(case: Case, runs: int) -> list[Timing]:
    """``case``'s advice as the case page and API get it (the case read by ``case_get``), from a bare
    case, and the pure engine on its snapshot."""
    loaded = with_case_facts(Case.objects.filter(pk=case.pk)).select_related("person").get()
    bare = Case.objects.get(pk=case.pk)
    snapshot = snapshots_for(Case.objects.filter(pk=case.pk))[case.pk]
    rules = active_rule_set().rules
    return [
        measure("Advies voor één casus, casus gelezen als door case_get", lambda: recommendation_for(loaded), runs),
        measure("Advies voor één casus, vanaf een kale casus", lambda: recommendation_for(bare), runs),
        measure("Alleen de engine (recommend op een snapshot)", lambda: recommend(snapshot, rules), runs * 10),
    ]


def bench_caseload(runs: int, batch_size: int) -> Timing:
    """All active cases through ``recommendations_for``; ``extra`` gives the per-case time."""
    cases = Case.objects.filter(status=CaseStatus.ACTIEF)
    count = cases.count()
    timing = measure(
        f"Hele actieve caseload ({count} casussen, batches van {batch_size})",
        lambda: sum(1 for _ in recommendations_for(cases, batch_size=batch_size)),
        runs,
    )
    per_case = timing.median_ms / count if count else 0.0
    return dataclasses.replace(timing, extra=f"; {per_case:.3f} ms per casus")


def synthetic_caseload(count: int, *, seed: int = 20261130) -> int:
    """Add ``count`` active cases with offences, assessments and some detentions; returns ``count``.

    For benchmarks only: the caller runs it inside a transaction that is rolled back.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data, nothing secret
    today = timezone.localdate()
    organisation = Organisation.objects.get(code="gemeente-utrecht")
    user, _ = User.objects.get_or_create(
        username="bench-engine", defaults={"organisation": organisation, "role": Role.CASE_DIRECTOR}
    )
    types = list(OffenceType.objects.all())
    persons = [
        Person(
            id=uuid.UUID(int=rng.getrandbits(128)),
            given_names="Bench",
            surname=f"Casus {i}",
            date_of_birth=today - dt.timedelta(days=rng.randint(14 * 365, 30 * 365)),
        )
        for i in range(count)
    ]
    Person.objects.bulk_create(persons, batch_size=2000)
    tiers = [Tier.BASISINZET, Tier.LOKALE_PGA, Tier.ZVHRU]
    cases = [
        Case(
            id=uuid.UUID(int=rng.getrandbits(128)),
            person=person,
            tier=(tier := rng.choice(tiers)),
            target_group=TargetGroup.DOORGROEIER,
            status=CaseStatus.ACTIEF,
            registering_organisation=organisation,
            registered_by=user,
            case_director=user if tier != Tier.BASISINZET else None,
            process_director=user if tier == Tier.ZVHRU else None,
            drug_network_indication=rng.choice(["ja", "nee", "onbekend"]),
            opened_on=today - dt.timedelta(days=rng.randint(30, 700)),
        )
        for person in persons
    ]
    Case.objects.bulk_create(cases, batch_size=2000)
    _facts(rng, cases, types, organisation, user, today)
    return count


def _facts(
    rng: random.Random, cases: list[Case], types: list[OffenceType], organisation: Organisation, user: User, today: dt.date
) -> None:
    offences, assessments, detentions = [], [], []
    for case in cases:
        for _ in range(rng.randint(0, 5)):
            day = today - dt.timedelta(days=rng.randint(1, 1000))
            offences.append(
                Offence(
                    case=case,
                    committed_on=day,
                    offence_type=rng.choice(types),
                    source_organisation=organisation,
                    recorded_by=user,
                )
            )
        for _ in range(rng.randint(0, 3)):
            scores = {
                area: rng.randint(1, 5)
                for area in ("dagbesteding", "zorg", "huisvesting", "identiteitsbewijs", "inkomen", "motivatie")
            }
            assessments.append(
                Assessment(case=case, assessed_on=today - dt.timedelta(days=rng.randint(1, 500)), assessed_by=user, **scores)
            )
        if rng.random() < 0.1:
            detentions.append(
                Detention(
                    case=case,
                    institution="PI Bench",
                    started_on=today - dt.timedelta(days=rng.randint(1, 200)),
                    source_organisation=organisation,
                    recorded_by=user,
                )
            )
    Offence.objects.bulk_create(offences, batch_size=5000)
    Assessment.objects.bulk_create(assessments, batch_size=5000)
    Detention.objects.bulk_create(detentions, batch_size=5000)
