"""The snapshot builder and the recommendation selector against PostgreSQL (issue #3)."""

import datetime as dt

import pytest
from auditlog.context import set_actor
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases import selectors as case_selectors
from cases.models import Case, FamilyMembership, OffenceOutcome
from cases.models.person import Family
from escalation import disclosure, selectors, services
from escalation.criteria import FactCategory
from escalation.engine import recommend
from escalation.models import RuleSet
from escalation.snapshot import FamilyFact
from tests import factories as f
from tests.escalation.snapshots import RULES, snapshot

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def snapshot_of(case: Case, day: dt.date | None = None):
    return selectors.snapshots_for(Case.objects.filter(pk=case.pk), day=day)[case.pk]


def test_sepot_and_vrijspraak_do_not_count(case):
    f.OffenceFactory(case=case, offence_type=f.offence_type("sr-312"), outcome=OffenceOutcome.SEPOT)
    f.OffenceFactory(case=case, offence_type=f.offence_type("sr-312"), outcome=OffenceOutcome.VRIJSPRAAK)
    f.OffenceFactory(case=case, offence_type=f.offence_type("sr-285"), outcome=OffenceOutcome.VEROORDELING)
    f.OffenceFactory(case=case, offence_type=f.offence_type("opw-10-3"), outcome=OffenceOutcome.OPEN)

    offences = snapshot_of(case).offences

    assert sorted(offence.statute for offence in offences) == ["Opiumwet 10 lid 3", "Sr 285 lid 1"]


@pytest.mark.parametrize(
    ("code", "serious", "drug", "violent"),
    [
        ("sr-285", False, False, True),
        ("sr-310", True, False, False),
        ("opw-11-2", False, True, False),
        ("sr-312", True, False, True),
    ],
)
def test_offence_flags_come_from_the_offence_type(case, code, serious, drug, violent):
    f.OffenceFactory(case=case, offence_type=f.offence_type(code))

    (offence,) = snapshot_of(case).offences

    assert (offence.serious, offence.drug_related, offence.violent) == (serious, drug, violent)


def test_the_latest_assessment_is_the_most_recent_record(case):
    f.AssessmentFactory(case=case, assessed_on=TODAY - dt.timedelta(days=30), inkomen=1)
    f.AssessmentFactory(case=case, assessed_on=TODAY - dt.timedelta(days=5), inkomen=4)
    f.AssessmentFactory(case=case, assessed_on=TODAY - dt.timedelta(days=5), inkomen=5)  # same day, recorded later

    snapshot = snapshot_of(case)

    assert dict(snapshot.scores)["inkomen"] == 5
    assert snapshot.assessed_on == TODAY - dt.timedelta(days=5)
    assert dict(snapshot_of(case, TODAY - dt.timedelta(days=10)).scores)["inkomen"] == 1  # as it was then


def test_a_case_without_facts_has_an_empty_snapshot(case):
    snapshot = snapshot_of(case)

    assert (snapshot.offences, snapshot.scores, snapshot.assessed_on, snapshot.families) == ((), None, None, ())
    assert snapshot.in_detention is False
    assert (snapshot.current_tier, snapshot.status) == (case.tier, case.status)


@pytest.mark.parametrize(("days_after_birthday", "age"), [(-1, 15), (0, 16), (1, 16)])
def test_age_is_whole_years_on_the_reference_date(case, days_after_birthday, age):
    case.person.date_of_birth = TODAY - relativedelta(years=16) - dt.timedelta(days=days_after_birthday)
    case.person.save()

    assert snapshot_of(case).age == age


def test_detention_and_family_are_in_the_snapshot(case, case_director):
    f.DetentionFactory(case=case, started_on=TODAY - dt.timedelta(days=3))
    family = Family.objects.create(name="Jansen")
    FamilyMembership.objects.create(family=family, person=case.person, role="kind", justification="Zoon.", added_by=case_director)

    snapshot = snapshot_of(case)

    assert snapshot.in_detention is True
    assert [(family.family, family.role) for family in snapshot.families] == [("Jansen", "Kind")]
    assert snapshot_of(case, TODAY - dt.timedelta(days=10)).in_detention is False


def _caseload(count: int) -> None:
    for _ in range(count):
        case = f.CaseFactory(lokale_pga=True)
        f.OffenceFactory(case=case)
        f.OffenceFactory(case=case, outcome=OffenceOutcome.SEPOT)
        f.AssessmentFactory(case=case)
        f.AssessmentFactory(case=case, assessed_on=TODAY - dt.timedelta(days=40))
        f.DetentionFactory(case=case)


@pytest.mark.parametrize("count", [10, 50])
def test_snapshots_take_a_constant_number_of_queries(django_assert_max_num_queries, count):
    _caseload(count)

    with django_assert_max_num_queries(4):
        snapshots = selectors.snapshots_for(Case.objects.all())

    assert len(snapshots) == count
    assert all(len(snapshot.offences) == 1 and snapshot.scores and snapshot.in_detention for snapshot in snapshots.values())


def test_recommendations_run_in_batches_of_constant_queries(django_assert_max_num_queries):
    _caseload(12)

    with django_assert_max_num_queries(1 + 1 + 3 * 4):  # rule set, ids, three batches of four
        recommendations = dict(selectors.recommendations_for(Case.objects.all(), batch_size=5))

    assert len(recommendations) == 12


def test_recommendation_for_one_case(case, django_assert_max_num_queries):
    # The snapshot (four), the rule set, whether the viewer sees the case, and the sharing matrix (issue #4).
    with django_assert_max_num_queries(7):
        advice = selectors.advice_for_viewer(case, case.case_director)

    assert (advice.current_tier, advice.rule_set_version) == ("lokale_pga", 1)


@pytest.mark.parametrize(
    ("who", "categories"),
    [
        ("politie", {"identificatie", "justitieel", "netwerk", "plan"}),  # zorg only as a kenmerk: no fact
        ("altrecht", {"identificatie", "zorg", "plan"}),  # justitieel only as a kenmerk: no fact
        ("jou", {"identificatie", "sociaal", "plan"}),
    ],
)
def test_partners_see_the_fact_categories_the_matrix_lets_them_read(case, who, categories):
    """DOMAIN.md §8 defaults (issue #4): a fact needs reading access to each of its categories."""
    user = f.UserFactory(**{who: True})
    f.TeamMemberFactory(case=case, organisation=user.organisation)

    assert selectors.fact_categories_visible_to(user, case) == frozenset(FactCategory(c) for c in categories)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"scores": None},
        {"in_detention": True},
        {"families": (FamilyFact("Bakker", "kind"), FamilyFact("Visser", "neef"))},
        {"offences": ()},
    ],
)
def test_the_legacy_fact_table_matches_the_criteria(changes):
    """A decision stored before the advice recorded its fact categories keeps only the texts;
    ``legacy_fact_categories`` must name at least the categories each fact really has, in the criteria's
    order, or such a stored decision would leak a fact (issue #4)."""
    recommendation = recommend(snapshot(**changes), RULES)

    for result in recommendation.criteria:
        table = disclosure.legacy_fact_categories(result.code, len(result.facts))
        for fact, stored in zip(result.facts, table, strict=True):
            assert fact.categories <= stored, (result.code, fact.text)


def test_outsiders_get_no_facts_nor_verdicts(case, outsider):
    assert selectors.fact_categories_visible_to(outsider, case) == frozenset()
    assert selectors.fact_categories_visible_to(case.case_director, case) == frozenset(FactCategory)
    hidden = selectors.advice_for_viewer(case, outsider)
    assert all(fact == "Door de regisseurs te beoordelen" for criterion in hidden.criteria for fact in criterion.facts)
    assert all(criterion.verdict is None for criterion in hidden.criteria)
    assert (hidden.recommended_tier, hidden.current_tier, hidden.exit_review) == (None, None, None)


# --- The exit period comes from the active rule set ------------------------------------------------


def _activate_exit_period(months: int) -> RuleSet:
    admin = f.UserFactory(administrator=True)
    with set_actor(admin):
        draft = services.rule_set_create_draft(actor=admin, based_on=selectors.active_rule_set())
        parameters = {**draft.parameters, "exit": {**draft.parameters["exit"], "period_months": months}}
        services.rule_set_update_draft(actor=admin, rule_set=draft, parameters=parameters, note=draft.note)
        return services.rule_set_activate(actor=admin, rule_set=draft)


def test_the_earliest_exit_date_follows_the_active_rule_set(case):
    offence = f.OffenceFactory(case=case, committed_on=TODAY - dt.timedelta(days=20))

    def exit_on() -> dt.date:
        return case_selectors.exit_date_for(case_selectors.with_case_facts(Case.objects.filter(pk=case.pk)).get())

    assert exit_on() == offence.committed_on + relativedelta(months=12)
    _activate_exit_period(6)
    assert exit_on() == offence.committed_on + relativedelta(months=6)
    assert selectors.exit_period_months() == 6


def test_the_exit_date_without_the_annotation_reads_the_rule_set(case, django_assert_num_queries):
    _activate_exit_period(3)
    bare = Case.objects.get(pk=case.pk)
    bare.last_offence_on = None  # facts carried over by hand, as the API does after an update

    with django_assert_num_queries(1):
        assert case_selectors.exit_date_for(bare) == case.started_on + relativedelta(months=3)


def test_the_caseload_reads_the_exit_period_in_the_same_query(case_director, django_assert_num_queries):
    f.CaseFactory.create_batch(5, lokale_pga=True, case_director=case_director)

    with django_assert_num_queries(1):
        rows = list(case_selectors.caseload(case_director))
        exit_dates = {case_selectors.exit_date_for(row) for row in rows}

    assert len(rows) == 5 and len(exit_dates) >= 1


def test_a_case_read_by_case_get_gives_the_same_snapshot_with_fewer_queries(case, django_assert_num_queries):
    f.OffenceFactory(case=case, offence_type=f.offence_type("opw-10-3"))
    f.AssessmentFactory(case=case)
    f.DetentionFactory(case=case)
    loaded = case_selectors.case_get(case.case_director, case.pk)

    with django_assert_num_queries(3):
        from_loaded = selectors.snapshot_of(loaded)

    assert from_loaded == selectors.snapshot_of(Case.objects.get(pk=case.pk)) == snapshot_of(case)
    assert from_loaded.in_detention is True
