"""API v1: the OpenAPI schema and docs, and each app's resources. Anything else under /api/v1/ is a
JSON 404, like every other API error."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    return JsonResponse({"detail": "Niet gevonden."}, status=404)


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Privacy first: its fixed "persons/check/" must win over the cases app's "persons/<pk>/".
    path("", include("privacy.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("escalation.api.urls")),
    re_path(r"^(?P<path>.*)$", not_found),
]
