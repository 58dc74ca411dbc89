"""The proposals and decisions API: 201 / 400 / 403 / 404 / 409 as issue #3 lists them; and the page forms."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import Case, Tier
from escalation.models import Decision, Proposal
from tests import factories as f

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_login(user)
    return client


def url(case, resource):
    return f"/api/v1/cases/{case.pk}/{resource}/"


def test_director_de_escalates(case):
    body = {"from_tier": "lokale_pga", "to_tier": "basisinzet", "rationale": "Stabiel sinds een jaar"}
    response = client_for(case.case_director).post(url(case, "decisions"), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["decided_by_role"] == "case_director"
    assert response.json()["recommendation"]["current_tier"] == "lokale_pga"
    assert Case.objects.get(pk=case.pk).tier == Tier.BASISINZET
    listed = client_for(case.case_director).get(url(case, "decisions")).json()
    assert [row["to_tier"] for row in listed["results"]] == ["basisinzet"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"from_tier": "lokale_pga", "to_tier": "lokale_pga", "rationale": "x"}, "to_tier"),  # not in the table
        ({"from_tier": "lokale_pga", "to_tier": "basisinzet", "rationale": " "}, "rationale"),
        ({"from_tier": "lokale_pga", "rationale": "x"}, "detail"),  # neither tier nor status
        ({"from_tier": "lokale_pga", "to_status": "afgesloten", "rationale": "x"}, "closing_reason"),
    ],
)
def test_bad_decisions_are_400(case, body, field):
    response = client_for(case.case_director).post(url(case, "decisions"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Decision.objects.exists()


def test_closing_before_the_exit_date_needs_an_override(case):
    f.OffenceFactory(case=case)
    body = {"from_tier": "lokale_pga", "to_status": "afgesloten", "closing_reason": "verhuisd", "rationale": "Verhuisd"}
    refused = client_for(case.case_director).post(url(case, "decisions"), body, format="json")
    assert refused.status_code == 400
    assert "override_reason" in refused.json()
    accepted = client_for(case.case_director).post(
        url(case, "decisions"), {**body, "override_reason": "Buiten de regio"}, format="json"
    )
    assert accepted.status_code == 201


def test_a_partner_may_propose_but_not_decide(case, politie_user):
    decided = client_for(politie_user).post(
        url(case, "decisions"), {"from_tier": "lokale_pga", "to_tier": "zvhru", "rationale": "x"}, format="json"
    )
    assert decided.status_code == 403
    proposed = client_for(politie_user).post(
        url(case, "proposals"), {"to_tier": "zvhru", "rationale": "Nieuwe feiten"}, format="json"
    )
    assert proposed.status_code == 201, proposed.content
    assert Proposal.objects.get().to_tier == "zvhru"
    assert case.team.filter(organisation__code="zvhru").exists()


def test_a_stale_from_tier_is_409(case):
    body = {"from_tier": "basisinzet", "to_tier": "lokale_pga", "rationale": "x"}
    response = client_for(case.case_director).post(url(case, "decisions"), body, format="json")
    assert response.status_code == 409
    assert response.json()["current_tier"] == "lokale_pga"


@pytest.mark.parametrize("resource", ["decisions", "proposals", "recommendation"])
def test_outsiders_get_404(case, outsider, resource):
    client = client_for(outsider)
    assert client.get(url(case, resource)).status_code == 404
    if resource != "recommendation":
        assert client.post(url(case, resource), {"to_tier": "basisinzet", "rationale": "x"}, format="json").status_code == 404


def test_the_decision_form_on_the_page(client, case):
    client.force_login(case.case_director)
    page = client.get(reverse("case_detail", args=[case.pk]))
    assert reverse("decision_add", args=[case.pk]) in page.content.decode()
    response = client.post(
        reverse("decision_add", args=[case.pk]), {"from_tier": "lokale_pga", "move": "tier:basisinzet", "rationale": "Stabiel"}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).tier == Tier.BASISINZET


def test_a_stale_decision_form_says_so_and_changes_nothing(client, case):
    client.force_login(case.case_director)
    response = client.post(
        reverse("decision_add", args=[case.pk]), {"from_tier": "zvhru", "move": "tier:basisinzet", "rationale": "Oude pagina"}
    )
    assert response.status_code == 200
    assert "intussen" in response.content.decode()
    assert Case.objects.get(pk=case.pk).tier == Tier.LOKALE_PGA


def test_a_partner_gets_the_proposal_form_not_the_decision_form(client, case, politie_user):
    client.force_login(politie_user)
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("proposal_add", args=[case.pk]) in page
    assert reverse("decision_add", args=[case.pk]) not in page
    assert client.get(reverse("decision_add", args=[case.pk])).status_code == 403
    response = client.post(reverse("proposal_add", args=[case.pk]), {"to_tier": "zvhru", "rationale": "Zorgen"})
    assert response.status_code == 302
    assert Proposal.objects.filter(case=case, proposed_by=politie_user).exists()


def test_open_proposals_are_listed_for_the_deciding_director(client, case, politie_user):
    from escalation.services import proposal_create

    proposal_create(actor=politie_user, case=case, to_tier=Tier.BASISINZET, rationale="Gaat goed")
    proposal_create(actor=politie_user, case=case, to_tier=Tier.ZVHRU, rationale="Gaat slecht")
    client.force_login(case.case_director)
    html = client.get(reverse("caseload")).content.decode()
    assert "Open voorstellen voor u" in html
    assert "Lokale PGA → <strong>Basisinzet</strong>" in html
    assert "→ <strong>Top X (ZVHRU)</strong>" not in html  # the process director decides that one
    process_director = f.UserFactory(process_director=True)
    client.force_login(process_director)
    html = client.get(reverse("caseload")).content.decode()
    assert "→ <strong>Top X (ZVHRU)</strong>" in html
    client.force_login(politie_user)
    assert "Open voorstellen voor u" not in client.get(reverse("caseload")).content.decode()


CLOSE = {"to_status": "afgesloten", "closing_reason": "verhuisd", "override_reason": "Verhuisd"}


@pytest.mark.parametrize(
    ("role", "move", "status"),
    [
        ("case_director", {"to_tier": "basisinzet"}, 201),
        ("case_director", {"to_tier": "zvhru"}, 403),
        ("case_director", CLOSE, 201),
        ("case_director", {"to_status": "aangemeld"}, 400),
        ("process_director", {"to_tier": "zvhru"}, 201),
        ("process_director", {"to_tier": "basisinzet"}, 403),
        ("process_director", CLOSE, 403),
        ("politie", {"to_tier": "basisinzet"}, 403),
        ("politie", {"to_tier": "zvhru"}, 403),
        ("politie", CLOSE, 403),
        ("outsider", {"to_tier": "basisinzet"}, 404),
        ("outsider", {"to_tier": "zvhru"}, 404),
    ],
)
def test_the_decision_matrix_over_the_api(case, politie_user, outsider, role, move, status):
    from cases.services import team_organisation_join

    team_organisation_join(case=case, organisation=f.organisation("zvhru"), added_by=case.case_director)
    users = {
        "case_director": case.case_director,
        "process_director": f.UserFactory(process_director=True),
        "politie": politie_user,
        "outsider": outsider,
    }
    body = {"from_tier": "lokale_pga", "rationale": "Casusoverleg", **move}
    response = client_for(users[role]).post(url(case, "decisions"), body, format="json")
    assert response.status_code == status, response.content
    assert Decision.objects.filter(case=case).count() == (1 if status == 201 else 0)


def test_the_decision_form_offers_only_moves_the_user_takes(client, case):
    from cases.services import team_organisation_join

    team_organisation_join(case=case, organisation=f.organisation("zvhru"), added_by=case.case_director)
    process_director = f.UserFactory(process_director=True)
    client.force_login(process_director)
    html = client.get(reverse("decision_add", args=[case.pk])).content.decode()
    assert "Opschalen naar Top X (ZVHRU)" in html
    assert "Afschalen naar Basisinzet" not in html
    client.force_login(case.case_director)
    html = client.get(reverse("decision_add", args=[case.pk])).content.decode()
    assert "Afschalen naar Basisinzet" in html
    assert "Opschalen naar Top X (ZVHRU)" not in html
