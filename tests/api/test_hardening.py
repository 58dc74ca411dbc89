"""Regressions from the first security review: bearer tokens only open the API, the OAuth2 surface
is the token endpoint only, bodies are bounded, personal data is never cached, 404s are uniform."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories as f

from .conftest import API

pytestmark = pytest.mark.django_db


def test_a_bearer_token_does_not_open_browser_pages(case, politie_app):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {politie_app.token('read')}")
    for url in (reverse("caseload"), reverse("case_detail", args=[case.pk]), reverse("journal_add", args=[case.pk])):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


def test_a_read_token_cannot_write_through_a_browser_form(case, politie_app):
    client = APIClient(enforce_csrf_checks=False)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {politie_app.token('read')}")
    response = client.post(reverse("journal_add", args=[case.pk]), {"kind": "notitie", "occurred_on": "2026-01-01", "text": "x"})
    assert response.status_code == 302
    assert not case.journal.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/oauth/authorize/",
        "/oauth/applications/",
        "/oauth/applications/register/",
        "/oauth/.well-known/openid-configuration/",
        "/oauth/userinfo/",
    ],
)
def test_only_the_token_endpoints_of_oauth_are_served(client, url):
    client.force_login(f.UserFactory(politie=True))
    assert client.get(url).status_code == 404


def test_an_oversized_api_body_is_413_and_saves_nothing(case):
    client = APIClient()
    client.force_login(case.case_director)
    body = '{"text": "ok", "pad": "' + "x" * 1_100_000 + '"}'
    response = client.post(f"{API}/cases/{case.pk}/journal/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "Het verzoek is te groot."}
    assert not case.journal.exists()


def test_pages_and_api_responses_are_not_cached(client, case):
    client.force_login(case.case_director)
    for url in (reverse("case_detail", args=[case.pk]), f"{API}/cases/{case.pk}/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_an_unknown_sub_resource_is_a_plain_dutch_404(case):
    client = APIClient()
    client.force_login(case.case_director)
    response = client.get(f"{API}/cases/{case.pk}/offences/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Niet gevonden."}


@pytest.mark.parametrize("path", ["nothing/", "cases/00000000-0000-0000-0000-000000000000/nonexistent/", "cases/x/y/z"])
def test_unknown_api_paths_are_json_404s(client, path):
    response = client.get(f"{API}/{path}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Niet gevonden."}
