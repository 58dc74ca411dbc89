"""OAuth2 for partner applications: client credentials, the token acting as the application's user.

django-oauth-toolkit stores client-credentials tokens without a user. We attach the application's
service user (``Application.user``, an ``is_application`` user of the partner organisation), so every
API call is authorised and audited as that organisation, through the same selectors and services as
the browser (docs/decisions/0002-partner-applications.md).
"""

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class PartnerOAuth2Validator(OAuth2Validator):
    def validate_client_id(self, client_id: str, request: Any, *args: Any, **kwargs: Any) -> bool:
        if not super().validate_client_id(client_id, request, *args, **kwargs):
            return False
        return _application_may_act(request.client)

    def authenticate_client(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        return _application_may_act(request.client)

    def _create_access_token(self, expires: Any, request: Any, token: Any, source_refresh_token: Any = None) -> Any:
        if request.grant_type == "client_credentials":
            request.user = request.client.user
        return super()._create_access_token(expires, request, token, source_refresh_token)


def _application_may_act(application: Any) -> bool:
    user = application.user if application is not None else None
    return bool(user is not None and user.is_application and user.has_access_on())
