"""The engine: highest tier wins, exit review on its own, the API shape, and determinism (hypothesis)."""

import dataclasses
import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation.engine import highest_tier, recommend
from escalation.snapshot import CaseSnapshot, FamilyFact, OffenceFact

from .snapshots import RULES, SCORES, months_ago, offence, rules, snapshot

AT = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)


def tier_of(case: CaseSnapshot, **kwargs) -> str:
    return recommend(case, kwargs.get("rule_set", RULES), evaluated_at=AT).recommended_tier


@pytest.mark.parametrize(
    ("case", "tier"),
    [
        (snapshot(), "zvhru"),  # both criteria hold: the highest tier wins
        (snapshot(age=24), "lokale_pga"),  # too old for Top X, still a doorgroeier
        (snapshot(offences=(offence(months_ago(2), drug=True),)), "lokale_pga"),
        (snapshot(drug_network_indication="nee"), "zvhru"),  # Top X does not need the network
        (snapshot(age=28), "basisinzet"),
        (snapshot(offences=()), "basisinzet"),
        (snapshot(scores=None, assessed_on=None), "basisinzet"),
    ],
    ids=["both", "age-24", "one-drug-offence", "no-network", "age-28", "no-offences", "no-assessment"],
)
def test_recommended_tier_is_the_highest_whose_criterion_holds(case, tier):
    assert tier_of(case) == tier


def test_the_planned_age_limit_of_27_makes_a_24_year_old_top_x():
    assert tier_of(snapshot(age=24), rule_set=rules(top_x={"age_max": 27})) == "zvhru"


def test_highest_tier_of_nothing_is_basisinzet():
    assert highest_tier([]) == "basisinzet"
    assert highest_tier(["lokale_pga", "zvhru", "lokale_pga"]) == "zvhru"


def test_exit_review_never_hides_an_escalation():
    # Three offences 13–20 months ago: Top X still holds (24-month window) and the exit date has passed.
    offences = (
        offence(months_ago(13), serious=True, violent=True),
        offence(months_ago(16), drug=True),
        offence(months_ago(20)),
    )
    recommendation = recommend(snapshot(offences=offences, current_tier="zvhru"), RULES, evaluated_at=AT)

    assert recommendation.exit_review is True
    assert recommendation.recommended_tier == "zvhru"


def test_exit_review_is_false_while_the_exit_date_lies_ahead():
    assert recommend(snapshot(), RULES, evaluated_at=AT).exit_review is False


def test_as_dict_is_the_record_a_decision_stores():
    recommendation = recommend(snapshot(current_tier="lokale_pga"), RULES, evaluated_at=AT)

    data = recommendation.as_dict()

    assert list(data) == ["recommended_tier", "current_tier", "exit_review", "criteria", "rule_set_version", "evaluated_at"]
    assert (data["recommended_tier"], data["current_tier"], data["exit_review"]) == ("zvhru", "lokale_pga", False)
    assert [criterion["code"] for criterion in data["criteria"]] == [
        "top_x",
        "doorgroeier",
        "zvh_complex",
        "crimineel_systeem",
        "exit",
    ]
    assert all(list(criterion) == ["code", "met", "facts", "fact_categories", "fact_parts"] for criterion in data["criteria"])
    assert all(isinstance(fact, str) for criterion in data["criteria"] for fact in criterion["facts"])
    assert (data["rule_set_version"], data["evaluated_at"]) == (1, "2026-06-15T10:00:00+00:00")
    assert [criterion["met"] for criterion in data["criteria"]] == [True, True, None, None, False]
    # Each fact keeps the categories it reveals, so a stored advice is cut like a live one (issue #4).
    top_x = data["criteria"][0]
    assert top_x["fact_categories"] == [["identificatie"], ["justitieel"], ["justitieel"], ["plan", "sociaal", "zorg"]]
    assert [part["categories"] for part in top_x["fact_parts"][3]] == [
        ["sociaal"],
        ["zorg"],
        ["sociaal"],
        ["sociaal"],
        ["sociaal"],
        ["plan"],
    ]
    assert top_x["fact_parts"][:3] == [[], [], []]


# --- Determinism (hypothesis) ----------------------------------------------------------------------

dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2028, 12, 31))
offences = st.builds(
    OffenceFact,
    dates,
    st.sampled_from(["Sr 310", "Sr 312 lid 1", "Opiumwet 10 lid 3"]),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
assessment = st.tuples(*(st.tuples(st.just(area), st.integers(1, 5)) for area in SCORES))
snapshots = st.builds(
    CaseSnapshot,
    reference_date=dates,
    age=st.integers(10, 40),
    current_tier=st.sampled_from(["basisinzet", "lokale_pga", "zvhru"]),
    status=st.sampled_from(["aangemeld", "actief", "afgesloten"]),
    drug_network_indication=st.sampled_from(["ja", "nee", "onbekend"]),
    offences=st.lists(offences, max_size=8).map(tuple),
    scores=st.none() | assessment,
    assessed_on=st.none() | dates,
    started_on=dates,
    in_detention=st.booleans(),
    families=st.lists(st.builds(FamilyFact, st.sampled_from(["Jansen", "De Vries"]), st.just("Kind")), max_size=2).map(tuple),
)
rule_sets = st.builds(
    lambda age_max, window, count, period: rules(
        top_x={"age_max": age_max, "window_months": window, "min_offences": count}, exit={"period_months": period}
    ),
    st.integers(16, 30),
    st.integers(1, 60),
    st.integers(1, 5),
    st.integers(0, 24),
)


@settings(max_examples=300, deadline=None)
@given(case=snapshots, rule_set=rule_sets, seed=st.integers())
def test_evaluation_is_deterministic(case, rule_set, seed):
    first = recommend(case, rule_set, evaluated_at=AT)
    shuffled = list(case.offences)
    random.Random(seed).shuffle(shuffled)

    assert recommend(case, rule_set, evaluated_at=AT) == first
    assert recommend(dataclasses.replace(case, offences=tuple(shuffled)), rule_set, evaluated_at=AT) == first  # order-free
    assert recommend(case, rule_set, evaluated_at=AT).as_dict() == first.as_dict()


@settings(max_examples=300, deadline=None)
@given(case=snapshots, rule_set=rule_sets)
def test_the_tier_follows_the_criteria_and_exit_stands_apart(case, rule_set):
    recommendation = recommend(case, rule_set, evaluated_at=AT)
    met = {criterion.code for criterion in recommendation.criteria if criterion.met}

    expected = "zvhru" if "top_x" in met else "lokale_pga" if "doorgroeier" in met else "basisinzet"
    assert recommendation.recommended_tier == expected
    assert recommendation.exit_review is ("exit" in met)
    assert recommendation.current_tier == case.current_tier
    assert recommendation.rule_set_version == rule_set.version
