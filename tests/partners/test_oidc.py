"""Sign-in through the municipality's identity provider (``PGA_LOGIN = "oidc"``, partners/oidc.py; issue #7).

The provider runs in-process: django-oauth-toolkit with OIDC on, an RSA key made for the test run, an
authorization-code application with RS256 and PKCE (tests/partners/oidc_urls.py). mozilla-django-oidc
calls its token, userinfo and JWKS endpoints over real HTTP on pytest-django's live server; the browser
side (the button, the provider's authorize page, the callback) goes through two test clients, one per
"site", so the provider's session and PGA's never share a cookie. Sources: OIDC Core 1.0 (state,
nonce, aud/iss, prompt/max_age/auth_time), RFC 8176 (amr), ASVS 4.0.3 2.7/2.8 (multi-factor), 3.7.1
(re-authentication), BIO 9.4.2.
"""

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from oauth2_provider.models import Application
from oauth2_provider.views.mixins import OAuthLibMixin

from partners import oidc
from partners.models import User
from tests import factories as f
from tests.deploy.helpers import production_environment, run_python

from . import oidc_urls

CLIENT_ID = "pga-test-client"
CLIENT_SECRET = "pga-test-client-secret-not-secret"
PROVIDER_NAME = "Gemeente Utrecht-account"
CALLBACK = "http://testserver/oidc/callback/"
MFA = {"amr": ["pwd", "otp"]}

transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# --- Settings as base.py makes them for PGA_LOGIN=oidc ----------------------------------------------


def settings_in_child(**environment: str) -> dict[str, Any]:
    """``pga.settings.test`` imported in a child process with ``environment`` added: its backends,
    middleware and sign-out URL, as a running PGA would have them."""
    code = (
        "import json; from pga.settings import test as s; "
        "values = {k: getattr(s, k) for k in ('AUTHENTICATION_BACKENDS', 'MIDDLEWARE', 'LOGOUT_REDIRECT_URL')}; "
        "values['form-action'] = [str(v) for v in s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']]; "
        "print(json.dumps(values))"
    )
    result = run_python(["-c", code], {**os.environ, **environment})
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="session")
def oidc_mode_settings() -> dict[str, Any]:
    return settings_in_child(PGA_LOGIN="oidc")


@pytest.fixture(scope="session")
def rsa_private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


@dataclass
class Provider:
    """The in-process identity provider, and a browser signed in there (``client``) as ``account``."""

    issuer: str
    client: Client
    account: User

    def sign_in(self, claims: dict[str, Any]) -> None:
        """The person signs in at the provider; its tokens will carry ``claims``."""
        oidc_urls.IDP_CLAIMS[self.account.pk] = claims
        self.client.force_login(self.account)


@pytest.fixture
def provider(live_server, settings, rsa_private_key, oidc_mode_settings) -> Iterator[Provider]:
    """PGA in OIDC mode against the in-process provider on the live server."""
    issuer = f"{live_server.url}/test-idp"
    settings.ROOT_URLCONF = "tests.partners.oidc_urls"
    settings.PGA_LOGIN = "oidc"
    settings.AUTHENTICATION_BACKENDS = oidc_mode_settings["AUTHENTICATION_BACKENDS"]
    settings.MIDDLEWARE = oidc_mode_settings["MIDDLEWARE"]
    settings.PGA_OIDC_PROVIDER_NAME = PROVIDER_NAME
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{issuer}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/jwks/"
    settings.PGA_OIDC_ISSUER = issuer
    # The provider's pages are not PGA's: SessionRefresh leaves the provider's own session alone.
    settings.OIDC_EXEMPT_URLS = ["oidc_reauthenticate", re.compile(r"^/test-idp/")]
    settings.OAUTH2_PROVIDER = {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": rsa_private_key,
        "OIDC_ISS_ENDPOINT": issuer,
        "SCOPES": {"openid": "OpenID Connect", "email": "E-mailadres", "profile": "Profiel"},
        "DEFAULT_SCOPES": ["openid"],
        "OAUTH2_VALIDATOR_CLASS": "tests.partners.oidc_urls.IdPClaimsValidator",
        "PKCE_REQUIRED": True,
        # django-oauth-toolkit keeps each view's oauthlib server on the class after its first request:
        # PGA's own token endpoint, used by earlier tests, would answer with PGA's validator.
        "ALWAYS_RELOAD_OAUTHLIB_CORE": True,
    }
    Application.objects.create(
        name="PGA",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=CALLBACK,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    # A provider account: in this single-process setup it lives in PGA's user table, but the
    # claims it hands out (IDP_CLAIMS) decide whom PGA signs in.
    account = f.UserFactory(username="idp-account")
    yield Provider(issuer=issuer, client=Client(), account=account)
    oidc_urls.IDP_CLAIMS.clear()
    forget_oauthlib_servers()


def forget_oauthlib_servers() -> None:
    """Drop the oauthlib servers django-oauth-toolkit cached on its view classes (``_oauthlib_core``),
    so that later tests of PGA's own OAuth endpoints get servers built from PGA's settings again."""
    pending: list[type] = [OAuthLibMixin]
    while pending:
        view = pending.pop()
        pending.extend(view.__subclasses__())
        if "_oauthlib_core" in vars(view):
            delattr(view, "_oauthlib_core")


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def through_provider(browser: Client, provider: Provider, start: str) -> Any:
    """Follow PGA's redirect from ``start`` to the provider, and the provider's back to PGA's callback;
    return the callback's response."""
    to_provider = browser.get(start)
    assert to_provider.status_code == 302
    assert to_provider["Location"].startswith(f"{provider.issuer}/authorize/?")
    back = provider.client.get(path_of(to_provider["Location"]))
    assert back.status_code == 302, back.content[:500]
    return callback(browser, back["Location"])


def callback(browser: Client, location: str) -> Any:
    assert location.startswith(f"{CALLBACK}?"), location
    return browser.get(path_of(location))


def signed_in_user_id(browser: Client) -> str | None:
    return browser.session.get(AUTH_SESSION_KEY)


def sign_in(browser: Client, provider: Provider, claims: dict[str, Any]) -> Any:
    provider.sign_in(claims)
    return through_provider(browser, provider, reverse("oidc_authentication_init"))


# --- The sign-in page -----------------------------------------------------------------------------


@transactional
def test_the_sign_in_page_shows_one_provider_button_and_no_password_form(provider):
    page = Client().get(reverse("login"), {"next": "/casussen/"})
    html = page.content.decode()
    assert page.status_code == 200
    assert f"Inloggen via {PROVIDER_NAME}" in html
    assert 'href="/oidc/authenticate/?next=/casussen/"' in html
    assert 'name="password"' not in html


@pytest.mark.django_db
def test_in_password_mode_the_oidc_endpoints_do_not_exist(client, settings):
    assert settings.PGA_LOGIN == "password"
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "y"}).status_code == 404
    assert 'name="password"' in client.get(reverse("login")).content.decode()


@transactional
def test_a_password_post_is_refused_in_oidc_mode(provider):
    user = f.UserFactory(username="jdevries")
    browser = Client()
    page = browser.post(reverse("login"), {"username": user.username, "password": f.PASSWORD})
    assert page.status_code == 200
    assert signed_in_user_id(browser) is None
    assert "Inloggen met een gebruikersnaam en wachtwoord kan hier niet." in page.content.decode()


# --- Signing in -------------------------------------------------------------------------------------


@transactional
@pytest.mark.parametrize(
    ("overrides", "claims"),
    [
        ({}, {"preferred_username": "jdevries", **MFA}),
        ({"PGA_OIDC_USER_CLAIM": "email", "PGA_OIDC_USER_FIELD": "email"}, {"email": "J.deVries@utrecht.nl", **MFA}),
    ],
    ids=["preferred_username-to-username", "email-to-email"],
)
def test_a_successful_sign_in_lands_on_the_caseload_as_the_mapped_user(provider, settings, overrides, claims):
    for name, value in overrides.items():
        setattr(settings, name, value)
    user = f.UserFactory(username="jdevries", email="j.devries@utrecht.nl")
    f.UserFactory(username="someone-else", email="someone@utrecht.nl")
    browser = Client()

    landed = sign_in(browser, provider, claims)

    assert landed.status_code == 302
    assert landed["Location"] == reverse("caseload")
    assert signed_in_user_id(browser) == str(user.pk)
    assert browser.session[oidc.SESSION_KEY] is True
    # The second factor was the provider's: the caseload opens without PGA's TOTP (the user has none).
    caseload = browser.get(landed["Location"])
    assert caseload.status_code == 200
    assert caseload.wsgi_request.user == user
    assert oidc.signed_in_with_oidc(caseload.wsgi_request)
    assert not TOTPDevice.objects.filter(user=user).exists()


@transactional
def test_an_oidc_session_is_not_asked_for_totp(provider):
    user = f.UserFactory(username="jdevries", privacy_officer=True)
    browser = Client()
    sign_in(browser, provider, {"preferred_username": "jdevries", **MFA})
    officer_home = browser.get(reverse("officer_home"))
    assert officer_home.status_code == 200
    assert officer_home.wsgi_request.user == user
    assert not TOTPDevice.objects.filter(user=user).exists()


@transactional
def test_sign_in_records_the_providers_authentication_time(provider):
    f.UserFactory(username="jdevries")
    browser = Client()
    sign_in(browser, provider, {"preferred_username": "jdevries", **MFA})
    provider.account.refresh_from_db()
    expected = dt.datetime.fromtimestamp(int(provider.account.last_login.timestamp()), tz=dt.UTC)
    assert dt.datetime.fromisoformat(browser.session[oidc.REAUTHENTICATED_AT_SESSION_KEY]) == expected


REFUSED = {
    "unknown": "aan dat account is geen actief PGA-account gekoppeld",
    "no_mfa": "meldt niet dat u met twee stappen bent ingelogd",
}


@transactional
@pytest.mark.parametrize(
    ("make_user", "claims", "refusal"),
    [
        (lambda: f.UserFactory(username="jdevries"), {"preferred_username": "onbekend", **MFA}, "unknown"),
        (lambda: f.UserFactory(username="jdevries", is_active=False), {"preferred_username": "jdevries", **MFA}, "unknown"),
        (lambda: f.UserFactory(username="jdevries", is_application=True), {"preferred_username": "jdevries", **MFA}, "unknown"),
        (lambda: f.UserFactory(username="jdevries"), {"email": "j@utrecht.nl", **MFA}, "unknown"),
        (lambda: f.UserFactory(username="jdevries"), {"preferred_username": "jdevries", "amr": ["pwd"]}, "no_mfa"),
        (lambda: f.UserFactory(username="jdevries"), {"preferred_username": "jdevries"}, "no_mfa"),
    ],
    ids=["unknown-user", "deactivated-user", "application-user", "claim-missing", "password-only", "no-amr"],
)
def test_a_sign_in_is_refused_with_a_dutch_message(provider, make_user, claims, refusal):
    make_user()
    browser = Client()

    refused = sign_in(browser, provider, claims)

    assert refused.status_code == 302
    assert refused["Location"] == reverse("login")
    assert signed_in_user_id(browser) is None
    page = browser.get(refused["Location"]).content.decode()
    assert REFUSED[refusal] in page
    assert PROVIDER_NAME in page


@transactional
def test_deactivating_the_user_ends_an_open_oidc_session(provider):
    user = f.UserFactory(username="jdevries")
    browser = Client()
    sign_in(browser, provider, {"preferred_username": "jdevries", **MFA})
    assert browser.get(reverse("caseload")).status_code == 200

    User.objects.filter(pk=user.pk).update(is_active=False)

    assert browser.get(reverse("caseload")).wsgi_request.user.is_anonymous


@transactional
def test_without_required_mfa_a_password_only_provider_sign_in_is_accepted(provider, settings):
    settings.PGA_OIDC_REQUIRE_MFA = False
    user = f.UserFactory(username="jdevries")
    browser = Client()
    sign_in(browser, provider, {"preferred_username": "jdevries", "amr": ["pwd"]})
    assert signed_in_user_id(browser) == str(user.pk)


@transactional
def test_a_configured_acr_value_counts_as_multi_factor(provider, settings):
    settings.PGA_OIDC_MFA_ACR_VALUES = ["urn:gemeente:loa:substantieel"]
    user = f.UserFactory(username="jdevries")
    browser = Client()
    sign_in(browser, provider, {"preferred_username": "jdevries", "acr": "urn:gemeente:loa:substantieel"})
    assert signed_in_user_id(browser) == str(user.pk)


@transactional
def test_a_tampered_state_is_refused(provider):
    f.UserFactory(username="jdevries")
    provider.sign_in({"preferred_username": "jdevries", **MFA})
    browser = Client()
    to_provider = browser.get(reverse("oidc_authentication_init"))
    back = provider.client.get(path_of(to_provider["Location"]))
    query = parse_qs(urlsplit(back["Location"]).query)

    tampered = browser.get(reverse("oidc_authentication_callback"), {"code": query["code"][0], "state": "x" * 32})

    assert tampered.status_code == 400
    assert signed_in_user_id(browser) is None


@transactional
def test_a_callback_without_a_flow_started_in_this_session_is_refused(provider):
    """Another browser's code and state (login CSRF): this session started no flow, so no sign-in."""
    f.UserFactory(username="jdevries")
    provider.sign_in({"preferred_username": "jdevries", **MFA})
    attacker = Client()
    to_provider = attacker.get(reverse("oidc_authentication_init"))
    back = provider.client.get(path_of(to_provider["Location"]))
    victim = Client()
    response = callback(victim, back["Location"])
    assert response.status_code == 302
    assert signed_in_user_id(victim) is None


# --- Re-authentication, the provider's session, signing out ----------------------------------------


@transactional
def test_reauthentication_round_trip_records_the_fresh_sign_in(provider):
    user = f.UserFactory(username="jdevries")
    browser = Client()
    sign_in(browser, provider, {"preferred_username": "jdevries", **MFA})
    session = browser.session
    session[oidc.REAUTHENTICATED_AT_SESSION_KEY] = "2020-01-01T00:00:00+00:00"
    session.save()

    to_provider = browser.get(oidc.reauthentication_url(None, "/casussen/?pagina=2"))  # type: ignore[arg-type]
    assert to_provider.status_code == 302
    query = parse_qs(urlsplit(to_provider["Location"]).query)
    assert query["prompt"] == ["login"]
    assert query["max_age"] == ["0"]
    # The provider asks for a fresh sign-in first, then goes on with the authorization.
    to_login = provider.client.get(path_of(to_provider["Location"]))
    assert to_login.status_code == 302
    assert to_login["Location"].startswith(oidc_urls.IDP_LOGIN_PATH)
    provider.client.force_login(provider.account)
    back = provider.client.get(parse_qs(urlsplit(to_login["Location"]).query)["next"][0])
    returned = callback(browser, back["Location"])

    assert returned.status_code == 302
    assert returned["Location"] == "/casussen/?pagina=2"
    assert signed_in_user_id(browser) == str(user.pk)
    provider.account.refresh_from_db()
    at = dt.datetime.fromisoformat(browser.session[oidc.REAUTHENTICATED_AT_SESSION_KEY])
    assert at == dt.datetime.fromtimestamp(int(provider.account.last_login.timestamp()), tz=dt.UTC)
    assert timezone.now() - at < dt.timedelta(minutes=1)


@transactional
def test_reauthentication_with_an_old_provider_sign_in_is_refused(provider):
    """A provider that ignores prompt=login hands back its old sign-in: not fresh, nothing recorded."""
    user = f.UserFactory(username="jdevries")
    browser = Client()
    sign_in(browser, provider, {"preferred_username": "jdevries", **MFA})
    session = browser.session
    session[oidc.REAUTHENTICATED_AT_SESSION_KEY] = "2020-01-01T00:00:00+00:00"
    session.save()
    User.objects.filter(pk=provider.account.pk).update(last_login=timezone.now() - dt.timedelta(hours=1))

    to_provider = browser.get(oidc.reauthentication_url(None, "/casussen/"))  # type: ignore[arg-type]
    to_login = provider.client.get(path_of(to_provider["Location"]))
    back = provider.client.get(parse_qs(urlsplit(to_login["Location"]).query)["next"][0])  # no new sign-in
    returned = callback(browser, back["Location"])

    assert returned.status_code == 302
    assert signed_in_user_id(browser) == str(user.pk)  # still signed in, but not freshly
    assert browser.session[oidc.REAUTHENTICATED_AT_SESSION_KEY] == "2020-01-01T00:00:00+00:00"
    assert "U bent niet opnieuw ingelogd" in browser.get(reverse("caseload")).content.decode()


@transactional
def test_a_callback_naming_someone_else_signs_out(provider):
    f.UserFactory(username="jdevries")
    f.UserFactory(username="pjansen")
    browser = Client()
    sign_in(browser, provider, {"preferred_username": "jdevries", **MFA})
    oidc_urls.IDP_CLAIMS[provider.account.pk] = {"preferred_username": "pjansen", **MFA}

    to_provider = browser.get(oidc.reauthentication_url(None, "/casussen/"))  # type: ignore[arg-type]
    to_login = provider.client.get(path_of(to_provider["Location"]))
    provider.client.force_login(provider.account)
    back = provider.client.get(parse_qs(urlsplit(to_login["Location"]).query)["next"][0])
    returned = callback(browser, back["Location"])

    assert returned["Location"] == reverse("login")
    assert signed_in_user_id(browser) is None


@transactional
def test_an_ended_provider_session_ends_the_pga_session_at_the_next_check(provider):
    user = f.UserFactory(username="jdevries")
    browser = Client()
    sign_in(browser, provider, {"preferred_username": "jdevries", **MFA})
    session = browser.session
    session["oidc_id_token_expiration"] = 0  # the ID token's renewal time has passed
    session.save()

    # While the provider's session holds, a silent check (prompt=none) keeps the user signed in …
    check = browser.get(reverse("caseload"))
    assert check.status_code == 302
    assert parse_qs(urlsplit(check["Location"]).query)["prompt"] == ["none"]
    back = provider.client.get(path_of(check["Location"]))
    assert callback(browser, back["Location"])["Location"] == reverse("caseload")
    assert signed_in_user_id(browser) == str(user.pk)

    # … an htmx request is told to reload the page rather than follow a redirect to the provider …
    session = browser.session
    session["oidc_id_token_expiration"] = 0
    session.save()
    assert browser.get(reverse("caseload"), headers={"HX-Request": "true"})["HX-Refresh"] == "true"

    # … and once the person signed out at the provider, the next check signs them out of PGA.
    provider.client.logout()
    check = browser.get(reverse("caseload"))
    back = provider.client.get(path_of(check["Location"]))
    assert parse_qs(urlsplit(back["Location"]).query)["error"] == ["login_required"]
    ended = callback(browser, back["Location"])
    assert ended["Location"] == reverse("login")
    assert signed_in_user_id(browser) is None
    assert "Uw sessie bij" in browser.get(reverse("login")).content.decode()


@transactional
def test_signing_out_ends_the_pga_session_and_the_providers(provider, settings):
    end_session = "https://login.utrecht.nl/logout"
    with_end_session = settings_in_child(
        PGA_LOGIN="oidc",
        OIDC_OP_AUTHORIZATION_ENDPOINT="https://login.utrecht.nl/authorize",
        OIDC_OP_LOGOUT_ENDPOINT=end_session,
        OIDC_RP_CLIENT_ID=CLIENT_ID,
        PGA_BASE_URL="https://pga.example.nl",
    )
    settings.LOGOUT_REDIRECT_URL = with_end_session["LOGOUT_REDIRECT_URL"]
    # The browser may follow the sign-out form's redirect to the provider (CSP form-action).
    assert with_end_session["form-action"] == ["'self'", "https://login.utrecht.nl"]
    f.UserFactory(username="jdevries")
    browser = Client()
    sign_in(browser, provider, {"preferred_username": "jdevries", **MFA})

    signed_out = browser.post(reverse("logout"))

    assert signed_out.status_code == 302
    location = urlsplit(signed_out["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == end_session
    assert parse_qs(location.query) == {
        "client_id": [CLIENT_ID],
        "post_logout_redirect_uri": ["https://pga.example.nl/inloggen/"],
    }
    assert signed_in_user_id(browser) is None
    assert browser.get(reverse("caseload")).status_code == 302


# --- Pure rules and settings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "acr_values", "expected"),
    [
        ({"amr": ["mfa"]}, [], True),
        ({"amr": ["pwd", "otp"]}, [], True),
        ({"amr": ["hwk", "pin"]}, [], True),
        ({"amr": ["pwd", "fpt"]}, [], True),
        ({"amr": ["pwd"]}, [], False),
        ({"amr": ["otp", "sms"]}, [], False),  # two possession factors are one kind
        ({"amr": "pwd"}, [], False),
        ({}, [], False),
        ({"acr": "loa3"}, ["loa3"], True),
        ({"acr": "loa2"}, ["loa3"], False),
        ({"amr": ["pwd"], "acr": "loa3"}, ["loa3"], True),
    ],
)
def test_shows_multi_factor(claims, acr_values, expected):
    assert oidc.shows_multi_factor(claims, acr_values) is expected


def test_oidc_mode_swaps_the_password_backend_and_adds_session_refresh(oidc_mode_settings):
    backends = oidc_mode_settings["AUTHENTICATION_BACKENDS"]
    assert "partners.oidc.OIDCBackend" in backends
    assert "partners.backends.PartnerModelBackend" not in backends
    middleware = oidc_mode_settings["MIDDLEWARE"]
    after_authentication = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
    assert middleware.index("partners.oidc.SessionRefresh") == after_authentication


def test_an_unknown_login_mode_is_refused():
    result = run_python(["-c", "import pga.settings.test"], {**os.environ, "PGA_LOGIN": "saml"})
    assert result.returncode != 0
    assert 'PGA_LOGIN moet "password" of "oidc" zijn.' in result.stderr


HTTPS_PROVIDER = {
    "PGA_LOGIN": "oidc",
    "OIDC_RP_CLIENT_ID": "pga",
    "OIDC_RP_CLIENT_SECRET": "geheim-van-de-gemeente",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.utrecht.nl/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.utrecht.nl/token",
    "OIDC_OP_USER_ENDPOINT": "https://login.utrecht.nl/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.utrecht.nl/jwks",
    "PGA_OIDC_ISSUER": "https://login.utrecht.nl",
}


def test_production_accepts_a_complete_https_provider():
    result = run_python(["-c", "import pga.settings.production"], production_environment(**HTTPS_PROVIDER))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"OIDC_OP_TOKEN_ENDPOINT": ""}, "OIDC_OP_TOKEN_ENDPOINT ontbreekt"),
        ({"OIDC_RP_CLIENT_SECRET": ""}, "OIDC_RP_CLIENT_SECRET ontbreekt"),
        ({"PGA_OIDC_ISSUER": ""}, "PGA_OIDC_ISSUER ontbreekt"),
        ({"OIDC_OP_JWKS_ENDPOINT": "http://login.utrecht.nl/jwks"}, "OIDC_OP_JWKS_ENDPOINT moet een https-adres zijn"),
        ({"OIDC_OP_LOGOUT_ENDPOINT": "http://login.utrecht.nl/logout"}, "OIDC_OP_LOGOUT_ENDPOINT moet een https-adres zijn"),
        ({"PGA_OIDC_REQUIRE_MFA": "false"}, "PGA_OIDC_REQUIRE_MFA mag in productie niet uit"),
    ],
    ids=lambda value: "-".join(f"{k}={v or 'leeg'}" for k, v in value.items()) if isinstance(value, dict) else "",
)
def test_production_refuses_an_incomplete_or_insecure_provider(overrides, message):
    result = run_python(["-c", "import pga.settings.production"], production_environment(**{**HTTPS_PROVIDER, **overrides}))
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert message in result.stderr
