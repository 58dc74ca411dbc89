"""The demo's casusoverleg: planned after load_demo, with a proposed agenda, idempotent, never in production."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.selectors import cases_visible_to
from escalation.models import CaseConference, Decision, Proposal

pytestmark = pytest.mark.django_db


def test_demo_conference_has_a_proposed_agenda_of_visible_cases():
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_conferences", stdout=StringIO())
    conference = CaseConference.objects.get(status="gepland")
    assert conference.chair.username == "procesregisseur"
    items = list(conference.items.select_related("case"))
    assert items
    visible = set(cases_visible_to(conference.chair).values_list("pk", flat=True))
    assert {item.case_id for item in items} <= visible
    assert Proposal.objects.filter(to_tier="zvhru", proposed_by__username="politie").exists()
    call_command("load_demo_conferences", stdout=StringIO())
    assert CaseConference.objects.count() == 2  # the planned one and Dylan's past one, once each


def test_dylans_move_to_top_x_is_a_decision_of_a_past_conference():
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_conferences", stdout=StringIO())
    decision = Decision.objects.get(case__person__given_names="Dylan", case__person__surname="Visser")
    assert (decision.from_tier, decision.to_tier, decision.decided_by.username) == ("lokale_pga", "zvhru", "procesregisseur")
    assert decision.conference.status == "afgerond"
    assert decision.conference.items.get().case == decision.case


def test_demo_conferences_refuse_production(settings):
    settings.PGA_ENVIRONMENT = "production"
    with pytest.raises(CommandError):
        call_command("load_demo_conferences", stdout=StringIO())
