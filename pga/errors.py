"""Error responses: Django's 400, 403, 404 and 500 handlers (``pga/urls.py``), the same for every path.

With ``DEBUG`` off a user never sees a traceback, an exception's text or a stack frame (ASVS 4.0.3 7.4.1:
"a generic message is shown when an unexpected or security sensitive error occurs"). Each error page
shows the request id that django-guid set for this request (``X-Request-ID``, also in every log line:
pga/logfilters.py), so a user can quote it to the helpdesk and an administrator can find the log lines.

Under ``/api/`` and ``/oauth/`` the answer is JSON, never HTML, in the API's shape (``pga/api/exceptions.py``):
``{"detail": "<Dutch>", "request_id": "<hex>"}``. DRF answers the errors of its own views itself; these
handlers catch what DRF leaves: an exception DRF does not know (a 500), and errors raised outside a view.

The 500 handler renders without the request's context processors: whatever broke (the database, a
context processor) must not break the error page too.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django_guid import get_guid

#: Paths whose errors are JSON: the REST API and the OAuth2 token endpoints (RFC 6749 answers in JSON).
JSON_PREFIXES = ("/api/", "/oauth/")

#: ``detail`` of each JSON error, Dutch like every API message.
API_DETAIL = {
    400: "Ongeldig verzoek.",
    403: "U heeft geen toestemming voor deze handeling.",
    404: "Niet gevonden.",
    500: "Er is een storing. Probeer het later opnieuw; noem bij vragen aan de helpdesk de foutcode (request_id).",
}


def request_id() -> str:
    """The id django-guid gave this request (``X-Request-ID``: a client's valid UUID, or a new one); ``""``
    outside a request."""
    return get_guid() or ""


def wants_json(request: HttpRequest) -> bool:
    """True for a path of the API or the OAuth2 endpoints (``JSON_PREFIXES``)."""
    return request.path.startswith(JSON_PREFIXES)


def _json(status: int) -> JsonResponse:
    return JsonResponse({"detail": API_DETAIL[status], "request_id": request_id()}, status=status)


def _page(request: HttpRequest, template: str, status: int, context: dict[str, object] | None = None) -> HttpResponse:
    body = loader.render_to_string(template, {"request_id": request_id(), **(context or {})}, request)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400 (a ``SuspiciousOperation`` such as an unknown host or a malformed request); the reason is logged
    by Django (``django.security.*``), never shown."""
    return _json(400) if wants_json(request) else _page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403. The page shows the ``PermissionDenied`` message: the app raises it with a Dutch reason meant for
    the user ("U mag dit niet doen, want …"); the API keeps DRF's own answers (``pga/api/exceptions.py``)."""
    if wants_json(request):
        return _json(403)
    message = str(exception) if exception is not None else ""
    return _page(request, "403.html", 403, {"exception": message})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a failed CSRF check (``CSRF_FAILURE_VIEW``): a form that expired or was posted from elsewhere.

    Rendered with the request, unlike Django's own view, so the page has the layout's nonce and the request
    id. The ``reason`` is logged by Django's CSRF middleware (``django.security.csrf``) and never shown.
    """
    if wants_json(request):
        return _json(403)
    return _page(request, "403_csrf.html", 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404, the same for "does not exist" and "not yours" (an outsider of a case gets 404; ARCHITECTURE.md)."""
    return _json(404) if wants_json(request) else _page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: a generic Dutch page, or JSON under ``/api/``, with the request id; no context processors."""
    if wants_json(request):
        return _json(500)
    body = loader.get_template("500.html").render({"request_id": request_id()})
    return HttpResponse(body, status=500)
