"""Who may call the API at all: an active user of a taking-part organisation, or its application.

Case-level access is decided by ``cases.selectors`` (outsiders get 404) and ``cases.services``
(forbidden writes get 403); this only checks the caller. OAuth2 tokens also need the scope for the
method: ``read`` for safe methods, ``write`` for the rest — unless the view declares its own
``required_scope`` (a question asked with POST, such as the hit/no-hit check, only reads).
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
            scope = getattr(view, "required_scope", None) or ("read" if request.method in SAFE_METHODS else "write")
            if not token.allow_scopes([scope]):
                self.message = f"Uw token mist scope `{scope}`: vraag bij /oauth/token/ een token aan met die scope."
                return False
        return True
