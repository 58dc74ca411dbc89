"""URL map: the browser app, the admin, OAuth2 and API v1."""

from django.contrib import admin
from django.urls import include, path
from oauth2_provider import views as oauth2_views

# Only what client-credentials partners need: no authorization pages, no self-service application
# registration, no OIDC endpoints.
oauth_urlpatterns = [
    path("token/", oauth2_views.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="revoke-token"),
]

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("oauth/", include((oauth_urlpatterns, "oauth2_provider"))),
    path("api/v1/", include("pga.api.urls")),
    path("privacy/", include("privacy.urls")),
    path("", include("partners.urls")),
    path("", include("escalation.urls")),
    path("", include("cases.urls")),
]
