"""The case timeline shows every kind of event once, newest first, with Dutch titles."""

import datetime as dt

import pytest
from django.utils import timezone

from cases import services
from cases.models import Tier
from cases.timeline import timeline
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_team_changes_plan_changes_and_decisions_are_on_the_timeline(case):
    director = case.case_director
    altrecht = services.team_member_add(actor=director, case=case, organisation=f.organisation("altrecht"))
    services.team_member_remove(actor=director, member=altrecht)
    goal = services.goal_create(actor=director, case=case, leefgebied="zorg", description="Behandeling starten")
    services.action_create(
        actor=director,
        goal=goal,
        description="Meldplicht",
        owning_organisation=f.organisation("politie-midden-nederland"),
        kind="perspectief_bieden",
    )
    f.AssessmentFactory(case=case, assessed_on=TODAY - dt.timedelta(days=2))
    process_director = f.UserFactory(process_director=True)
    services.case_move_apply(
        actor=process_director,
        case=case,
        to_tier=Tier.ZVHRU,
        process_director=process_director,
        reason="Casusoverleg",
        case_director=director,
    )

    titles = [item.title for item in timeline(case)]

    assert "In het casusteam: Altrecht" in titles
    assert "Uit het casusteam: Altrecht" in titles
    assert "Doel toegevoegd (Zorg)" in titles
    assert "Actie toegevoegd (Zorg, Politie Midden-Nederland)" in titles
    assert "Leefgebieden beoordeeld" in titles
    assert "Niveau: Lokale PGA → Top X (ZVHRU)" in titles
    assert f"Procesregisseur: — → {process_director}" in titles
    days = [item.on for item in timeline(case)]
    assert days == sorted(days, reverse=True)


def test_timeline_runs_a_constant_number_of_queries(case, django_assert_max_num_queries):
    for days in range(20):
        f.JournalEntryFactory(case=case, occurred_on=TODAY - dt.timedelta(days=days), author=case.case_director)
        f.OffenceFactory(case=case, committed_on=TODAY - dt.timedelta(days=days + 30))
    with django_assert_max_num_queries(8):
        assert len(timeline(case)) >= 40
