"""Proposals and decisions: the table, who decides, the override rule, the ZVHRU path, the race (issue #3)."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from cases import selectors
from cases import services as case_services
from cases.models import Case, CaseChange, CaseStatus, TargetGroup, Tier
from escalation.models import Decision, Proposal, ProposalStatus
from escalation.services import DecisionConflict, decision_make, proposal_create
from partners.models import Role
from tests import factories as f

TODAY = timezone.localdate()


@pytest.fixture
def zvh_director(db):
    return f.UserFactory(process_director=True)


def _decide(actor, case, **kwargs):
    kwargs.setdefault("from_tier", case.tier)
    kwargs.setdefault("rationale", "Besproken in het casusoverleg")
    return decision_make(actor=actor, case=case, **kwargs)


@pytest.mark.django_db
def test_a_partner_proposes_zvhru_and_the_zvh_joins_the_team(case, politie_user, zvh_director):
    assert not selectors.cases_visible_to(zvh_director).filter(pk=case.pk).exists()
    proposal = proposal_create(actor=politie_user, case=case, to_tier=Tier.ZVHRU, rationale="Veel nieuwe delicten")
    assert (proposal.from_tier, proposal.status) == (Tier.LOKALE_PGA, ProposalStatus.OPEN)
    assert case.team.filter(organisation__code="zvhru", starts_on=TODAY).exists()
    assert selectors.cases_visible_to(zvh_director).filter(pk=case.pk).exists()
    case.refresh_from_db()
    assert case.tier == Tier.LOKALE_PGA  # a proposal never moves the case


@pytest.mark.django_db
def test_the_process_director_decides_and_settles_the_proposal(case, politie_user, zvh_director):
    proposal = proposal_create(actor=politie_user, case=case, to_tier=Tier.ZVHRU, rationale="Escalatie")
    decision = _decide(zvh_director, case, to_tier=Tier.ZVHRU)
    case.refresh_from_db()
    assert (case.tier, case.process_director) == (Tier.ZVHRU, zvh_director)
    assert (decision.decided_by_role, decision.from_tier, decision.to_tier) == (
        Role.PROCESS_DIRECTOR,
        Tier.LOKALE_PGA,
        Tier.ZVHRU,
    )
    assert decision.recommendation["current_tier"] == Tier.LOKALE_PGA
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision) == (ProposalStatus.BESLOTEN, decision)
    assert CaseChange.objects.filter(case=case, kind="tier", to_value=Tier.ZVHRU, reason=decision.rationale).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "to_tier", "allowed"),
    [
        ("case_director", Tier.BASISINZET, True),
        ("case_director", Tier.ZVHRU, False),  # into ZVHRU: only a process director
        ("process_director", Tier.ZVHRU, True),
        ("process_director", Tier.BASISINZET, False),  # a lokale-PGA move is the case director's
        ("politie", Tier.BASISINZET, False),  # partners only propose
        ("other_case_director", Tier.BASISINZET, False),
    ],
)
def test_who_decides_a_tier_move(case, zvh_director, who, to_tier, allowed):
    case_services.team_organisation_join(case=case, organisation=f.organisation("zvhru"), added_by=case.case_director)
    other = f.UserFactory(case_director=True)
    f.TeamMemberFactory(case=case, user=other)
    users = {
        "case_director": case.case_director,
        "process_director": zvh_director,
        "politie": f.UserFactory(politie=True),
        "other_case_director": other,
    }
    if allowed:
        _decide(users[who], case, to_tier=to_tier)
        case.refresh_from_db()
        assert case.tier == to_tier
    else:
        with pytest.raises(PermissionDenied):
            _decide(users[who], case, to_tier=to_tier)
        assert not Decision.objects.exists()


@pytest.mark.django_db
def test_a_move_outside_the_table_is_refused(case):
    basis = f.CaseFactory(case_director=case.case_director, status=CaseStatus.ACTIEF)
    with pytest.raises(ValidationError) as error:
        _decide(case.case_director, basis, to_tier=Tier.ZVHRU)
    assert "to_tier" in error.value.error_dict


@pytest.mark.django_db
def test_a_rationale_is_required(case):
    with pytest.raises(ValidationError) as error:
        _decide(case.case_director, case, to_tier=Tier.BASISINZET, rationale="  ")
    assert "rationale" in error.value.error_dict


@pytest.mark.django_db
def test_a_stale_view_is_a_conflict(case):
    with pytest.raises(DecisionConflict) as conflict:
        _decide(case.case_director, case, from_tier=Tier.BASISINZET, to_tier=Tier.LOKALE_PGA)
    assert conflict.value.current_tier == Tier.LOKALE_PGA


@pytest.mark.django_db
def test_closing_before_the_exit_date_needs_an_override(case):
    f.OffenceFactory(case=case, committed_on=TODAY - dt.timedelta(days=20))
    with pytest.raises(ValidationError) as error:
        _decide(case.case_director, case, to_status=CaseStatus.AFGESLOTEN, closing_reason="verhuisd")
    assert "override_reason" in error.value.error_dict
    decision = _decide(
        case.case_director,
        case,
        to_status=CaseStatus.AFGESLOTEN,
        closing_reason="verhuisd",
        override_reason="Verhuist naar Zwolle",
    )
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.closing_reason) == (CaseStatus.AFGESLOTEN, TODAY, "verhuisd")
    assert decision.override_reason == "Verhuist naar Zwolle"


@pytest.mark.django_db
def test_rejecting_an_aanmelding_and_reopening(case_director):
    case = f.CaseFactory(case_director=case_director, status=CaseStatus.AANGEMELD)
    _decide(case_director, case, to_status=CaseStatus.AFGESLOTEN, closing_reason="niet_opgenomen")
    _decide(case_director, case, to_status=CaseStatus.ACTIEF, rationale="Nieuwe signalen van de wijkagent")
    case.refresh_from_db()
    assert (case.status, case.reopened_on, case.closing_reason) == (CaseStatus.ACTIEF, TODAY, "")
    assert Decision.objects.filter(case=case).count() == 2


@pytest.mark.django_db
def test_a_top_x_aanmelding_brings_in_the_zvh_but_never_sets_zvhru(politie_user):
    data = {"given_names": "Sem", "surname": "Kok", "date_of_birth": dt.date(2005, 1, 1), "informed_on": TODAY}
    with pytest.raises(ValidationError):
        case_services.case_register(actor=politie_user, target_group=TargetGroup.TOP_X, tier=Tier.ZVHRU, person_data=data)
    case = case_services.case_register(actor=politie_user, target_group=TargetGroup.TOP_X, person_data=data)
    assert case.tier != Tier.ZVHRU
    assert case.team.filter(organisation__code="zvhru").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the reference data (see conftest)
def test_two_simultaneous_decisions_exactly_one_wins(case, zvh_director):
    case_services.team_organisation_join(case=case, organisation=f.organisation("zvhru"), added_by=case.case_director)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def decide(actor, to_tier):
        try:
            barrier.wait(timeout=5)
            decision_make(
                actor=actor, case=Case.objects.get(pk=case.pk), from_tier=Tier.LOKALE_PGA, to_tier=to_tier, rationale="Tegelijk"
            )
            outcomes.append("won")
        except (DecisionConflict, ValidationError, PermissionDenied) as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(case.case_director, Tier.BASISINZET)),
        threading.Thread(target=decide, args=(zvh_director, Tier.ZVHRU)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes) == ["DecisionConflict", "won"]
    assert Decision.objects.filter(case=case).count() == 1
    assert Proposal.objects.count() == 0


# --- Free text in a category its author writes (DOMAIN.md §8, issue #4) -----------------------------


@pytest.mark.django_db
def test_a_proposal_rationale_is_written_in_a_category_the_proposer_writes(case, politie_user):
    with pytest.raises(PermissionDenied, match="zorggegevens"):
        proposal_create(actor=politie_user, case=case, to_tier=Tier.ZVHRU, rationale="Opgenomen", rationale_category="zorg")
    with pytest.raises(ValidationError):
        proposal_create(actor=politie_user, case=case, to_tier=Tier.ZVHRU, rationale="Iets", rationale_category="geheim")
    assert not Proposal.objects.exists()

    proposal = proposal_create(
        actor=politie_user, case=case, to_tier=Tier.ZVHRU, rationale="Drie inbraken", rationale_category="justitieel"
    )

    assert proposal.rationale_category == "justitieel"
    assert (
        proposal_create(actor=politie_user, case=case, to_tier=Tier.BASISINZET, rationale="Rustig").rationale_category == "plan"
    )


@pytest.mark.django_db
def test_a_decision_keeps_its_rationale_category(case):
    decision = _decide(case.case_director, case, to_tier=Tier.BASISINZET, rationale="In behandeling", rationale_category="zorg")

    assert Decision.objects.get(pk=decision.pk).rationale_category == "zorg"
