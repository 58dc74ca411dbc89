"""Every write goes through the services: rights, rules, recorded changes, nothing half-saved."""

import datetime as dt

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases import selectors, services
from cases.models import (
    Assessment,
    Case,
    CaseChange,
    CaseStatus,
    CaseTeamMember,
    DrugNetworkIndication,
    JournalEntry,
    Offence,
    OffenceOutcome,
    Person,
    TargetGroup,
    Tier,
)
from privacy.categories import Access, Category
from privacy.models import MatrixStatus, SharingMatrix, SharingRule
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _person_data(**overrides):
    data = {
        "bsn": "111222333",
        "given_names": "Sem",
        "surname": "Jansen",
        "date_of_birth": dt.date(2005, 4, 1),
        "wijk": f.wijk("oost"),
        "informed_on": TODAY,
    }
    return {**data, **overrides}


# --- Registration ---------------------------------------------------------------------------


def test_registering_organisation_joins_the_team(politie_user):
    case = services.case_register(
        actor=politie_user,
        target_group=TargetGroup.DOORGROEIER,
        person_data=_person_data(),
        team_organisations=[f.organisation("jou")],
    )
    assert case.status == CaseStatus.AANGEMELD
    assert case.tier == Tier.BASISINZET
    assert case.registering_organisation == politie_user.organisation
    assert set(case.team.values_list("organisation__code", flat=True)) == {"politie-midden-nederland", "jou"}
    assert hasattr(case, "plan")
    colleague = f.UserFactory(politie=True)
    assert selectors.cases_visible_to(colleague).filter(pk=case.pk).exists()


def test_a_director_registering_their_own_case_does_not_open_it_to_their_organisation(case_director):
    case = services.case_register(
        actor=case_director,
        target_group=TargetGroup.DOORGROEIER,
        person_data=_person_data(),
        tier=Tier.LOKALE_PGA,
        case_director=case_director,
    )
    assert not case.team.exists()


def test_team_organisations_must_take_part(politie_user):
    lister = f.organisation("lister")
    lister.active_until = TODAY - dt.timedelta(days=1)
    lister.save()
    with pytest.raises(ValidationError):
        services.case_register(
            actor=politie_user, target_group=TargetGroup.DOORGROEIER, person_data=_person_data(), team_organisations=[lister]
        )
    assert not Person.objects.exists()


@pytest.mark.parametrize("org_code", ["altrecht", "jou", "reclassering-nederland"])
def test_only_registering_organisations_register(org_code):
    user = f.UserFactory(organisation=f.organisation(org_code))
    with pytest.raises(PermissionDenied):
        services.case_register(actor=user, target_group=TargetGroup.DOORGROEIER, person_data=_person_data())
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("bsn", "code"),
    [
        ("12345678", "bsn_length"),
        ("1234567890", "bsn_length"),
        ("111222334", "bsn_checksum"),
        ("000000000", "bsn_zero"),
        ("11122233a", "bsn_length"),
    ],
)
def test_invalid_bsn_is_refused_and_nothing_is_saved(politie_user, bsn, code):
    with pytest.raises(ValidationError) as error:
        services.case_register(actor=politie_user, target_group=TargetGroup.DOORGROEIER, person_data=_person_data(bsn=bsn))
    assert error.value.error_dict["bsn"][0].code == code
    assert not Person.objects.exists()
    assert not Case.objects.exists()


def test_date_of_birth_in_the_future_is_refused(politie_user):
    with pytest.raises(ValidationError) as error:
        services.case_register(
            actor=politie_user,
            target_group=TargetGroup.DOORGROEIER,
            person_data=_person_data(date_of_birth=TODAY + dt.timedelta(days=1)),
        )
    assert "date_of_birth" in error.value.error_dict
    assert not Person.objects.exists()


def test_control_characters_are_refused_in_names(politie_user):
    with pytest.raises(ValidationError) as error:
        services.case_register(
            actor=politie_user, target_group=TargetGroup.DOORGROEIER, person_data=_person_data(surname="Jan\x00sen")
        )
    assert "surname" in error.value.error_dict


def test_known_bsn_of_a_hidden_person_only_says_whom_to_contact(case, politie_user):
    gemeente_user = f.UserFactory(case_director=True)
    with pytest.raises(ValidationError) as error:
        services.case_register(
            actor=gemeente_user, target_group=TargetGroup.DOORGROEIER, person_data=_person_data(bsn=case.person.bsn)
        )
    [message] = error.value.error_dict["bsn"][0].messages
    assert "al bekend in een actieve aanpak" in message
    assert "Gemeente Utrecht" in message
    assert case.person.surname not in message


def test_a_person_has_one_open_case(case, politie_user):
    with pytest.raises(ValidationError) as error:
        services.case_register(actor=politie_user, target_group=TargetGroup.DOORGROEIER, person=case.person)
    assert "person" in error.value.error_dict


def test_register_for_an_existing_person_needs_visibility(case):
    closed = f.CaseFactory(afgesloten=True)
    gemeente_user = f.UserFactory(case_director=True)
    with pytest.raises(ValidationError):
        services.case_register(actor=gemeente_user, target_group=TargetGroup.DOORGROEIER, person=closed.person)


# --- Directing ------------------------------------------------------------------------------


def test_case_director_is_required_from_lokale_pga(politie_user):
    case = f.CaseFactory()
    director = f.UserFactory(case_director=True)
    with pytest.raises(ValidationError) as error:
        services.case_move_apply(actor=director, case=case, to_tier=Tier.LOKALE_PGA, reason="Doorgroeier")
    assert "case_director" in error.value.error_dict
    case.refresh_from_db()
    assert case.tier == Tier.BASISINZET


def test_tier_and_status_are_not_changed_by_case_update(case):
    with pytest.raises(ValidationError) as error:
        services.case_update(actor=case.case_director, case=case, tier=Tier.BASISINZET, reason="x")
    assert "tier" in error.value.error_dict
    case.refresh_from_db()
    assert case.tier == Tier.LOKALE_PGA


def test_hand_over_to_another_case_director_is_recorded(case):
    successor = f.UserFactory(case_director=True)
    services.case_update(actor=case.case_director, case=case, case_director=successor, reason="Verlof")
    change = CaseChange.objects.get(case=case, kind="case_director")
    assert change.to_user == successor
    case.refresh_from_db()
    assert case.case_director == successor


def test_only_directors_direct(case, politie_user):
    with pytest.raises(PermissionDenied):
        services.case_update(actor=politie_user, case=case, tier=Tier.BASISINZET)


def test_drug_network_indication_is_recorded_by_straf_partners(case, politie_user):
    services.case_update(actor=politie_user, case=case, drug_network_indication=DrugNetworkIndication.JA)
    case.refresh_from_db()
    assert case.drug_network_indication == DrugNetworkIndication.JA
    with pytest.raises(PermissionDenied):
        services.case_update(actor=case.case_director, case=case, drug_network_indication=DrugNetworkIndication.NEE)


# --- Team -----------------------------------------------------------------------------------


def test_removing_a_team_member_ends_it_yesterday(case, politie_user):
    member = case.team.get(organisation__code="politie-midden-nederland")
    services.team_member_remove(actor=case.case_director, member=member)
    member.refresh_from_db()
    assert member.ends_on == TODAY - dt.timedelta(days=1)
    with pytest.raises(PermissionDenied):
        services.journal_entry_add(actor=politie_user, case=case, text="Nog even")


def test_team_is_managed_by_directors_only(case, politie_user):
    with pytest.raises(PermissionDenied):
        services.team_member_add(actor=politie_user, case=case, organisation=f.organisation("altrecht"))
    services.team_member_add(actor=case.case_director, case=case, organisation=f.organisation("altrecht"))
    assert CaseTeamMember.objects.filter(case=case, organisation__code="altrecht").exists()


# --- Offences -------------------------------------------------------------------------------


def test_straf_partner_records_an_offence_as_its_source(case, politie_user):
    offence = services.offence_record(actor=politie_user, case=case, committed_on=TODAY, offence_type=f.offence_type("sr-312"))
    assert offence.source_organisation == politie_user.organisation
    assert offence.offence_type.serious


def test_other_domains_do_not_record_offences(case, altrecht_user):
    f.TeamMemberFactory(case=case, organisation=altrecht_user.organisation)
    with pytest.raises(PermissionDenied):
        services.offence_record(actor=altrecht_user, case=case, committed_on=TODAY, offence_type=f.offence_type())


@pytest.mark.parametrize("days", [1, 365])
def test_offence_dates_must_be_possible(case, politie_user, days):
    committed_on = TODAY + dt.timedelta(days=1) if days == 1 else case.person.date_of_birth - dt.timedelta(days=days)
    with pytest.raises(ValidationError) as error:
        services.offence_record(actor=politie_user, case=case, committed_on=committed_on, offence_type=f.offence_type())
    assert "committed_on" in error.value.error_dict
    assert not Offence.objects.exists()


def test_only_the_source_organisation_corrects_an_offence(case, politie_user):
    offence = f.OffenceFactory(case=case, source_organisation=f.organisation("openbaar-ministerie"))
    with pytest.raises(PermissionDenied):
        services.offence_correct(actor=politie_user, offence=offence, outcome=OffenceOutcome.SEPOT)
    om_user = f.UserFactory(organisation=f.organisation("openbaar-ministerie"))
    f.TeamMemberFactory(case=case, user=om_user)
    services.offence_correct(actor=om_user, offence=offence, outcome=OffenceOutcome.SEPOT)
    offence.refresh_from_db()
    assert offence.outcome == OffenceOutcome.SEPOT


# --- Plan and facts -------------------------------------------------------------------------


def test_owning_organisation_updates_only_its_actions_and_only_some_fields(case):
    goal = services.goal_create(actor=case.case_director, case=case, leefgebied="inkomen", description="Schulden in beeld")
    action = services.action_create(
        actor=case.case_director,
        goal=goal,
        description="Schuldhulp",
        owning_organisation=f.organisation("politie-midden-nederland"),
        kind="perspectief_bieden",
    )
    politie = f.UserFactory(politie=True)
    services.action_update(actor=politie, action=action, status="lopend")
    with pytest.raises(ValidationError):
        services.action_update(actor=politie, action=action, description="Iets anders")
    jou = f.UserFactory(jou=True)
    f.TeamMemberFactory(case=case, organisation=jou.organisation)
    with pytest.raises(PermissionDenied):
        services.action_update(actor=jou, action=action, status="afgerond")
    action.refresh_from_db()
    assert (action.status, action.description) == ("lopend", "Schuldhulp")


def test_assessment_scores_are_1_to_5(case):
    scores = {"dagbesteding": 3, "zorg": 3, "huisvesting": 3, "identiteitsbewijs": 4, "inkomen": 2, "motivatie": 6}
    with pytest.raises(ValidationError) as error:
        services.assessment_record(actor=case.case_director, case=case, **scores)
    assert "motivatie" in error.value.error_dict


def test_journal_allows_newlines_but_not_other_control_characters(case):
    entry = services.journal_entry_add(actor=case.case_director, case=case, text="Regel 1\nRegel 2\tmet tab")
    assert entry.text.count("\n") == 1
    with pytest.raises(ValidationError):
        services.journal_entry_add(actor=case.case_director, case=case, text="bel\x07")
    with pytest.raises(ValidationError):
        services.journal_entry_add(actor=case.case_director, case=case, text="x" * 10_001)


def test_writes_are_audited_with_the_actor(case):
    with set_actor(case.case_director):
        entry = services.journal_entry_add(actor=case.case_director, case=case, text="Contact met moeder")
    log = LogEntry.objects.get_for_object(entry).get()
    assert log.actor == case.case_director
    assert log.action == LogEntry.Action.CREATE


def test_a_hand_over_needs_a_reason(case):
    successor = f.UserFactory(case_director=True)
    with pytest.raises(ValidationError) as error:
        services.case_update(actor=case.case_director, case=case, case_director=successor, reason="   ")
    assert "reason" in error.value.error_dict
    case.refresh_from_db()
    assert case.case_director != successor
    assert not CaseChange.objects.filter(case=case).exists()


def test_an_ended_team_entry_cannot_be_ended_again(case):
    member = case.team.get()
    services.team_member_remove(actor=case.case_director, member=member)
    with pytest.raises(ValidationError):
        services.team_member_remove(actor=case.case_director, member=member)


@pytest.mark.parametrize("role", ["administrator", "privacy_officer"])
def test_administrators_and_privacy_officers_cannot_be_named_in_a_team(case, role):
    user = f.UserFactory(role=role)
    with pytest.raises(ValidationError) as error:
        services.team_member_add(actor=case.case_director, case=case, user=user)
    assert "user" in error.value.error_dict
    assert not selectors.cases_visible_to(user).exists()


def test_team_history_is_not_rewritten(case):
    with pytest.raises(ValidationError) as error:
        services.team_member_add(
            actor=case.case_director, case=case, organisation=f.organisation("altrecht"), starts_on=TODAY - dt.timedelta(days=1)
        )
    assert "starts_on" in error.value.error_dict


def test_a_planned_entry_is_listed_and_can_be_cancelled_before_it_starts(case):
    altrecht_user = f.UserFactory(altrecht=True)
    planned = services.team_member_add(
        actor=case.case_director, case=case, organisation=f.organisation("altrecht"), starts_on=TODAY + dt.timedelta(days=3)
    )
    assert planned in selectors.team_listed(case)
    assert not selectors.cases_visible_to(altrecht_user).filter(pk=case.pk).exists()  # not yet
    services.team_member_remove(actor=case.case_director, member=planned)
    planned.refresh_from_db()
    assert planned.ends_on == planned.starts_on - dt.timedelta(days=1)
    assert planned not in selectors.team_listed(case)
    assert not selectors.cases_visible_to(altrecht_user, day=TODAY + dt.timedelta(days=5)).filter(pk=case.pk).exists()


def test_only_registering_organisations_change_a_bsn(case):
    zvhru_case = f.CaseFactory(zvhru=True)
    with pytest.raises(PermissionDenied):
        services.person_update(actor=zvhru_case.process_director, person=zvhru_case.person, bsn="111222333")
    services.person_update(actor=zvhru_case.case_director, person=zvhru_case.person, bsn="111222333")
    zvhru_case.person.refresh_from_db()
    assert zvhru_case.person.bsn == "111222333"


def test_assessments_and_journal_cannot_predate_the_person(case):
    before_birth = case.person.date_of_birth - dt.timedelta(days=1)
    scores = {"dagbesteding": 3, "zorg": 3, "huisvesting": 3, "identiteitsbewijs": 3, "inkomen": 3, "motivatie": 3}
    with pytest.raises(ValidationError) as error:
        services.assessment_record(actor=case.case_director, case=case, assessed_on=before_birth, **scores)
    assert "assessed_on" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.journal_entry_add(actor=case.case_director, case=case, text="Oud", occurred_on=before_birth)
    assert "occurred_on" in error.value.error_dict


@pytest.mark.parametrize("text", ["Omgekeerd \u202etxt.exe", "regel\u2028scheiding"])
def test_bidirectional_overrides_are_refused(case, text):
    with pytest.raises(ValidationError):
        services.journal_entry_add(actor=case.case_director, case=case, text=text)


def test_a_new_person_matching_a_known_name_and_birth_date_needs_confirmation(case, politie_user):
    data = _person_data(bsn=None, surname=case.person.surname, date_of_birth=case.person.date_of_birth)
    with pytest.raises(ValidationError) as error:
        services.case_register(actor=politie_user, target_group=TargetGroup.DOORGROEIER, person_data=data)
    assert "confirm_new_person" in error.value.error_dict
    assert Person.objects.count() == 1
    services.case_register(actor=politie_user, target_group=TargetGroup.DOORGROEIER, person_data=data, confirm_new_person=True)
    assert Person.objects.count() == 2


# --- The sharing matrix on the write side (DOMAIN.md §8, issue #4) ---------------------------------


def _matrix_cell(organisation, category: str, access: int, role: str = "partner") -> None:
    """Narrow the active matrix for one organisation, as an administrator would (most specific cell wins)."""
    SharingRule.objects.create(
        matrix=SharingMatrix.objects.get(status=MatrixStatus.ACTIEF),
        organisation=organisation,
        role=role,
        category=category,
        access=access,
        legal_basis="Alleen lezen, volgens het convenant.",
    )


def _basis(role: str, domain: str, category: str) -> str:
    rules = SharingRule.objects.filter(matrix__status=MatrixStatus.ACTIEF, role=role, category=category)
    return rules.get(domain=domain).legal_basis if domain else rules.get(domain="", organisation=None).legal_basis


def test_an_offence_keeps_the_legal_basis_it_was_recorded_under(case, politie_user):
    offence = services.offence_record(actor=politie_user, case=case, committed_on=TODAY, offence_type=f.offence_type())

    assert offence.legal_basis == _basis("partner", "straf", Category.JUSTITIEEL)
    assert "Art. 10 AVG" in offence.legal_basis


def test_a_straf_partner_who_only_reads_justitieel_records_and_corrects_nothing(case, politie_user):
    offence = f.OffenceFactory(case=case, source_organisation=politie_user.organisation, recorded_by=politie_user)
    detention = f.DetentionFactory(case=case)
    _matrix_cell(politie_user.organisation, Category.JUSTITIEEL, Access.LEZEN)

    with pytest.raises(PermissionDenied, match=r"deelmatrix.*justitiële gegevens"):
        services.offence_record(actor=politie_user, case=case, committed_on=TODAY, offence_type=f.offence_type())
    with pytest.raises(PermissionDenied, match="deelmatrix"):
        services.offence_correct(actor=politie_user, offence=offence, outcome=OffenceOutcome.SEPOT)
    with pytest.raises(PermissionDenied, match="deelmatrix"):
        services.detention_record(actor=politie_user, case=case, institution="PI Vught", started_on=TODAY)
    with pytest.raises(PermissionDenied, match="deelmatrix"):
        services.detention_update(actor=politie_user, detention=detention, released_on=TODAY)
    with pytest.raises(PermissionDenied, match="deelmatrix"):
        services.case_update(actor=politie_user, case=case, drug_network_indication=DrugNetworkIndication.JA)

    assert Offence.objects.filter(case=case).count() == 1
    offence.refresh_from_db()
    assert offence.outcome != OffenceOutcome.SEPOT


def test_a_director_records_a_detention_with_its_legal_basis(case):
    detention = services.detention_record(actor=case.case_director, case=case, institution="PI Vught", started_on=TODAY)

    assert detention.legal_basis == _basis("case_director", "", Category.JUSTITIEEL)


SCORES = {"dagbesteding": 3, "zorg": 2, "huisvesting": 3, "identiteitsbewijs": 4, "inkomen": 2, "motivatie": 3}


def test_an_assessment_is_recorded_by_who_writes_zorg_sociaal_and_plan(case, politie_user, altrecht_user):
    """An assessment holds the zorg score, the social-domain scores and the plan's motivation: under the
    default matrix only the directors write all three."""
    f.TeamMemberFactory(case=case, organisation=altrecht_user.organisation)
    for partner in (politie_user, altrecht_user):
        with pytest.raises(PermissionDenied, match="deelmatrix"):
            services.assessment_record(actor=partner, case=case, **SCORES)
    assert not Assessment.objects.filter(case=case).exists()

    assessment = services.assessment_record(actor=case.case_director, case=case, **SCORES)

    for category in (Category.ZORG, Category.SOCIAAL, Category.PLAN):
        assert _basis("case_director", "", category) in assessment.legal_basis


def test_a_journal_entry_is_written_in_a_category_its_author_writes(case, politie_user):
    plain = services.journal_entry_add(actor=politie_user, case=case, text="Gesproken")
    justice = services.journal_entry_add(actor=politie_user, case=case, text="Aangehouden", category=Category.JUSTITIEEL)

    assert (plain.category, plain.legal_basis) == (Category.PLAN, _basis("partner", "straf", Category.PLAN))
    assert (justice.category, justice.legal_basis) == (Category.JUSTITIEEL, _basis("partner", "straf", Category.JUSTITIEEL))
    with pytest.raises(PermissionDenied, match="zorggegevens"):
        services.journal_entry_add(actor=politie_user, case=case, text="Opgenomen", category=Category.ZORG)
    with pytest.raises(ValidationError):
        services.journal_entry_add(actor=politie_user, case=case, text="Iets", category="geheim")
    assert JournalEntry.objects.filter(case=case).count() == 2


def test_lvb_is_written_only_by_who_writes_zorg(case, politie_user):
    """``lvb`` is health data: a straf registrant may not set it; a director may change it."""
    with pytest.raises(PermissionDenied, match="zorggegevens"):
        services.case_register(actor=politie_user, target_group=TargetGroup.DOORGROEIER, person_data=_person_data(lvb=True))
    assert not Person.objects.filter(surname=_person_data()["surname"]).exists()
    case_without_lvb = services.case_register(
        actor=politie_user, target_group=TargetGroup.DOORGROEIER, person_data=_person_data(lvb=False)
    )
    assert case_without_lvb.person.lvb is False

    person = services.person_update(actor=case.case_director, person=case.person, lvb=True)

    assert person.lvb is True


def test_the_plan_is_edited_only_by_who_writes_plan(case):
    _matrix_cell(case.case_director.organisation, Category.PLAN, Access.LEZEN, role="case_director")
    goal = f.GoalFactory(plan=case.plan, created_by=case.case_director)

    with pytest.raises(PermissionDenied, match="plan van aanpak"):
        services.goal_create(actor=case.case_director, case=case, leefgebied="inkomen", description="Schulden")
    with pytest.raises(PermissionDenied, match="plan van aanpak"):
        services.goal_update(actor=case.case_director, goal=goal, achieved=True)


def test_a_director_changes_only_the_person_data_of_categories_they_write(case):
    """``person_update`` asks for the categories of the fields that change (``privacy.policy.FIELDS``)."""
    director = case.case_director
    _matrix_cell(director.organisation, Category.ZORG, Access.LEZEN, role="case_director")

    with pytest.raises(PermissionDenied, match="zorggegevens"):
        services.person_update(actor=director, person=case.person, lvb=True, surname="Anders")
    person = services.person_update(actor=director, person=case.person, lvb=case.person.lvb, surname="Anders")

    assert (person.surname, person.lvb) == ("Anders", False)
