"""The case timeline shows every kind of event once, newest first, with Dutch titles."""

import datetime as dt

import pytest
from django.utils import timezone

from cases import services
from cases.models import Tier
from cases.timeline import timeline
from privacy.policy import disclosure_for
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

    titles = [item.title for item in timeline(case, disclosure_for(director))]

    assert "In het casusteam: Altrecht" in titles
    assert "Uit het casusteam: Altrecht" in titles
    assert "Doel toegevoegd (Zorg)" in titles
    assert "Actie toegevoegd (Zorg, Politie Midden-Nederland)" in titles
    assert "Leefgebieden beoordeeld" in titles
    assert "Niveau: Lokale PGA → Top X (ZVHRU)" in titles
    assert f"Procesregisseur: — → {process_director}" in titles
    days = [item.on for item in timeline(case, disclosure_for(director))]
    assert days == sorted(days, reverse=True)


def test_timeline_runs_a_constant_number_of_queries(case, django_assert_max_num_queries):
    for days in range(20):
        f.JournalEntryFactory(case=case, occurred_on=TODAY - dt.timedelta(days=days), author=case.case_director)
        f.OffenceFactory(case=case, committed_on=TODAY - dt.timedelta(days=days + 30))
    disclosure = disclosure_for(case.case_director)  # the matrix is read once per request, before the timeline
    with django_assert_max_num_queries(8):
        assert len(timeline(case, disclosure)) >= 40


# --- The sharing matrix (DOMAIN.md §8, issue #4) -------------------------------------------------------


def _mixed_history(case):
    """Offence, detention, a journal entry per category, an assessment and a zorg partner in the team."""
    f.OffenceFactory(case=case, description="Inbraak in een schuur aan de Vleutenseweg")
    f.DetentionFactory(case=case, institution="PI Nieuwegein")
    for category in ("plan", "zorg", "justitieel", "sociaal"):
        f.JournalEntryFactory(case=case, author=case.case_director, category=category, text=f"Notitie over {category}")
    f.AssessmentFactory(case=case, zorg=2, inkomen=1)
    f.TeamMemberFactory(case=case, organisation=f.organisation("altrecht"), added_by=case.case_director)


def test_a_zorg_partner_sees_no_justitieel_items_and_only_readable_journal_entries(case, altrecht_user):
    _mixed_history(case)
    items = timeline(case, disclosure_for(altrecht_user))
    kinds = {item.kind for item in items}
    assert "offence" not in kinds and "detention" not in kinds
    journal = sorted(item.text for item in items if item.kind == "journal")
    assert journal == ["Notitie over plan", "Notitie over zorg"]
    assert all(item.category in ("plan", "zorg") for item in items)
    assert not any("Inbraak" in item.text or "PI Nieuwegein" in item.title for item in items)
    [assessment] = [item for item in items if item.title == "Leefgebieden beoordeeld"]
    assert "zorg 2" in assessment.text and "inkomen" not in assessment.text


def test_a_straf_partner_sees_offences_but_no_zorg_entries_scores_or_partners(case, politie_user):
    _mixed_history(case)
    items = timeline(case, disclosure_for(politie_user))
    assert any(item.kind == "offence" and item.text == "Inbraak in een schuur aan de Vleutenseweg" for item in items)
    assert any(item.kind == "detention" for item in items)
    journal = sorted(item.text for item in items if item.kind == "journal")
    assert journal == ["Notitie over justitieel", "Notitie over plan"]
    [assessment] = [item for item in items if item.title == "Leefgebieden beoordeeld"]
    assert "zorg" not in assessment.text and "inkomen" not in assessment.text and "motivatie 2" in assessment.text
    assert "In het casusteam: Altrecht" not in [item.title for item in items]


def test_a_director_sees_every_category(case):
    _mixed_history(case)
    items = timeline(case, disclosure_for(case.case_director))
    assert len([item for item in items if item.kind == "journal"]) == 4
    assert "In het casusteam: Altrecht" in [item.title for item in items]
    [assessment] = [item for item in items if item.title == "Leefgebieden beoordeeld"]
    assert "zorg 2" in assessment.text and "inkomen 1" in assessment.text


def test_a_partners_timeline_runs_a_constant_number_of_queries(case, politie_user, django_assert_max_num_queries):
    for days in range(20):
        f.JournalEntryFactory(case=case, occurred_on=TODAY - dt.timedelta(days=days), author=case.case_director, category="zorg")
        f.OffenceFactory(case=case, committed_on=TODAY - dt.timedelta(days=days + 30))
    disclosure = disclosure_for(politie_user)
    with django_assert_max_num_queries(8):
        items = timeline(case, disclosure)
    assert len([item for item in items if item.kind == "offence"]) == 20
    assert not [item for item in items if item.kind == "journal"]
