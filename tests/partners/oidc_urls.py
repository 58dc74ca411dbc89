"""Test-only URL map: PGA (``pga.urls``) next to an in-process OpenID Connect provider under /test-idp/.

django-oauth-toolkit acts as the municipality's identity provider: its authorize, token, userinfo and
JWKS views, with ``IdPClaimsValidator`` handing out the claims a test configured for a provider account
(``IDP_CLAIMS``). mozilla-django-oidc reaches the token, userinfo and JWKS endpoints over real HTTP
(pytest-django's ``live_server``); the browser side of the flow goes through Django test clients.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from oauth2_provider import views as oauth2_views
from oauth2_provider.oauth2_validators import OAuth2Validator

from pga import urls as pga_urls

IDP_LOGIN_PATH = "/test-idp/login/"

# Claims of each provider account, by the provider user's primary key; the tests fill it in.
IDP_CLAIMS: dict[int, dict[str, Any]] = {}


class IdPClaimsValidator(OAuth2Validator):
    """Puts the configured claims (``preferred_username``, ``email``, ``amr``, ``acr`` …) in the ID token
    and the userinfo answer, whatever the scope (the real provider decides that)."""

    oidc_claim_scope = None

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        return dict(IDP_CLAIMS.get(request.user.pk, {}))

    # prompt=none (mozilla-django-oidc's SessionRefresh): the authorize view only gets this far with a
    # signed-in provider session (LoginRequiredMixin; without one django-oauth-toolkit answers
    # error=login_required itself), and the application needs no consent (skip_authorization).
    def validate_silent_login(self, request: Any) -> bool:
        return True

    def validate_silent_authorization(self, request: Any) -> bool:
        return True


class AuthorizationView(oauth2_views.AuthorizationView):
    login_url = IDP_LOGIN_PATH


def idp_login(request: HttpRequest) -> HttpResponse:
    """Stands for the provider's own sign-in page; tests sign in at the provider with ``force_login``."""
    return HttpResponse("Inlogpagina van de identity provider")


idp_urlpatterns = [
    path("authorize/", AuthorizationView.as_view(), name="authorize"),
    path("token/", oauth2_views.TokenView.as_view(), name="token"),
    path("userinfo/", oauth2_views.UserInfoView.as_view(), name="user-info"),
    path("jwks/", oauth2_views.JwksInfoView.as_view(), name="jwks-info"),
    path("login/", idp_login, name="login"),
]

urlpatterns = [
    path("test-idp/", include((idp_urlpatterns, "test_idp"))),
    *pga_urls.urlpatterns,
]
handler400 = pga_urls.handler400
handler403 = pga_urls.handler403
handler404 = pga_urls.handler404
handler500 = pga_urls.handler500
