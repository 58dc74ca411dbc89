"""API v1: the OpenAPI schema and docs, and each app's resources. Anything else under /api/v1/ is a
JSON 404, like every other API error."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    return JsonResponse({"detail": "Niet gevonden."}, status=404)


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start script from ``docs/?script``: no inline script under the CSP (issue #7).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    # Privacy first: its fixed "persons/check/" must win over the cases app's "persons/<pk>/".
    path("", include("privacy.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("escalation.api.urls")),
    re_path(r"^(?P<path>.*)$", not_found),
]
