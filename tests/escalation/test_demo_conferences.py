"""The demo's casusoverleg: planned after load_demo, with a proposed agenda, idempotent, never in production."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.selectors import cases_visible_to
from escalation.models import CaseConference, Proposal

pytestmark = pytest.mark.django_db


def test_demo_conference_has_a_proposed_agenda_of_visible_cases():
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_conferences", stdout=StringIO())
    conference = CaseConference.objects.get()
    assert conference.chair.username == "procesregisseur"
    items = list(conference.items.select_related("case"))
    assert items
    visible = set(cases_visible_to(conference.chair).values_list("pk", flat=True))
    assert {item.case_id for item in items} <= visible
    assert Proposal.objects.filter(to_tier="zvhru", proposed_by__username="politie").exists()
    call_command("load_demo_conferences", stdout=StringIO())
    assert CaseConference.objects.count() == 1


def test_demo_conferences_refuse_production(settings):
    settings.PGA_ENVIRONMENT = "production"
    with pytest.raises(CommandError):
        call_command("load_demo_conferences", stdout=StringIO())
