"""A test-only URL map: PGA's own (``pga.urls``, with its error handlers) plus routes that fail on purpose."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from pga.urls import handler400, handler403, handler404, handler500  # noqa: F401 - the handlers of this URL map

SECRET_IN_EXCEPTION = "geheime-waarde-uit-de-database"


def page_crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(f"Onverwacht: {SECRET_IN_EXCEPTION}")


def page_suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation(f"Verdacht: {SECRET_IN_EXCEPTION}")


def page_denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("U mag deze pagina niet zien.")


@api_view(["GET"])
def api_crash(request: Request) -> Response:
    raise RuntimeError(f"Onverwacht: {SECRET_IN_EXCEPTION}")


def api_plain_crash(request: HttpRequest) -> HttpResponse:
    raise ZeroDivisionError(SECRET_IN_EXCEPTION)


urlpatterns = [
    path("test-fouten/crash/", page_crash),
    path("test-fouten/verdacht/", page_suspicious),
    path("test-fouten/geweigerd/", page_denied),
    path("api/v1/test-fouten/crash/", api_crash),
    path("api/v1/test-fouten/kaal/", api_plain_crash),
    path("", include("pga.urls")),
]
