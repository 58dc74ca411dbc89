"""Every criterion of rule set version 1 at its boundaries, on plain snapshots — no database (issue #3).

Reference date ``DAY`` = 2026-06-15; windows of 24 months run from 2024-06-15 up to and including
2026-06-15. Ages are whole years on the reference date (the snapshot builder computes them; its own
tests check birthdays).
"""

import datetime as dt

import pytest

from cases.models import OffenceType
from escalation import criteria
from escalation.criteria import FactCategory

from .snapshots import DAY, PARAMETERS, months_ago, offence, rules, scores, snapshot

FIRST_DAY = dt.date(2024, 6, 15)  # DAY − 24 months: the window's first day


def texts(result: criteria.CriterionResult) -> list[str]:
    return [fact.text for fact in result.facts]


# --- top_x → zvhru (DOMAIN.md §5.2) ----------------------------------------------------------------


@pytest.mark.parametrize(("age", "met"), [(12, True), (22, True), (23, True), (24, False), (27, False)])
def test_top_x_age_limit_is_23_inclusive(age, met):
    assert criteria.top_x(snapshot(age=age), PARAMETERS).met is met


@pytest.mark.parametrize(
    ("offences", "met"),
    [
        ((offence(FIRST_DAY, serious=True), offence(months_ago(3)), offence(DAY)), True),  # first and last day count
        ((offence(FIRST_DAY - dt.timedelta(days=1), serious=True), offence(months_ago(3)), offence(DAY)), False),
        ((offence(months_ago(1), serious=True), offence(months_ago(3)), offence(DAY + dt.timedelta(days=1))), False),
        ((offence(months_ago(1), serious=True), offence(months_ago(3))), False),  # two offences are not three
        ((offence(months_ago(1)), offence(months_ago(3)), offence(months_ago(4))), False),  # none serious
        ((offence(months_ago(1), serious=True), offence(months_ago(3)), offence(months_ago(4)), offence(months_ago(30))), True),
    ],
    ids=["first-and-last-day", "one-day-before-window", "after-reference-date", "two-offences", "none-serious", "four"],
)
def test_top_x_counts_offences_in_the_inclusive_window(offences, met):
    assert criteria.top_x(snapshot(offences=offences), PARAMETERS).met is met


@pytest.mark.parametrize(
    ("overrides", "met"),
    [
        ({}, True),  # inkomen 2, motivatie 2
        ({"inkomen": 3}, False),  # one leefgebied at 1–2
        ({"inkomen": 3, "motivatie": 1}, False),
        ({"inkomen": 1, "dagbesteding": 1}, True),
        ({"inkomen": 3, "motivatie": 3}, False),
    ],
)
def test_multiproblematiek_needs_two_leefgebieden_at_1_or_2(overrides, met):
    assert criteria.top_x(snapshot(scores=scores(**overrides)), PARAMETERS).met is met
    assert criteria.doorgroeier(snapshot(scores=scores(**overrides)), PARAMETERS).met is met


def test_without_an_assessment_there_is_no_multiproblematiek():
    result = criteria.top_x(snapshot(scores=None, assessed_on=None), PARAMETERS)

    assert result.met is False
    assert "geen beoordeling van de leefgebieden vastgelegd" in texts(result)


def test_top_x_facts_read_as_sentences():
    result = criteria.top_x(snapshot(), PARAMETERS)

    assert texts(result) == [
        "leeftijd 20 (grens tot en met 23)",
        "3 delicten in 24 maanden (minimaal 3): 2026-01-15 Sr 285, 2025-09-15 Sr 312 lid 1, 2025-02-15 Opiumwet 10 lid 3",
        "waarvan 2 ernstig, strafmaximum ≥ 4 jaar (minimaal 1): 2025-09-15 Sr 312 lid 1, 2025-02-15 Opiumwet 10 lid 3",
        "2 leefgebieden op 1–2 (minimaal 2): inkomen 2, motivatie 2 (beoordeling 2026-06-05)",
    ]


# --- doorgroeier → lokale_pga (DOMAIN.md §5.1) -------------------------------------------------------


@pytest.mark.parametrize(("age", "met"), [(15, False), (16, True), (23, True), (24, True), (27, True), (28, False)])
def test_doorgroeier_age_is_16_to_27_inclusive(age, met):
    assert criteria.doorgroeier(snapshot(age=age), PARAMETERS).met is met


@pytest.mark.parametrize(
    ("offences", "met"),
    [
        ((offence(months_ago(2), drug=True),), True),
        ((offence(months_ago(2), violent=True),), True),
        ((offence(months_ago(2), serious=True),), False),  # serious alone is not drug-related or violent
        ((offence(months_ago(2)),), False),
        ((offence(FIRST_DAY, drug=True),), True),
        ((offence(FIRST_DAY - dt.timedelta(days=1), drug=True),), False),
        ((offence(DAY, violent=True),), True),
        ((), False),
    ],
    ids=["drug", "violent", "serious-only", "no-flag", "first-day", "day-before", "last-day", "none"],
)
def test_doorgroeier_needs_a_drug_related_or_violent_offence_in_the_window(offences, met):
    assert criteria.doorgroeier(snapshot(offences=offences), PARAMETERS).met is met


@pytest.mark.parametrize(("indication", "met"), [("ja", True), ("nee", False), ("onbekend", False)])
def test_doorgroeier_needs_a_drug_network(indication, met):
    assert criteria.doorgroeier(snapshot(drug_network_indication=indication), PARAMETERS).met is met


def test_a_rule_set_may_drop_the_drug_network_requirement():
    relaxed = rules(doorgroeier={"drug_network_required": False}).parameters

    result = criteria.doorgroeier(snapshot(drug_network_indication="nee"), relaxed)

    assert result.met is True
    assert "netwerk in de drugswereld: nee (niet vereist)" in texts(result)


def test_doorgroeier_facts_name_the_bounds_and_the_counted_offences():
    result = criteria.doorgroeier(
        snapshot(age=22, offences=(offence(dt.date(2026, 5, 1), "Opiumwet 10 lid 3", drug=True),)), PARAMETERS
    )

    assert texts(result) == [
        "leeftijd 22 (grens 16–27)",
        "1 delict in 24 maanden, drugsgerelateerd of gewelddadig (minimaal 1): 2026-05-01 Opiumwet 10 lid 3",
        "netwerk in de drugswereld: ja (vereist)",
        "2 leefgebieden op 1–2 (minimaal 2): inkomen 2, motivatie 2 (beoordeling 2026-06-05)",
    ]


# --- serious = statutory maximum ≥ 4 years (DOMAIN.md §5.4) -------------------------------------------


@pytest.mark.parametrize(("years", "life", "serious"), [(2, False, False), (3, False, False), (4, False, True), (15, True, True)])
def test_serious_means_a_maximum_of_at_least_four_years(years, life, serious):
    assert OffenceType(max_sentence_years=years, life_imprisonment=life).serious is serious


# --- exit (DOMAIN.md §5.6) -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_offence_on", "met"),
    [
        (months_ago(12), True),  # the earliest exit date is today
        (months_ago(12) + dt.timedelta(days=1), False),  # tomorrow
        (months_ago(20), True),
        (months_ago(2), False),
    ],
    ids=["exit-date-today", "exit-date-tomorrow", "long-ago", "recent"],
)
def test_exit_review_once_the_earliest_exit_date_is_reached(last_offence_on, met):
    result = criteria.exit_review(snapshot(offences=(offence(last_offence_on),), started_on=months_ago(30)), PARAMETERS)

    assert result.met is met


def test_exit_review_counts_from_the_start_when_there_was_no_offence_since():
    assert criteria.exit_review(snapshot(offences=(), started_on=months_ago(12)), PARAMETERS).met is True
    assert criteria.exit_review(snapshot(offences=(), started_on=months_ago(11)), PARAMETERS).met is False


@pytest.mark.parametrize(("overrides", "met"), [({}, True), ({"zorg": 1}, False), ({"inkomen": 1, "motivatie": 1}, False)])
def test_a_leefgebied_at_1_holds_the_exit_back(overrides, met):
    result = criteria.exit_review(snapshot(offences=(offence(months_ago(13)),), scores=scores(**overrides)), PARAMETERS)

    assert result.met is met


def test_exit_facts_give_the_date_and_the_scores():
    result = criteria.exit_review(snapshot(offences=(offence(months_ago(13)),), scores=scores(zorg=1)), PARAMETERS)

    assert texts(result) == [
        "vroegste uitstroomdatum 2026-05-15 (laatste delict 2025-05-15 + 12 maanden): bereikt",
        "leefgebied op 1: zorg 1 (beoordeling 2026-06-05)",
    ]


def test_without_an_assessment_the_exit_is_flagged_and_says_so():
    result = criteria.exit_review(snapshot(offences=(offence(months_ago(13)),), scores=None, assessed_on=None), PARAMETERS)

    assert result.met is True
    assert "geen beoordeling van de leefgebieden vastgelegd" in texts(result)


def test_the_exit_period_is_a_parameter():
    shorter = rules(exit={"period_months": 6}).parameters

    assert criteria.exit_review(snapshot(offences=(offence(months_ago(6)),)), shorter).met is True
    assert criteria.exit_review(snapshot(offences=(offence(months_ago(6)),)), PARAMETERS).met is False


# --- criteria the directors tick (§5.5, §5.3) -----------------------------------------------------


def test_directors_criteria_are_shown_but_not_evaluated():
    from escalation.snapshot import FamilyFact

    detained = snapshot(in_detention=True, families=(FamilyFact("Jansen", "Kind"),))

    complex_case = criteria.zvh_complex(detained, PARAMETERS)
    system = criteria.crimineel_systeem(detained, PARAMETERS)

    assert complex_case.met is None and system.met is None
    assert texts(complex_case)[0] == texts(system)[0] == "Door de regisseurs te beoordelen"
    assert "op de peildatum in detentie" in texts(complex_case)
    assert "lid van familie Jansen (kind)" in texts(system)
    assert criteria.crimineel_systeem(snapshot(), PARAMETERS).facts[-1].text == "geen familieverband vastgelegd"


# --- categories of the facts (DOMAIN.md §8), for the privacy hook ----------------------------------


def test_each_fact_names_the_data_categories_it_reveals():
    result = criteria.top_x(snapshot(), PARAMETERS)
    age, offences, serious, areas = (fact.categories for fact in result.facts)

    assert age == {FactCategory.IDENTIFICATIE}
    assert offences == serious == {FactCategory.JUSTITIEEL}
    # A count over all six scores: zorg, sociaal and (motivatie) plan.
    assert areas == {FactCategory.SOCIAAL, FactCategory.ZORG, FactCategory.PLAN}
    assert criteria.TO_BE_JUDGED.categories == frozenset()


def test_an_assessment_fact_has_one_part_per_score_with_its_own_category():
    """Issue #4: a partner who reads only some of the scores' categories sees those scores (``parts``)."""
    areas = criteria.top_x(snapshot(), PARAMETERS).facts[3]

    parts = {part.text.split(" ")[0]: part for part in areas.parts}

    assert list(parts) == ["dagbesteding", "zorg", "huisvesting", "identiteitsbewijs", "inkomen", "motivatie"]
    assert parts["zorg"].categories == {FactCategory.ZORG} and parts["motivatie"].categories == {FactCategory.PLAN}
    assert parts["inkomen"].text == "inkomen 2: op 1–2 (beoordeling 2026-06-05)"
    assert parts["zorg"].text.endswith(": niet op 1–2 (beoordeling 2026-06-05)")
    assert all(not part.parts for part in areas.parts)
    exit_parts = criteria.exit_review(snapshot(), PARAMETERS).facts[1].parts
    assert [part.text for part in exit_parts if part.text.startswith("inkomen")] == [
        "inkomen 2: niet op 1 (beoordeling 2026-06-05)"
    ]
    assert criteria.top_x(snapshot(scores=None), PARAMETERS).facts[3].categories == {FactCategory.PLAN}


def test_the_reference_date_bounds_the_window_not_today():
    later = snapshot(reference_date=DAY.replace(year=2027))

    assert criteria.top_x(later, PARAMETERS).met is False  # the same offences, a year later: two left in the window


def test_the_complex_case_criterion_shows_the_problem_areas_without_a_threshold():
    assert (
        texts(criteria.zvh_complex(snapshot(), PARAMETERS))[1]
        == "2 leefgebieden op 1–2: inkomen 2, motivatie 2 (beoordeling 2026-06-05)"
    )
