"""The exit review (issue #5, job 1): scenario tables around the earliest exit date (DOMAIN.md §5.6).

The exit period is the active rule set's (12 months). Every scenario runs the real job through the
runner against PostgreSQL, as of a fixed day.
"""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from cases.models import CaseStatus, OffenceOutcome, Tier
from escalation.models import FlagKind, FlagStatus, ReviewFlag
from jobs.models import JobRunStatus, Notification
from jobs.runner import job_run
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 11, 28)  # a fixed day in the past: the tests let up to a year pass after it
YEAR = relativedelta(months=12)


def run(day: dt.date = DAY) -> dict[str, int]:
    result = job_run("exit_review", day=day)
    assert result.status == JobRunStatus.GESLAAGD
    return dict(result.counts)


def lokale_case(*, opened_on: dt.date, offences: tuple[dt.date, ...] = (), **fields):
    case = f.CaseFactory(lokale_pga=True, opened_on=opened_on, **fields)
    for committed_on in offences:
        f.OffenceFactory(case=case, committed_on=committed_on)
    return case


def open_flags(case) -> list[ReviewFlag]:
    return list(ReviewFlag.objects.filter(case=case, kind=FlagKind.UITSTROOM, status=FlagStatus.OPEN))


# (scenario, opened_on, offences, day, flagged, basis)
SCENARIOS = [
    ("exit date today", DAY - 2 * YEAR, (DAY - YEAR,), DAY, True, DAY),
    ("exit date yesterday", DAY - 2 * YEAR, (DAY - YEAR - dt.timedelta(days=1),), DAY, True, DAY - dt.timedelta(days=1)),
    ("exit date tomorrow", DAY - 2 * YEAR, (DAY - YEAR + dt.timedelta(days=1),), DAY, False, None),
    # 29 February + 12 months = 28 February (calendar months clamp to the month's end).
    (
        "leap day, on the clamped date",
        dt.date(2023, 6, 1),
        (dt.date(2024, 2, 29),),
        dt.date(2025, 2, 28),
        True,
        dt.date(2025, 2, 28),
    ),
    ("leap day, the day before", dt.date(2023, 6, 1), (dt.date(2024, 2, 29),), dt.date(2025, 2, 27), False, None),
    ("no offences: counts from opening", DAY - YEAR, (), DAY, True, DAY),
    ("no offences, opened less than a year ago", DAY - YEAR + dt.timedelta(days=1), (), DAY, False, None),
    ("offence before opening: counts from opening", DAY - YEAR, (DAY - 3 * YEAR,), DAY, True, DAY),
    (
        "the latest of several offences counts",
        DAY - 3 * YEAR,
        (DAY - 2 * YEAR, DAY - YEAR + dt.timedelta(days=5)),
        DAY,
        False,
        None,
    ),
]


@pytest.mark.parametrize(
    ("scenario", "opened_on", "offences", "day", "flagged", "basis"), SCENARIOS, ids=[s[0] for s in SCENARIOS]
)
def test_exit_review_scenarios(scenario, opened_on, offences, day, flagged, basis):
    case = lokale_case(opened_on=opened_on, offences=offences)
    counts = run(day)
    flags = open_flags(case)
    assert counts["flagged"] == int(flagged)
    assert len(flags) == int(flagged)
    if flagged:
        (flag,) = flags
        assert flag.basis_on == basis
        assert flag.raised_on == day
        assert flag.due_on == day + dt.timedelta(days=28)
        assert "uitstroomdatum" in flag.reason


def test_a_flag_is_raised_once_not_every_night():
    case = lokale_case(opened_on=DAY - 2 * YEAR, offences=(DAY - YEAR - dt.timedelta(days=3),))
    assert run(DAY)["flagged"] == 1
    second = run(DAY)
    assert (second["flagged"], second["already_flagged"]) == (0, 1)
    nights_later = run(DAY + dt.timedelta(days=3))
    assert (nights_later["flagged"], nights_later["already_flagged"]) == (0, 1)
    assert ReviewFlag.objects.filter(case=case).count() == 1


def test_a_handled_flag_is_not_raised_again_for_the_same_exit_date():
    case = lokale_case(opened_on=DAY - 2 * YEAR, offences=(DAY - YEAR - dt.timedelta(days=3),))
    run(DAY)
    ReviewFlag.objects.filter(case=case).update(status=FlagStatus.AFGEHANDELD, closed_on=DAY, closing_note="Blijft in aanpak.")
    counts = run(DAY + dt.timedelta(days=1))
    assert (counts["flagged"], counts["already_flagged"]) == (0, 1)
    assert open_flags(case) == []


def test_an_older_offence_registered_later_changes_nothing():
    case = lokale_case(opened_on=DAY - 3 * YEAR, offences=(DAY - YEAR - dt.timedelta(days=10),))
    run(DAY)
    f.OffenceFactory(case=case, committed_on=DAY - 2 * YEAR)  # registered now, committed before the last one
    counts = run(DAY + dt.timedelta(days=1))
    assert (counts["flagged"], counts["already_flagged"], counts["withdrawn"]) == (0, 1, 0)
    assert len(open_flags(case)) == 1


def test_a_newer_offence_registered_later_withdraws_the_flag():
    case = lokale_case(opened_on=DAY - 3 * YEAR, offences=(DAY - YEAR - dt.timedelta(days=10),))
    run(DAY)
    newer = f.OffenceFactory(case=case, committed_on=DAY - dt.timedelta(days=40))
    counts = run(DAY + dt.timedelta(days=1))
    assert (counts["flagged"], counts["withdrawn"]) == (0, 1)
    flag = ReviewFlag.objects.get(case=case)
    assert flag.status == FlagStatus.INGETROKKEN
    assert flag.closed_on == DAY + dt.timedelta(days=1)
    assert "delict" in flag.closing_note
    # Corrected away (vrijspraak): the old exit date counts again and the flag returns.
    newer.outcome = OffenceOutcome.VRIJSPRAAK
    newer.save()
    assert run(DAY + dt.timedelta(days=2))["flagged"] == 1
    assert open_flags(case)[0].basis_on == DAY - dt.timedelta(days=10)


def test_a_dismissed_offence_does_not_count():
    case = lokale_case(opened_on=DAY - 3 * YEAR, offences=(DAY - 2 * YEAR,))
    f.OffenceFactory(case=case, committed_on=DAY - dt.timedelta(days=20), outcome=OffenceOutcome.SEPOT)
    assert run(DAY)["flagged"] == 1


def test_no_flag_while_in_detention_and_the_open_flag_is_withdrawn():
    detained = lokale_case(opened_on=DAY - 3 * YEAR, offences=(DAY - 2 * YEAR,))
    f.DetentionFactory(case=detained, started_on=DAY - dt.timedelta(days=100))
    assert run(DAY)["flagged"] == 0
    later = lokale_case(opened_on=DAY - 3 * YEAR, offences=(DAY - 2 * YEAR,))
    run(DAY)
    assert len(open_flags(later)) == 1
    detention = f.DetentionFactory(case=later, started_on=DAY + dt.timedelta(days=1))
    counts = run(DAY + dt.timedelta(days=1))
    assert counts["withdrawn"] == 1
    assert "detentie" in ReviewFlag.objects.get(case=later).closing_note
    # Released: flagged again.
    detention.released_on = DAY + dt.timedelta(days=20)
    detention.save()
    assert run(DAY + dt.timedelta(days=20))["flagged"] == 1
    assert open_flags(detained) == []


def test_a_reopened_case_restarts_the_clock():
    case = lokale_case(opened_on=DAY - 4 * YEAR, offences=(DAY - 3 * YEAR,))
    run(DAY - dt.timedelta(days=60))
    assert len(open_flags(case)) == 1
    case.status = CaseStatus.AFGESLOTEN
    case.closed_on = DAY - dt.timedelta(days=50)
    case.closing_reason = "doelen_behaald"
    case.save()
    assert run(DAY - dt.timedelta(days=50))["withdrawn"] == 1
    case.status = CaseStatus.ACTIEF
    case.closed_on = None
    case.closing_reason = ""
    case.reopened_on = DAY - dt.timedelta(days=30)
    case.save()
    counts = run(DAY)
    assert (counts["flagged"], counts["already_flagged"]) == (0, 0)
    assert run(DAY - dt.timedelta(days=30) + YEAR)["flagged"] == 1
    assert open_flags(case)[0].basis_on == DAY - dt.timedelta(days=30) + YEAR


def test_basisinzet_and_closed_cases_are_not_reviewed():
    f.CaseFactory(actief=True, tier=Tier.BASISINZET, opened_on=DAY - 3 * YEAR)
    f.CaseFactory(lokale_pga=True, opened_on=DAY - 3 * YEAR, status=CaseStatus.AFGESLOTEN, closed_on=DAY, closing_reason="overig")
    f.CaseFactory(lokale_pga=True, opened_on=DAY - 3 * YEAR, status=CaseStatus.AANGEMELD)
    counts = run(DAY)
    assert (counts["flagged"], counts["already_flagged"]) == (0, 0)


def test_directors_are_notified_and_top_x_cases_are_proposed_for_the_next_conference():
    from django.utils import timezone

    from escalation.models import CaseConference

    lokale = lokale_case(opened_on=DAY - 2 * YEAR)
    top_x = f.CaseFactory(zvhru=True, opened_on=DAY - 2 * YEAR)
    chair = top_x.process_director
    CaseConference.objects.create(starts_at=timezone.now() - dt.timedelta(days=7), chair=chair)
    CaseConference.objects.create(starts_at=timezone.now() + dt.timedelta(days=14), chair=chair)
    soon = CaseConference.objects.create(starts_at=timezone.now() + dt.timedelta(days=7), chair=chair)
    counts = run(DAY)
    assert counts["flagged"] == 2
    assert open_flags(lokale)[0].conference is None
    assert open_flags(top_x)[0].conference == soon
    notified = {n.user_id: n.count for n in Notification.objects.filter(kind="exit_review")}
    assert notified == {lokale.case_director_id: 1, top_x.case_director_id: 1, chair.pk: 1}
    assert counts["notified"] == 3
    run(DAY)  # the second run notifies no one again
    assert Notification.objects.count() == 3


def test_the_sql_exit_date_agrees_with_the_python_rule():
    """The job computes the earliest exit date in SQL (``escalation.reviews.exit_on_sql``); the case page in
    Python (``cases.rules.earliest_exit_on``). Both on the same awkward dates: month ends, leap days,
    reopenings, offences before the opening, dismissed offences."""
    import random

    from cases.models import Case
    from cases.selectors import exit_date_for, with_case_facts
    from escalation.reviews import exit_on_sql

    rng = random.Random(5)
    month_ends = [dt.date(2024, 2, 29), dt.date(2023, 1, 31), dt.date(2024, 8, 31), dt.date(2025, 3, 31), dt.date(2024, 12, 31)]
    for i in range(40):
        opened_on = rng.choice(month_ends) if i % 3 == 0 else dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 1000))
        reopened_on = opened_on + dt.timedelta(days=rng.randint(1, 300)) if i % 4 == 0 else None
        case = f.CaseFactory(lokale_pga=True, opened_on=opened_on, reopened_on=reopened_on)
        for _ in range(rng.randint(0, 3)):
            committed_on = rng.choice(month_ends) if rng.random() < 0.3 else opened_on + dt.timedelta(days=rng.randint(-400, 500))
            outcome = rng.choice([OffenceOutcome.OPEN, OffenceOutcome.VEROORDELING, OffenceOutcome.SEPOT])
            f.OffenceFactory(case=case, committed_on=min(committed_on, DAY), outcome=outcome)
    python = {case.pk: exit_date_for(case) for case in with_case_facts(Case.objects.all())}
    sql = dict(Case.objects.annotate(exit_on=exit_on_sql(DAY)).values_list("pk", "exit_on"))
    assert sql == python


def test_a_top_x_flag_raised_before_any_conference_is_proposed_for_the_next_one_planned():
    from django.utils import timezone

    from escalation.models import CaseConference

    top_x = f.CaseFactory(zvhru=True, opened_on=DAY - 2 * YEAR)
    run(DAY)
    assert open_flags(top_x)[0].conference is None  # nothing planned yet
    planned = CaseConference.objects.create(starts_at=timezone.now() + dt.timedelta(days=5), chair=top_x.process_director)
    CaseConference.objects.create(starts_at=timezone.now() + dt.timedelta(days=5), chair=f.UserFactory(process_director=True))
    counts = run(DAY + dt.timedelta(days=1))
    assert (counts["flagged"], counts["proposed"]) == (0, 1)
    assert open_flags(top_x)[0].conference == planned
    assert run(DAY + dt.timedelta(days=2))["proposed"] == 0  # already proposed for a coming one
