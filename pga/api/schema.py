"""OpenAPI: what partner developers read at /api/v1/docs/, generated from the API as it behaves.

The texts are Dutch and written for partner developers. They come only from ``extend_schema``
(operations) and ``extend_schema_serializer`` (components); Python docstrings are developer notes
and never reach the schema. Every operation documents its errors in the shapes of
``pga.api.exceptions``: 400 on writes and filtered lists; 401 and 403 everywhere; 404 on every route
with an id in its path (outsiders get 404, never a hint that a case exists) and on lists (a page
past the end); 413 and 415 on every operation with a JSON body (``pga.api.parsers``). OAuth2 needs
scope ``read`` for safe methods and ``write`` for the rest (``pga.api.permissions``).
"""

from typing import Any

from django.conf import settings
from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_override
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

BODY_METHODS = ("POST", "PUT", "PATCH")

VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Per veld een lijst van meldingen; meldingen die niet bij één veld horen onder `detail`. "
    "Bij een genest object (`person`) staan de meldingen per veld van dat object.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


@extend_schema_serializer(description="Een foutmelding die niet bij één veld hoort.")
class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="De melding, in het Nederlands.")


def _response_descriptions(method: str, path: str, is_list: bool) -> dict[str, str]:
    """Dutch descriptions of the status codes one operation can answer with."""
    write = method not in SAFE_METHODS
    limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}".replace(",", ".")
    not_found = (
        "Niet gevonden: bestaat niet, of valt buiten de casussen die u mag zien (de API maakt dat onderscheid bewust niet)."
    )
    if is_list:
        not_found = "Deze pagina bestaat niet." if "{" not in path else f"{not_found} Of: deze pagina bestaat niet."
    return {
        "200": "Gelukt.",
        "201": "Aangemaakt; het antwoord is het nieuwe item.",
        "204": "Gelukt; het antwoord is leeg.",
        "400": "Ongeldige invoer; er is niets opgeslagen." if write else "Ongeldige filterwaarde.",
        "401": "Niet aangemeld: geen toegangstoken meegestuurd, of het token is ongeldig of verlopen.",
        "403": "Geen toestemming: u ziet de casus wel, maar deze wijziging mag u niet doen (`detail` zegt waarom); "
        "of het token mist scope `write`."
        if write
        else "Geen toegang tot de API: uw account of organisatie doet niet (meer) mee, of het token mist scope `read`.",
        "404": not_found,
        "413": f'Het verzoek is te groot: de body is groter dan {limit} bytes (`detail`: "Het verzoek is te groot.").',
        "415": "De body is geen JSON: stuur `Content-Type: application/json`.",
    }


class ErrorDocumentingAutoSchema(AutoSchema):
    def get_description(self) -> str:  # type: ignore[override]
        """Only ``extend_schema(description=…)`` texts: a docstring is a developer note, not documentation."""
        return ""

    def _map_basic_serializer(self, serializer: Any, direction: Any) -> dict[str, Any]:
        """A component's description only from ``extend_schema_serializer``, never the docstring."""
        result: dict[str, Any] = super()._map_basic_serializer(serializer, direction)
        result.pop("description", None)
        description = get_override(serializer, "description")
        return {"description": str(description), **result} if description else result

    def _get_pagination_parameters(self) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super()._get_pagination_parameters()
        paginator = self._get_paginator()
        for parameter in parameters:
            if parameter["name"] == "page":
                parameter["description"] = "Paginanummer, vanaf 1. Een pagina voorbij de laatste geeft 404."
            elif parameter["name"] == "page_size":
                parameter["description"] = (
                    f"Aantal items per pagina: standaard {paginator.page_size}, maximaal {paginator.max_page_size}. "
                    f"Een grotere waarde geldt als {paginator.max_page_size}; een ongeldige als {paginator.page_size}."
                )
                parameter["schema"] = {"type": "integer", "minimum": 1, "default": paginator.page_size}
        return parameters

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        is_list = self.method == "GET" and self._is_list_view()
        errors: dict[str, Any] = {"401": ErrorSerializer, "403": ErrorSerializer}
        if self.method in BODY_METHODS or (is_list and self._get_filter_parameters()):
            errors["400"] = VALIDATION_ERROR_SCHEMA
        if "{" in self.path or is_list:
            errors["404"] = ErrorSerializer
        if self.method in BODY_METHODS:
            errors |= {"413": ErrorSerializer, "415": ErrorSerializer}
        for code, schema in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(schema, code, direction=direction)
        descriptions = _response_descriptions(self.method, self.path, is_list)
        for code, response in responses.items():
            if not response.get("description"):
                response["description"] = descriptions.get(code, "")
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
        return {
            "type": "oauth2",
            "description": "Voor partnerkoppelingen: vraag met client credentials een token aan bij "
            f"`{token_url}` en stuur het mee als `Authorization: Bearer <token>`. Lezen vraagt scope `read`, "
            "schrijven scope `write`.",
            "flows": {"clientCredentials": {"tokenUrl": token_url, "scopes": scopes}},
        }


def describe_generated_components(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: Dutch descriptions for what drf-spectacular generates itself (pages,
    the blank choice, the browser session), and example links that point into this API."""
    components = result.get("components", {})
    for name, schema in components.get("schemas", {}).items():
        if name.startswith("Paginated") and name.endswith("List"):
            schema["description"] = (
                "Eén pagina van een lijst: `count` is het totaal aantal items, `next` en `previous` zijn de "
                "links naar de volgende en vorige pagina (null als die er niet is), `results` de items."
            )
            for link, page in (("next", 3), ("previous", 1)):
                schema["properties"][link]["example"] = f"https://pga.example/api/v1/cases/?page={page}"
        elif name == "BlankEnum":
            schema["description"] = 'Leeg (`""`): geen waarde.'
    session = components.get("securitySchemes", {}).get("cookieAuth")
    if session is not None:
        session["description"] = (
            "Sessie van de webapplicatie (de docs-pagina in de browser); partnerkoppelingen gebruiken OAuth2."
        )
    return result
