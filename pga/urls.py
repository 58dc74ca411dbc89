"""URL map: the browser app, the admin, OAuth2 and API v1."""

from typing import Any

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from oauth2_provider import views as oauth2_views

from partners import oidc

# Only what client-credentials partners need: no authorization pages, no self-service application
# registration, no OIDC endpoints.
oauth_urlpatterns = [
    path("token/", oauth2_views.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="revoke-token"),
]

admin.site.site_header = "PGA-beheer"
admin.site.site_title = "PGA-beheer"
admin.site.index_title = "Functioneel beheer"


class FaviconView(RedirectView):
    """``/favicon.ico``, which browsers ask for on pages without an icon link (the admin): PGA's icon."""

    permanent = True

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        return static("img/favicon.svg")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view()),
    # One sign-in page for everyone, with its second factor and lockout: not the admin's own.
    path("beheer/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("beheer/", admin.site.urls),
    path("oauth/", include((oauth_urlpatterns, "oauth2_provider"))),
    path("api/v1/", include("pga.api.urls")),
    path("privacy/", include("privacy.urls")),
    # Sign-in through the municipality's identity provider (PGA_LOGIN = "oidc"; 404 otherwise; issue #7).
    path("oidc/opnieuw-inloggen/", oidc.ReauthenticationView.as_view(), name="oidc_reauthenticate"),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("", include("partners.urls")),
    path("", include("escalation.urls")),
    path("", include("cases.urls")),
]

# Error pages with the request id, JSON under /api/ and /oauth/ (pga/errors.py; issue #7).
handler400 = "pga.errors.bad_request"
handler403 = "pga.errors.permission_denied"
handler404 = "pga.errors.page_not_found"
handler500 = "pga.errors.server_error"
