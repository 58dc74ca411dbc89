"""Rule sets in the admin (/beheer/): drafts are edited in a validating form and activated by an action."""

import html
import re

import pytest
from django.contrib.auth.models import Permission

from escalation import selectors, services
from escalation.forms import document_initial
from escalation.models import RuleSet, RuleSetStatus
from escalation.parameters import OFFENCE_FLAG_LABELS, VERSION_1, OffenceFlag
from partners.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

CHANGELIST = "/beheer/escalation/ruleset/"


def staff(role: str, username: str):
    user = f.UserFactory(role=role, is_staff=True, username=username)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="escalation", content_type__model="ruleset"))
    return user


@pytest.fixture
def beheerder(client):
    user = staff(Role.ADMINISTRATOR, "beheerder")
    client.force_login(user)
    return user


@pytest.fixture
def draft(beheerder) -> RuleSet:
    return services.rule_set_create_draft(actor=beheerder, based_on=selectors.active_rule_set())


def form_data(document: dict, note: str = "Proef met leeftijdsgrens 27.") -> dict:
    data = {"note": note}
    for key, value in document_initial(document).items():
        if isinstance(value, list):
            data[key] = value
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        else:
            data[key] = "" if value is None else str(value)
    return data


def test_a_draft_is_edited_in_a_form_per_parameter(client, draft):
    page = client.get(f"{CHANGELIST}{draft.pk}/change/")
    assert page.status_code == 200
    assert b'name="top_x__age_max"' in page.content and b'name="doorgroeier__offence_flags"' in page.content

    document = {**VERSION_1, "top_x": {**VERSION_1["top_x"], "age_max": 27}}
    response = client.post(f"{CHANGELIST}{draft.pk}/change/", form_data(document))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.parameters["top_x"]["age_max"] == 27
    assert draft.note == "Proef met leeftijdsgrens 27."


def test_the_form_refuses_parameters_outside_the_schema(client, draft):
    document = {**VERSION_1, "doorgroeier": {**VERSION_1["doorgroeier"], "age_min": 30}}

    response = client.post(f"{CHANGELIST}{draft.pk}/change/", form_data(document))

    assert response.status_code == 200
    assert "De minimumleeftijd ligt boven de maximumleeftijd." in response.content.decode()
    draft.refresh_from_db()
    assert draft.parameters == VERSION_1


def test_the_active_version_is_read_only(client, beheerder):
    active = selectors.active_rule_set()

    page = client.get(f"{CHANGELIST}{active.pk}/change/")
    client.post(f"{CHANGELIST}{active.pk}/change/", form_data({**VERSION_1, "problem_score_max": 3}))

    assert page.status_code == 200 and b'name="top_x__age_max"' not in page.content
    assert "Maximumleeftijd" in page.content.decode()  # the parameters are shown as a table
    rows = dict(re.findall(r"<tr><th>([^<]+)</th><td>([^<]*)</td></tr>", html.unescape(page.content.decode())))
    assert rows["Top X → ZVHRU: Minimumleeftijd (jaren)"] == "geen"  # no lower limit, not "None"
    assert rows["Doorgroeier → lokale PGA: Netwerk in de drugswereld vereist"] == "ja"
    assert rows["Doorgroeier → lokale PGA: Kenmerken die meetellen (een van)"] == ", ".join(
        OFFENCE_FLAG_LABELS[OffenceFlag(flag)] for flag in VERSION_1["doorgroeier"]["offence_flags"]
    )
    active.refresh_from_db()
    assert active.parameters == VERSION_1
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.post(f"{CHANGELIST}{active.pk}/delete/").status_code == 403


def test_the_activate_action_calls_the_service(client, draft):
    response = client.post(CHANGELIST, {"action": "activate", "_selected_action": [draft.pk]}, follow=True)

    assert "Versie 2 is nu het actieve beoordelingskader." in response.content.decode()
    assert dict(RuleSet.objects.values_list("version", "status")) == {1: RuleSetStatus.RETIRED, 2: RuleSetStatus.ACTIVE}


def test_the_new_draft_action_starts_from_the_chosen_version(client, beheerder):
    client.post(CHANGELIST, {"action": "create_draft", "_selected_action": [selectors.active_rule_set().pk]})

    assert RuleSet.objects.get(version=2).status == RuleSetStatus.DRAFT


def test_staff_who_are_not_administrators_cannot_activate(client, draft):
    client.force_login(staff(Role.CASE_DIRECTOR, "regisseur-met-beheer"))

    response = client.post(CHANGELIST, {"action": "activate", "_selected_action": [draft.pk]}, follow=True)

    assert "Alleen een functioneel beheerder" in response.content.decode()
    assert selectors.active_rule_set().version == 1
