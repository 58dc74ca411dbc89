"""The recommendation at ``GET /api/v1/cases/{id}/recommendation/`` and in the case page's "Advies" panel."""

import datetime as dt
import io

import pytest
import yaml
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases.models import DrugNetworkIndication
from privacy.models import AccessLogEntry
from tests import factories as f
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def doorgroeier(case):
    """``case`` (lokale PGA, Politie in the team) made to meet the doorgroeier criterion."""
    case.person.date_of_birth = TODAY - relativedelta(years=22, days=10)
    case.person.save()
    case.drug_network_indication = DrugNetworkIndication.JA
    case.save()
    f.OffenceFactory(case=case, offence_type=f.offence_type("opw-10-3"), committed_on=TODAY - dt.timedelta(days=60))
    f.AssessmentFactory(case=case, assessed_on=TODAY - dt.timedelta(days=5))  # inkomen 2, motivatie 2
    return case


def url(case) -> str:
    return f"/api/v1/cases/{case.pk}/recommendation/"


@pytest.mark.parametrize("who", ["director", "politie"])
def test_team_members_get_the_recommendation(doorgroeier, politie_user, who):
    user = doorgroeier.case_director if who == "director" else politie_user

    response = client_for(user).get(url(doorgroeier))

    assert response.status_code == 200
    body = response.json()
    keys = ["recommended_tier", "current_tier", "exit_review", "criteria", "rule_set_version", "evaluated_at"]
    # Politie reads no sociaal scores: the exit review, the exit criterion's verdict, is absent (issue #4).
    assert list(body) == (keys if who == "director" else [key for key in keys if key != "exit_review"])
    assert (body["recommended_tier"], body["current_tier"], body.get("exit_review"), body["rule_set_version"]) == (
        "lokale_pga",
        "lokale_pga",
        False if who == "director" else None,
        1,
    )
    doorgroeier_facts = next(c for c in body["criteria"] if c["code"] == "doorgroeier")
    assert "leeftijd 22 (grens 16–27)" in doorgroeier_facts["facts"]
    assert "netwerk in de drugswereld: ja (vereist)" in doorgroeier_facts["facts"]
    if who == "director":
        assert doorgroeier_facts["met"] is True
    else:
        # Politie reads no sociaal and of zorg only a kenmerk (DOMAIN.md §8): the leefgebied fact is absent,
        # and so is ``met``, which was judged on it too (issue #4); of the scores only motivatie (plan) is shown.
        assert "met" not in doorgroeier_facts
        assert not any("leefgebied" in fact or "inkomen" in fact or "zorg" in fact for fact in doorgroeier_facts["facts"])
        assert any(fact.startswith("motivatie 2: op 1–2") for fact in doorgroeier_facts["facts"])


@pytest.mark.parametrize("who", ["outsider", "administrator", "privacy_officer"])
def test_everyone_else_gets_404(case, outsider, who):
    users = {
        "outsider": outsider,
        "administrator": f.UserFactory(administrator=True, organisation=f.organisation("politie-midden-nederland")),
        "privacy_officer": f.UserFactory(privacy_officer=True, organisation=f.organisation("politie-midden-nederland")),
    }

    response = client_for(users[who]).get(url(case))

    assert response.status_code == 404
    assert response.json() == {"detail": "Niet gevonden."}


def test_anonymous_callers_and_writes_are_refused(case):
    assert client_for(None).get(url(case)).status_code in (401, 403)
    assert client_for(case.case_director).post(url(case), {}, format="json").status_code == 405
    assert client_for(case.case_director).get("/api/v1/cases/geen-uuid/recommendation/").status_code == 404


def test_reading_the_recommendation_never_changes_the_tier(doorgroeier):
    doorgroeier.tier = "basisinzet"
    doorgroeier.case_director = None
    doorgroeier.save()
    f.TeamMemberFactory(case=doorgroeier, organisation=f.organisation("gemeente-utrecht"))
    director = f.UserFactory(case_director=True)

    body = client_for(director).get(url(doorgroeier)).json()

    assert (body["recommended_tier"], body["current_tier"]) == ("lokale_pga", "basisinzet")
    doorgroeier.refresh_from_db()
    assert doorgroeier.tier == "basisinzet"


def test_the_schema_documents_the_route_in_dutch():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    operation = yaml.safe_load(out.getvalue())["paths"]["/api/v1/cases/{case_id}/recommendation/"]

    assert set(operation) - {"parameters"} == {"get"}
    get = operation["get"]
    assert get["parameters"][0]["schema"]["format"] == "uuid"
    assert get["summary"] == "Advies opvragen"
    assert "404" in get["responses"] and {"oauth2": ["read"]} in get["security"]


# --- The case page ----------------------------------------------------------------------------------


def test_the_case_page_shows_the_advice_next_to_the_tier(client, doorgroeier):
    client.force_login(doorgroeier.case_director)

    page = client.get(reverse("case_detail", kwargs={"case_id": doorgroeier.pk})).content.decode()

    assert 'id="advies-titel">Advies</h2>' in page
    assert "Doorgroeier → lokale PGA" in page and "netwerk in de drugswereld: ja (vereist)" in page
    assert "Beoordelingskader versie 1" in page
    assert page.index('id="kerngegevens"') < page.index('id="advies"')


def test_the_case_page_stays_404_for_outsiders(client, case, outsider):
    client.force_login(outsider)

    assert client.get(reverse("case_detail", kwargs={"case_id": case.pk})).status_code == 404


def test_the_case_page_shows_only_the_facts_the_matrix_lets_the_viewer_read(client, doorgroeier, politie_user, altrecht_user):
    """Issue #4: the advice's facts are filtered per category (``selectors.fact_categories_visible_to``);
    a zorg partner does not get the drug-network fact (``justitieel``), a straf partner does; both get
    the advice itself, and the page notes the fact categories it showed."""
    f.TeamMemberFactory(case=doorgroeier, organisation=f.organisation("altrecht"))
    page_url = reverse("case_detail", kwargs={"case_id": doorgroeier.pk})
    client.force_login(politie_user)
    page = client.get(page_url).content.decode()
    assert "Doorgroeier → lokale PGA" in page and "netwerk in de drugswereld: ja (vereist)" in page
    assert "justitieel" in AccessLogEntry.objects.order_by("-id").first().categories
    client.force_login(altrecht_user)
    page = client.get(page_url).content.decode()
    assert "Doorgroeier → lokale PGA" in page and "netwerk in de drugswereld" not in page
