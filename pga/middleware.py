"""Request plumbing shared by browser and API: the audit actor, and no caching of personal data.

``AuditlogMiddleware`` reads ``request.user`` when the request comes in, before DRF has
authenticated an OAuth2 bearer token. We hand it a lazy actor instead, resolved when the first audit
entry is written; DRF sets the authenticated user on the underlying request by then, so API writes
are audited with the partner application's service user (docs/decisions/0002). Bearer tokens
authenticate the API only — never a browser page.
"""

from collections.abc import Callable
from typing import Any

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject


class LazyActorAuditlogMiddleware(AuditlogMiddleware):
    @staticmethod
    def _get_actor(request: HttpRequest) -> Any:
        return SimpleLazyObject(lambda: AuditlogMiddleware._get_actor(request))


class NoStoreMiddleware:
    """``Cache-Control: no-store, private`` on every response that does not set its own policy.

    Pages and API responses carry personal data; no browser or proxy cache may keep them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response
