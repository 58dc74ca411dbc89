"""Error responses with DEBUG off (issue #7; ASVS 4.0.3 7.4.1): a generic Dutch page with the request id and no
traceback; JSON under /api/; the same request id in the body, the ``X-Request-ID`` header and the logs."""

import json
import uuid

import pytest
from django.test import Client

from pga.api.exceptions import CSRF_FAILED_DUTCH
from tests import factories as f
from tests.security.urls import SECRET_IN_EXCEPTION

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]

TRACEBACK_MARKERS = ("Traceback", "RuntimeError", "ZeroDivisionError", 'File "', SECRET_IN_EXCEPTION, "Verdacht:")


@pytest.fixture
def anonymous() -> Client:
    return Client(raise_request_exception=False)


@pytest.fixture
def signed_in(db) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(f.UserFactory(case_director=True))
    return client


def assert_no_traceback(body: str) -> None:
    for marker in TRACEBACK_MARKERS:
        assert marker not in body, marker


def test_a_crashing_page_shows_a_dutch_500_with_the_request_id(signed_in, settings):
    assert settings.DEBUG is False
    response = signed_in.get("/test-fouten/crash/")

    body = response.content.decode()
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Er ging iets mis" in body and "Er is een storing" in body
    request_id = response["X-Request-ID"]
    assert len(request_id) >= 32 and f'<code class="pga-request-id">{request_id}</code>' in body
    assert_no_traceback(body)


def test_the_request_id_a_client_sends_is_the_one_shown(anonymous):
    sent = str(uuid.uuid4())
    response = anonymous.get("/test-fouten/crash/", HTTP_X_REQUEST_ID=sent)

    assert response.status_code == 500
    assert response["X-Request-ID"] == sent
    assert sent in response.content.decode()


def test_a_forged_request_id_is_replaced(anonymous):
    response = anonymous.get("/test-fouten/crash/", HTTP_X_REQUEST_ID="<script>x</script>")

    assert response["X-Request-ID"] != "<script>x</script>"
    uuid.UUID(response["X-Request-ID"])
    assert "<script>x</script>" not in response.content.decode()


def test_a_crash_in_the_api_is_json_with_the_request_id(signed_in):
    for url in ("/api/v1/test-fouten/crash/", "/api/v1/test-fouten/kaal/"):
        response = signed_in.get(url)

        assert response.status_code == 500, url
        assert response["Content-Type"] == "application/json"
        body = json.loads(response.content)
        assert set(body) == {"detail", "request_id"}
        assert body["request_id"] == response["X-Request-ID"]
        assert body["detail"].startswith("Er is een storing.")
        assert_no_traceback(response.content.decode())


def test_404_is_a_page_outside_and_json_inside_the_api(signed_in):
    page = signed_in.get("/bestaat-niet/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
    assert "Pagina niet gevonden" in page.content.decode()
    assert page["X-Request-ID"] in page.content.decode()

    api = signed_in.get("/api/v1/bestaat-niet/")
    assert api.status_code == 404 and api["Content-Type"] == "application/json"
    assert api.json()["detail"] == "Niet gevonden."

    oauth = signed_in.get("/oauth/bestaat-niet/")
    assert oauth.status_code == 404 and oauth["Content-Type"] == "application/json"
    assert oauth.json() == {"detail": "Niet gevonden.", "request_id": oauth["X-Request-ID"]}


def test_400_shows_no_reason(anonymous):
    response = anonymous.get("/test-fouten/verdacht/")

    body = response.content.decode()
    assert response.status_code == 400
    assert "Ongeldig verzoek" in body and response["X-Request-ID"] in body
    assert_no_traceback(body)


def test_an_unknown_host_is_a_400_without_the_host_name(anonymous):
    response = anonymous.get("/inloggen/", HTTP_HOST="aanvaller.example")

    assert response.status_code == 400
    assert "aanvaller" not in response.content.decode()


def test_403_shows_the_apps_reason_and_the_request_id(signed_in):
    response = signed_in.get("/test-fouten/geweigerd/")

    body = response.content.decode()
    assert response.status_code == 403
    assert "U mag deze pagina niet zien." in body and response["X-Request-ID"] in body


def test_a_failed_csrf_check_is_the_dutch_expired_form_page_with_the_request_id(db):
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    browser.force_login(f.UserFactory(case_director=True))

    response = browser.post("/uitloggen/")

    body = response.content.decode()
    assert response.status_code == 403
    assert "Het formulier is verlopen" in body and f'<code class="pga-request-id">{response["X-Request-ID"]}</code>' in body
    assert "token missing" not in body and "cookie not set" not in body  # Django's reason is logged, not shown


def test_a_failed_csrf_check_in_the_api_is_dutch_json(db):
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    browser.force_login(f.UserFactory(case_director=True))

    response = browser.post("/api/v1/cases/", {}, content_type="application/json")

    assert response.status_code == 403
    assert response.json() == {"detail": CSRF_FAILED_DUTCH}  # Dutch; the request id is in X-Request-ID
