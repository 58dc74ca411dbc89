"""Sign-in through the municipality's own identity provider with OpenID Connect (issue #7, ``PGA_LOGIN = "oidc"``).

mozilla-django-oidc runs the authorization-code flow (with state, nonce and PKCE; the ID token signed
with RS256 and checked against the provider's JWKS). This module adds PGA's rules to it
(docs/decisions/0015-oidc-sign-in.md):

- The provider only says *who* someone is. A configured claim (``PGA_OIDC_USER_CLAIM``, default
  ``preferred_username``) must name exactly one existing, active PGA user by ``PGA_OIDC_USER_FIELD``
  (``username`` or ``email``) whose organisation takes part; partner applications' service users never
  sign in. Nobody is created by signing in: the functioneel beheerder provisions accounts, and role and
  organisation stay managed in PGA. Anyone else is refused with a Dutch message on the sign-in page.
- The ID token's ``aud`` must hold our client id and, when ``PGA_OIDC_ISSUER`` is set, its ``iss`` must
  be that issuer (OIDC Core 3.1.3.7); the userinfo ``sub`` must be the ID token's (OIDC Core 5.3.2).
- With ``PGA_OIDC_REQUIRE_MFA`` (default on) the ID token must show multi-factor authentication
  (``amr``, RFC 8176, or an ``acr`` from ``PGA_OIDC_MFA_ACR_VALUES``): the provider did the second
  factor, so PGA asks no TOTP of such a session (``signed_in_with_oidc``; ASVS 4.0.3 2.7/2.8, BIO 9.4.2).
- Before sensitive actions ``reauthentication_url`` sends the user to the provider with
  ``prompt=login`` and ``max_age=0``; on return the ID token's ``auth_time`` must be recent, and it is
  recorded under ``pga_reauthenticated_at`` (``partners.reauth``; ASVS 4.0.3 3.7.1). Every OIDC sign-in
  records the provider's ``auth_time`` there, so an old single sign-on session at the provider never
  counts as a fresh sign-in in PGA.
- ``SessionRefresh`` asks the provider again (``prompt=none``) every ``OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS``;
  an ended provider session ends the PGA session.

Nothing here logs a claim: log lines name only the reason of a refusal.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRefresh
from mozilla_django_oidc import middleware as oidc_middleware
from mozilla_django_oidc import views as oidc_views
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .backends import PartnerModelBackend

logger = logging.getLogger(__name__)

BACKEND_PATH = "partners.oidc.OIDCBackend"
# True in a session whose user signed in through the identity provider (read by ``signed_in_with_oidc``).
SESSION_KEY = "pga_oidc_signed_in"
# ISO 8601 UTC time of the last full sign-in (``partners.reauth.SESSION_KEY``).
REAUTHENTICATED_AT_SESSION_KEY = "pga_reauthenticated_at"
# The state of a pending fresh sign-in (``ReauthenticationView``), to recognise its callback.
_REAUTHENTICATION_STATE_SESSION_KEY = "pga_oidc_reauthentication_state"

# Why a sign-in was refused: the Dutch text on the page the user lands on. ``{idp}`` is the provider's name.
REFUSALS = {
    "unknown": (
        "U bent aangemeld bij {idp}, maar aan dat account is geen actief PGA-account gekoppeld. "
        "Neem contact op met de functioneel beheerder van PGA."
    ),
    "no_mfa": (
        "{idp} meldt niet dat u met twee stappen bent ingelogd (bijvoorbeeld wachtwoord en code). "
        "PGA vraagt dat wel: log bij {idp} in met twee stappen en probeer het opnieuw."
    ),
    "not_fresh": "U bent niet opnieuw ingelogd bij {idp}. Probeer het opnieuw.",
    "other_user": "U bent bij {idp} ingelogd als iemand anders dan in PGA. U bent uitgelogd; log opnieuw in.",
    "ended": "Uw sessie bij {idp} is beëindigd. Log opnieuw in.",
    "unavailable": "{idp} is nu niet bereikbaar. Probeer het later opnieuw.",
    "failed": "Het inloggen via {idp} is niet gelukt. Probeer het opnieuw.",
}

# RFC 8176 authentication method references, by the kind of factor they prove.
_FACTOR_OF_METHOD = {
    "pwd": "knowledge",
    "pin": "knowledge",
    "kba": "knowledge",
    "otp": "possession",
    "hwk": "possession",
    "swk": "possession",
    "sms": "possession",
    "tel": "possession",
    "sc": "possession",
    "pop": "possession",
    "fpt": "inherence",
    "face": "inherence",
    "iris": "inherence",
    "retina": "inherence",
    "vbm": "inherence",
    "bio": "inherence",
}


def signed_in_with_oidc(request: HttpRequest) -> bool:
    """True when this request's session was authenticated through the identity provider (by this
    module's backend, marked by ``CallbackView``). ``partners.otp`` then asks no TOTP: the provider did
    the second factor (``PGA_OIDC_REQUIRE_MFA``)."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    return bool(
        session is not None
        and getattr(user, "is_authenticated", False)
        and session.get(SESSION_KEY) is True
        and session.get(BACKEND_SESSION_KEY) == BACKEND_PATH
    )


def reauthentication_url(request: HttpRequest, next_url: str) -> str:
    """The URL (a path of PGA) that sends the signed-in user to the identity provider for a fresh
    sign-in (``prompt=login``, ``max_age=0``) and then back to ``next_url`` (a path on this site; an
    unsafe one is dropped). On return ``pga_reauthenticated_at`` holds the provider's ``auth_time``."""
    return f"{reverse('oidc_reauthenticate')}?{urlencode({'next': next_url})}"


def shows_multi_factor(claims: Mapping[str, Any], mfa_acr_values: Iterable[str]) -> bool:
    """True when ID-token ``claims`` show multi-factor authentication: ``amr`` holds ``mfa``, or methods
    of two kinds (knowledge, possession, inherence; RFC 8176), or ``acr`` is one of ``mfa_acr_values``
    (the values the municipality's provider uses for it, e.g. an eHerkenning level of assurance)."""
    amr = claims.get("amr")
    methods = {amr} if isinstance(amr, str) else set(amr) if isinstance(amr, list) else set()
    if "mfa" in methods:
        return True
    if len({_FACTOR_OF_METHOD[m] for m in methods if isinstance(m, str) and m in _FACTOR_OF_METHOD}) >= 2:
        return True
    acr = claims.get("acr")
    return isinstance(acr, str) and acr in set(mfa_acr_values)


def sign_in_context(request: HttpRequest) -> dict[str, str]:
    """Template context: ``pga_oidc_provider_name`` when sign-in goes through the identity provider."""
    if settings.PGA_LOGIN != "oidc":
        return {}
    return {"pga_oidc_provider_name": settings.PGA_OIDC_PROVIDER_NAME}


def _refusal_text(reason: str) -> str:
    return REFUSALS.get(reason, REFUSALS["failed"]).format(idp=settings.PGA_OIDC_PROVIDER_NAME)


class SignInRefused(SuspiciousOperation):
    """A sign-in the provider vouched for but PGA refuses; ``str()`` is the reason code only."""


class OIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, mapping the provider's claims onto an existing PGA user.

    Authenticates only the callback of a flow this session started (``CallbackView`` passes the nonce
    kept in the session); a username and password never authenticate here. Raises nothing: a refused
    sign-in returns None and leaves its reason (a key of ``REFUSALS``) in ``request.pga_oidc_refusal``;
    the provider's ``auth_time`` (seconds since the epoch, or None) goes to ``request.pga_oidc_auth_time``.
    """

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if request is None or settings.PGA_LOGIN != "oidc" or "nonce" not in kwargs or "password" in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation as exc:  # a token that fails its checks: signature, nonce, aud, iss
            logger.warning("OIDC sign-in refused: %s", exc)  # the library's reason; it holds no claim
            request.pga_oidc_refusal = getattr(request, "pga_oidc_refusal", None) or "failed"  # type: ignore[attr-defined]
        except requests.RequestException:
            logger.warning("OIDC sign-in failed: the identity provider did not answer properly")
            request.pga_oidc_refusal = "unavailable"  # type: ignore[attr-defined]
        return None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library's checks (signature, algorithm, expiry, nonce), and for an ID token its audience
        and issuer (OIDC Core 3.1.3.7)."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:
            audience = payload.get("aud")
            audiences = [audience] if isinstance(audience, str) else audience if isinstance(audience, list) else []
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("ID token audience is not this client")
            if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
                raise SuspiciousOperation("ID token azp is not this client")
            if settings.PGA_OIDC_ISSUER and payload.get("iss") != settings.PGA_OIDC_ISSUER:
                raise SuspiciousOperation("ID token issuer is not the configured one")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        """The PGA user the claims name, after the MFA and freshness checks; never creates one."""
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(userinfo, dict) or userinfo.get("sub") != payload.get("sub"):
            self._refuse("failed")
        claims = {**userinfo, **payload}  # the signed ID token wins over userinfo
        if settings.PGA_OIDC_REQUIRE_MFA and not shows_multi_factor(payload, settings.PGA_OIDC_MFA_ACR_VALUES):
            self._refuse("no_mfa")
        auth_time = payload.get("auth_time")
        self.request.pga_oidc_auth_time = auth_time if isinstance(auth_time, int) else None
        if getattr(self.request, "pga_oidc_reauthentication", False) and not _is_fresh(auth_time):
            self._refuse("not_fresh")
        user = self._existing_user(claims)
        if user is None:
            self._refuse("unknown")
        return user

    def _existing_user(self, claims: Mapping[str, Any]) -> Any:
        value = claims.get(settings.PGA_OIDC_USER_CLAIM)
        if not isinstance(value, str) or not value.strip():
            return None
        if settings.PGA_OIDC_USER_FIELD == "email":
            if claims.get("email_verified") is False:
                return None
            lookup = {"email__iexact": value}
        else:
            lookup = {"username__iexact": value}
        users = list(self.UserModel._default_manager.filter(is_application=False, **lookup)[:2])
        if len(users) != 1 or not self.user_can_authenticate(users[0]):
            return None
        return users[0]

    def _refuse(self, reason: str) -> None:
        self.request.pga_oidc_refusal = reason
        raise SignInRefused(reason)

    def user_can_authenticate(self, user: Any) -> bool:
        """Active, a person (not an application), and of an organisation that takes part
        (``partners.backends.PartnerModelBackend``)."""
        return not getattr(user, "is_application", False) and PartnerModelBackend().user_can_authenticate(user)

    def get_user(self, user_id: Any) -> Any:
        """The session's user while they may still act: deactivating ends an open OIDC session too."""
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def describe_user_by_claims(self, claims: Mapping[str, Any]) -> str:
        return "the configured claim"  # the library logs this; no claim value in the logs


def _is_fresh(auth_time: Any) -> bool:
    """True when ``auth_time`` (seconds since the epoch) lies at most ``PGA_OIDC_REAUTHENTICATION_MAX_AGE``
    seconds in the past (and not more than a minute of clock skew in the future)."""
    if not isinstance(auth_time, int):
        return False
    age = timezone.now().timestamp() - auth_time
    return -60 <= age <= settings.PGA_OIDC_REAUTHENTICATION_MAX_AGE


def _require_oidc_login() -> None:
    if settings.PGA_LOGIN != "oidc":
        raise Http404


class AuthenticationRequestView(oidc_views.OIDCAuthenticationRequestView):
    """``/oidc/authenticate/``: starts the flow at the provider (the sign-in page's button). 404 unless
    ``PGA_LOGIN`` is "oidc"."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_oidc_login()
        return super().get(request)


class ReauthenticationView(AuthenticationRequestView):
    """``/oidc/opnieuw-inloggen/?next=…``: a fresh sign-in at the provider (``prompt=login``,
    ``max_age=0``) for a user signed in through it; others go to the sign-in page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_oidc_login()
        if not signed_in_with_oidc(request):
            return redirect_to_login(request.get_full_path())
        response = super().get(request)
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        request.session[_REAUTHENTICATION_STATE_SESSION_KEY] = state
        return response

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        return {**super().get_extra_params(request), "prompt": "login", "max_age": "0"}


class CallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """``/oidc/callback/``: the library checks the state and nonce and calls ``OIDCBackend``; this view
    marks the session as signed in through the provider, records ``auth_time``, and shows a refusal
    in Dutch on the sign-in page. A callback that names someone other than the signed-in user signs out."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_oidc_login()
        state = request.GET.get("state", "")
        request.pga_oidc_reauthentication = bool(state) and state == request.session.get(  # type: ignore[attr-defined]
            _REAUTHENTICATION_STATE_SESSION_KEY
        )
        return super().get(request)

    def login_success(self) -> HttpResponse:
        request = self.request
        if request.user.is_authenticated and request.user.pk != self.user.pk:
            auth.logout(request)
            return self._failure("other_user")
        response = super().login_success()
        request.session[SESSION_KEY] = True
        auth_time = getattr(request, "pga_oidc_auth_time", None)
        if auth_time is None:
            request.session.pop(REAUTHENTICATED_AT_SESSION_KEY, None)
        else:
            at = dt.datetime.fromtimestamp(auth_time, tz=dt.UTC)
            request.session[REAUTHENTICATED_AT_SESSION_KEY] = at.isoformat()
        request.session.pop(_REAUTHENTICATION_STATE_SESSION_KEY, None)
        return response

    def login_failure(self) -> HttpResponse:
        request = self.request
        reason = getattr(request, "pga_oidc_refusal", None)
        if reason is None:
            reason = "ended" if request.GET.get("error") == "login_required" else "failed"
        if not getattr(request, "pga_oidc_reauthentication", False) and request.user.is_authenticated:
            auth.logout(request)  # a refused refresh ends the session; a refused fresh sign-in keeps it
        return self._failure(reason)

    def _failure(self, reason: str) -> HttpResponse:
        self.request.session.pop(_REAUTHENTICATION_STATE_SESSION_KEY, None)
        messages.error(self.request, _refusal_text(reason))
        return HttpResponseRedirect(resolve_url(settings.LOGIN_REDIRECT_URL_FAILURE))


class SessionRefresh(oidc_middleware.SessionRefresh):
    """mozilla-django-oidc's check, every ``OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS``, that the provider's
    session still holds (``prompt=none``). An htmx request reloads the whole page instead of following
    the redirect to the provider inside its XMLHttpRequest. Does nothing unless ``PGA_LOGIN`` is "oidc"."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        if settings.PGA_LOGIN != "oidc":
            return None
        response: HttpResponse | None = super().process_request(request)
        if response is not None and request.headers.get("HX-Request") == "true":
            return HttpResponseClientRefresh()
        return response
