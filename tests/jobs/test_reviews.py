"""The periodic proportionality review and the stagnation job (issue #5, jobs 2 and 3), and what all
review jobs share: idempotence, administrator-editable periods, a constant number of queries."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import ActionStatus, CaseStatus, Tier
from escalation.models import (
    AgendaItem,
    AgendaSource,
    CaseConference,
    ConferenceStatus,
    Decision,
    FlagKind,
    FlagStatus,
    ReviewFlag,
)
from jobs.models import JobRunStatus, JobSettings
from jobs.runner import job_run
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 11, 28)  # a fixed day in the past: the tests let up to a year pass after it
MONTH = relativedelta(months=1)


def run(job: str, day: dt.date = DAY) -> dict[str, int]:
    result = job_run(job, day=day)
    assert result.status == JobRunStatus.GESLAAGD
    return dict(result.counts)


def flags(case, kind: str, status: str = FlagStatus.OPEN) -> list[ReviewFlag]:
    return list(ReviewFlag.objects.filter(case=case, kind=kind, status=status))


def decide(case, on: dt.date) -> Decision:
    return Decision.objects.create(
        case=case,
        kind="status",
        from_tier=case.tier,
        from_status=CaseStatus.ACTIEF,
        to_status=CaseStatus.ACTIEF,
        rationale="Getoetst in het overleg",
        decided_by=case.case_director,
        decided_by_role=case.case_director.role,
        decided_by_organisation=case.case_director.organisation,
        decided_on=on,
    )


def overdue_action(case, due_on: dt.date = DAY - dt.timedelta(days=10)):
    return f.ActionFactory(goal=f.GoalFactory(plan=case.plan), due_on=due_on)


# --- Periodic review ----------------------------------------------------------------------------


def test_an_active_case_unreviewed_for_more_than_six_months_is_flagged_once():
    overdue = f.CaseFactory(lokale_pga=True, opened_on=DAY - 7 * MONTH)
    on_the_day = f.CaseFactory(lokale_pga=True, opened_on=DAY - 6 * MONTH)  # due today: not overdue yet
    basisinzet = f.CaseFactory(actief=True, tier=Tier.BASISINZET, opened_on=DAY - 8 * MONTH)
    f.CaseFactory(lokale_pga=True, opened_on=DAY - 9 * MONTH, status=CaseStatus.AANGEMELD)
    counts = run("periodic_review")
    assert counts["flagged"] == 2
    (flag,) = flags(overdue, FlagKind.PERIODIEK)
    assert flag.basis_on == DAY - 1 * MONTH
    assert flag.due_on == DAY + dt.timedelta(days=28)
    assert "6 maanden" in flag.reason
    assert flags(on_the_day, FlagKind.PERIODIEK) == []
    assert len(flags(basisinzet, FlagKind.PERIODIEK)) == 1  # every active case, whatever its tier
    again = run("periodic_review")
    assert (again["flagged"], again["already_flagged"]) == (0, 2)


def test_a_decision_or_a_finalised_conference_counts_as_a_review():
    decided = f.CaseFactory(lokale_pga=True, opened_on=DAY - 10 * MONTH)
    decide(decided, DAY - 2 * MONTH)
    discussed = f.CaseFactory(zvhru=True, opened_on=DAY - 10 * MONTH)
    held = CaseConference.objects.create(
        starts_at=dt.datetime.combine(DAY - 2 * MONTH, dt.time(10), tzinfo=dt.UTC),
        chair=discussed.process_director,
        status=ConferenceStatus.AFGEROND,
        finalised_at=timezone.now(),
    )
    AgendaItem.objects.create(conference=held, case=discussed, source=AgendaSource.HANDMATIG)
    planned = f.CaseFactory(zvhru=True, opened_on=DAY - 10 * MONTH)
    upcoming = CaseConference.objects.create(starts_at=timezone.now() + dt.timedelta(days=3), chair=planned.process_director)
    AgendaItem.objects.create(conference=upcoming, case=planned, source=AgendaSource.HANDMATIG)
    run("periodic_review")
    assert flags(decided, FlagKind.PERIODIEK) == []
    assert flags(discussed, FlagKind.PERIODIEK) == []
    assert len(flags(planned, FlagKind.PERIODIEK)) == 1  # a conference still to be held reviewed nothing yet


def test_an_open_review_flag_is_settled_by_a_later_review_and_withdrawn_when_the_case_closes():
    reviewed = f.CaseFactory(lokale_pga=True, opened_on=DAY - 8 * MONTH)
    closed = f.CaseFactory(lokale_pga=True, opened_on=DAY - 8 * MONTH)
    run("periodic_review")
    decide(reviewed, DAY + dt.timedelta(days=1))
    closed.status, closed.closed_on, closed.closing_reason = CaseStatus.AFGESLOTEN, DAY, "verhuisd"
    closed.save()
    counts = run("periodic_review", DAY + dt.timedelta(days=1))
    assert (counts["settled"], counts["withdrawn"], counts["flagged"]) == (1, 1, 0)
    assert flags(reviewed, FlagKind.PERIODIEK, FlagStatus.AFGEHANDELD)[0].closed_by is None
    assert flags(closed, FlagKind.PERIODIEK, FlagStatus.INGETROKKEN)[0].closed_on == DAY + dt.timedelta(days=1)


def test_a_handled_review_starts_the_next_period():
    case = f.CaseFactory(lokale_pga=True, opened_on=DAY - 8 * MONTH)
    run("periodic_review")
    ReviewFlag.objects.filter(case=case).update(
        status=FlagStatus.AFGEHANDELD, closed_on=DAY, closed_by=case.case_director, closing_note="Getoetst."
    )
    assert run("periodic_review", DAY + 5 * MONTH)["flagged"] == 0
    assert run("periodic_review", DAY + 6 * MONTH + dt.timedelta(days=1))["flagged"] == 1
    assert flags(case, FlagKind.PERIODIEK)[0].basis_on == DAY + 6 * MONTH


def test_the_review_period_is_an_administrator_setting():
    case = f.CaseFactory(lokale_pga=True, opened_on=DAY - 4 * MONTH)
    assert run("periodic_review")["flagged"] == 0
    JobSettings.objects.update_or_create(pk=1, defaults={"periodic_review_months": 3})
    assert run("periodic_review", DAY + dt.timedelta(days=1))["flagged"] == 1
    assert "3 maanden" in flags(case, FlagKind.PERIODIEK)[0].reason


# --- Stagnation -------------------------------------------------------------------------------------


def test_a_case_long_in_one_tier_without_a_decision_and_with_overdue_actions_is_flagged():
    stagnant = f.CaseFactory(lokale_pga=True, opened_on=DAY - 7 * MONTH)
    overdue_action(stagnant)
    on_schedule = f.CaseFactory(lokale_pga=True, opened_on=DAY - 7 * MONTH)
    overdue_action(on_schedule, due_on=DAY + dt.timedelta(days=5))
    done = f.CaseFactory(lokale_pga=True, opened_on=DAY - 7 * MONTH)
    action = overdue_action(done)
    action.status = ActionStatus.AFGEROND
    action.save()
    young = f.CaseFactory(lokale_pga=True, opened_on=DAY - 5 * MONTH)
    overdue_action(young)
    decided = f.CaseFactory(lokale_pga=True, opened_on=DAY - 9 * MONTH)
    overdue_action(decided)
    decide(decided, DAY - 2 * MONTH)
    counts = run("stagnation")
    assert counts["flagged"] == 1
    (flag,) = flags(stagnant, FlagKind.STAGNATIE)
    assert flag.basis_on == DAY - 7 * MONTH
    assert "6 maanden" in flag.reason
    assert run("stagnation")["already_flagged"] == 1


def test_a_stagnation_flag_is_withdrawn_when_the_actions_are_done_and_returns_when_they_lag_again():
    case = f.CaseFactory(lokale_pga=True, opened_on=DAY - 7 * MONTH)
    action = overdue_action(case)
    run("stagnation")
    action.status = ActionStatus.AFGEROND
    action.save()
    assert run("stagnation", DAY + dt.timedelta(days=1))["withdrawn"] == 1
    assert "geen achterstallige acties" in flags(case, FlagKind.STAGNATIE, FlagStatus.INGETROKKEN)[0].closing_note
    overdue_action(case, due_on=DAY + dt.timedelta(days=20))
    # Still no decision since the opening: the signal returns as soon as an action is overdue again.
    assert run("stagnation", DAY + dt.timedelta(days=30))["flagged"] == 1
    assert flags(case, FlagKind.STAGNATIE)[0].basis_on == DAY - 7 * MONTH


def test_a_decision_settles_a_stagnation_flag_and_a_handled_flag_restarts_the_period():
    decided = f.CaseFactory(lokale_pga=True, opened_on=DAY - 7 * MONTH)
    overdue_action(decided)
    handled = f.CaseFactory(lokale_pga=True, opened_on=DAY - 7 * MONTH)
    overdue_action(handled)
    run("stagnation")
    decide(decided, DAY + dt.timedelta(days=1))
    ReviewFlag.objects.filter(case=handled).update(
        status=FlagStatus.AFGEHANDELD, closed_on=DAY, closed_by=handled.case_director, closing_note="Besproken met de partners."
    )
    counts = run("stagnation", DAY + dt.timedelta(days=1))
    assert (counts["settled"], counts["flagged"]) == (1, 0)
    assert flags(decided, FlagKind.STAGNATIE, FlagStatus.AFGEHANDELD)[0].closed_by is None
    # Quiet since the handling (DAY) and since the decision (DAY + 1): six months on, each returns.
    assert run("stagnation", DAY + 6 * MONTH - dt.timedelta(days=1))["flagged"] == 0
    assert run("stagnation", DAY + 6 * MONTH)["flagged"] == 1
    assert flags(handled, FlagKind.STAGNATIE)[0].basis_on == DAY
    assert run("stagnation", DAY + dt.timedelta(days=1) + 6 * MONTH)["flagged"] == 1
    assert flags(decided, FlagKind.STAGNATIE)[0].basis_on == DAY + dt.timedelta(days=1)


def test_the_stagnation_period_is_an_administrator_setting():
    case = f.CaseFactory(lokale_pga=True, opened_on=DAY - 4 * MONTH)
    overdue_action(case)
    assert run("stagnation")["flagged"] == 0
    JobSettings.objects.update_or_create(pk=1, defaults={"stagnation_months": 4})
    assert run("stagnation", DAY + dt.timedelta(days=1))["flagged"] == 1


# --- What all review jobs share -------------------------------------------------------------------


def _world(n: int) -> None:
    for i in range(n):
        case = (
            f.CaseFactory(zvhru=True, opened_on=DAY - (13 + i % 3) * MONTH)
            if i % 2
            else f.CaseFactory(lokale_pga=True, opened_on=DAY - (13 + i % 3) * MONTH)
        )
        overdue_action(case)
        if i % 3 == 0:
            f.OffenceFactory(case=case, committed_on=DAY - 2 * MONTH)


@pytest.mark.parametrize("job", ["exit_review", "periodic_review", "stagnation"])
def test_a_job_costs_the_same_queries_for_ten_times_the_cases(job):
    def queries(day: dt.date) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            counts = run(job, day)
        return len(captured), counts["flagged"]

    _world(3)
    small, flagged_small = queries(DAY)
    _world(27)
    ReviewFlag.objects.all().delete()
    large, flagged_large = queries(DAY + dt.timedelta(days=1))
    assert flagged_large > flagged_small > 0
    assert large == small


@pytest.mark.parametrize("job", ["exit_review", "periodic_review", "stagnation"])
def test_running_a_job_twice_changes_nothing_the_second_time(job):
    _world(6)
    first = run(job)
    before = list(ReviewFlag.objects.order_by("id").values_list("id", "status", "closed_on", "closing_note"))
    second = run(job)
    assert first["flagged"] > 0
    assert second["flagged"] == 0
    assert second["already_flagged"] == first["flagged"] + first["already_flagged"]
    assert list(ReviewFlag.objects.order_by("id").values_list("id", "status", "closed_on", "closing_note")) == before
