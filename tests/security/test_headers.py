"""Security response headers on real responses (issue #7; ASVS 4.0.3 14.4.1–14.4.7, 14.5.x): pages, the API,
the API docs, static files and error pages all carry the Content-Security-Policy, Permissions-Policy,
Referrer-Policy, nosniff, frame and opener policies. The browser check of the CSP: tests/browser/test_csp.py."""

import re

import pytest
from django.test import Client

from tests import factories as f

pytestmark = pytest.mark.django_db

PAGES = ["/inloggen/", "/", "/api/v1/cases/", "/api/v1/docs/", "/api/v1/schema/", "/bestaat-niet/", "/api/v1/bestaat-niet/"]


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def client(db) -> Client:
    client = Client()
    client.force_login(f.UserFactory(case_director=True))
    return client


@pytest.mark.parametrize("url", PAGES)
def test_every_response_carries_the_security_headers(client, url):
    response = (Client() if url == "/inloggen/" else client).get(url)  # signed in, /inloggen/ redirects

    assert response.status_code in (200, 404), response.status_code
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'" and policy["style-src"][0] == "'self'"
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["font-src"] == ["'self'"] and policy["connect-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header and "*" not in header
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_a_nonce_is_in_the_policy_only_where_a_page_uses_one(client):
    login = Client().get("/inloggen/")
    assert "nonce-" not in login["Content-Security-Policy"]

    docs = client.get("/api/v1/docs/")
    nonce = re.search(r"'nonce-([A-Za-z0-9+/=]+)'", docs["Content-Security-Policy"])
    assert nonce is not None
    assert f'<style nonce="{nonce[1]}">' in docs.content.decode()
    assert "<script>" not in docs.content.decode()  # the start script is loaded from docs/?script
    again = client.get("/api/v1/docs/")
    assert nonce[0] not in again["Content-Security-Policy"]  # a new nonce for every response


def test_the_docs_start_script_is_javascript_without_an_external_validator(client):
    script = client.get("/api/v1/docs/?script=")

    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert '"validatorUrl": null' in script.content.decode()


def test_static_files_carry_the_policy_and_nosniff(client):
    response = client.get("/static/js/pga.js")

    assert response.status_code == 200
    assert "Content-Security-Policy" in response and response["X-Content-Type-Options"] == "nosniff"


def test_the_oauth_token_endpoint_carries_the_headers():
    response = Client().post("/oauth/token/", {"grant_type": "client_credentials"})

    assert response.status_code in (400, 401)
    assert response["X-Content-Type-Options"] == "nosniff" and "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_production_sends_hsts(settings):
    """``pga/settings/production.py`` turns HSTS on; the header is sent on https only (SecurityMiddleware)."""
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    response = Client().get("/inloggen/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
