"""Who may call the API at all: an active user of a taking-part organisation, or its application.

Case-level access is decided by ``cases.selectors`` (outsiders get 404) and ``cases.services``
(forbidden writes get 403); this only checks the caller. OAuth2 tokens also need the scope for the
method: ``read`` for safe methods, ``write`` for the rest.
"""

from typing import Any

from oauth2_provider.models import AccessToken
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request


class IsPartnerPrincipal(BasePermission):
    message = "U heeft geen toegang tot deze API."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.has_access_on()):
            return False
        token = request.auth
        if isinstance(token, AccessToken):
            scope = "read" if request.method in SAFE_METHODS else "write"
            return bool(token.allow_scopes([scope]))
        return True
