"""Invariants the database itself enforces, even for code that bypasses the services."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Assessment, Case, CaseStatus, CaseTeamMember, Tier
from tests import factories as f

pytestmark = pytest.mark.django_db


def _violates(callable_) -> bool:
    try:
        with transaction.atomic():
            callable_()
    except IntegrityError:
        return True
    return False


def test_one_open_case_per_person(case):
    assert _violates(lambda: f.CaseFactory(person=case.person))
    f.CaseFactory(person=case.person, afgesloten=True)  # closed cases may accumulate
    assert Case.objects.filter(person=case.person).count() == 2


def test_case_director_required_from_lokale_pga():
    assert _violates(lambda: f.CaseFactory(tier=Tier.LOKALE_PGA, case_director=None))


def test_process_director_required_for_zvhru():
    assert _violates(lambda: f.CaseFactory(zvhru=True, process_director=None))


def test_closed_case_has_date_and_reason():
    assert _violates(lambda: f.CaseFactory(status=CaseStatus.AFGESLOTEN, closed_on=None, closing_reason="overig"))
    assert _violates(lambda: f.CaseFactory(status=CaseStatus.AFGESLOTEN, closed_on=timezone.localdate(), closing_reason=""))


def test_team_entry_is_an_organisation_or_a_user(case):
    both = CaseTeamMember(case=case, organisation=f.organisation("jou"), user=case.case_director, added_by=case.case_director)
    neither = CaseTeamMember(case=case, added_by=case.case_director)
    assert _violates(both.save)
    assert _violates(neither.save)


def test_assessment_scores_stay_between_1_and_5(case):
    scores = {"dagbesteding": 3, "zorg": 3, "huisvesting": 3, "identiteitsbewijs": 3, "inkomen": 3, "motivatie": 0}
    assert _violates(lambda: Assessment.objects.create(case=case, assessed_by=case.case_director, **scores))


def test_bsn_is_unique_when_given_and_may_be_absent():
    person = f.PersonFactory()
    assert _violates(lambda: f.PersonFactory(bsn=person.bsn))
    f.PersonFactory(bsn=None)
    f.PersonFactory(bsn=None)  # several persons without a BSN


def test_age_and_detention_helpers(case):
    case.person.date_of_birth = timezone.localdate() - dt.timedelta(days=365 * 22 + 10)
    assert case.person.age == 22
    detention = f.DetentionFactory(case=case, started_on=timezone.localdate(), released_on=None)
    assert detention.is_current_on()
    assert not detention.is_current_on(timezone.localdate() - dt.timedelta(days=1))
