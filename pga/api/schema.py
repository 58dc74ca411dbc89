"""OpenAPI: error responses and the OAuth2 client-credentials flow, as the API really behaves.

Every operation documents its errors in the shapes of ``pga.api.exceptions``: 400 (a map of field to
messages, or ``detail``) on writes and filtered lists; 401 and 403 everywhere; 404 on every route with
an id in its path — outsiders get 404, never a hint that a case exists. OAuth2 needs scope ``read``
for safe methods and ``write`` for the rest (``pga.api.permissions``).
"""

from typing import Any

from django.conf import settings
from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Per veld een lijst van meldingen; meldingen die niet bij één veld horen onder `detail`.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ErrorDocumentingAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        errors: dict[str, Any] = {"401": ErrorSerializer, "403": ErrorSerializer}
        if self.method in ("POST", "PUT", "PATCH") or (self.method == "GET" and self._is_list_view()):
            errors["400"] = VALIDATION_ERROR_SCHEMA
        if "{" in self.path:
            errors["404"] = ErrorSerializer
        for code, schema in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(schema, code, direction=direction)
        return responses


class PartnerOAuth2Scheme(OpenApiAuthenticationExtension):
    """Client credentials at ``/oauth/token/``; the scope follows the method (docs/decisions/0002)."""

    target_class = "oauth2_provider.contrib.rest_framework.OAuth2Authentication"
    name = "oauth2"
    priority = 1  # before drf-spectacular's own django-oauth-toolkit extension

    def get_security_requirement(self, auto_schema: AutoSchema) -> dict[str, list[str]]:
        return {self.name: ["read" if auto_schema.method in SAFE_METHODS else "write"]}

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        token_url = reverse("oauth2_provider:token")
        scopes = settings.OAUTH2_PROVIDER["SCOPES"]
        return {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": token_url, "scopes": scopes}}}
