"""URL map: the browser app, the admin, OAuth2 and API v1."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("oauth/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("api/v1/", include("pga.api.urls")),
    path("", include("partners.urls")),
    path("", include("cases.urls")),
]
