"""OpenAPI: what partner developers read at /api/v1/docs/, generated from the API as it behaves.

The texts are Dutch and written for partner developers. They come only from ``extend_schema``
(operations) and ``extend_schema_serializer`` (components); Python docstrings are developer notes
and never reach the schema. Every operation documents its errors in the shapes of
``pga.api.exceptions``: 400 on writes and filtered lists; 401 and 403 everywhere; 404 on every route
with an id in its path (outsiders get 404, never a hint that a case exists) and on lists (a page
past the end); 413 and 415 on every operation with a JSON body (``pga.api.parsers``); 429 with
``Retry-After`` everywhere (``pga.api.throttling.ApiRateThrottle`` counts every request); 503 where the
hit-check limit fails closed. A 400 is a map of field to messages, or ``detail`` with one text when the
body is no readable JSON. In responses, fields the sharing matrix may leave out are not ``required``
(``omits_fields``). tests/api/test_schemathesis.py checks every operation's answers against this.
OAuth2 needs scope ``read`` for safe methods and ``write`` for the rest (``pga.api.permissions``).
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_override
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from .disclosure import Disclosed

BODY_METHODS = ("POST", "PUT", "PATCH")

MESSAGES = {"type": "array", "items": {"type": "string"}}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Per veld een lijst van meldingen; meldingen die niet bij één veld horen onder `detail`. "
    "Bij een genest object (`person`) staan de meldingen per veld van dat object. Is de body geen leesbare JSON, "
    "dan staat onder `detail` één tekst, zoals `Ongeldige JSON: waarde verwacht (regel 1, kolom 1).`",
    "properties": {"detail": {"oneOf": [MESSAGES, {"type": "string"}]}},
    "additionalProperties": {"oneOf": [MESSAGES, {"type": "object", "additionalProperties": MESSAGES}]},
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Na hoeveel seconden u het weer kunt proberen.",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
    }
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
        "503": "De teller voor het maximum aantal controles is tijdelijk niet bereikbaar; er is niets gecontroleerd of "
        "opgeslagen. Probeer het later opnieuw.",
        "429": f"Te veel verzoeken achter elkaar: per koppeling of gebruiker maximaal {settings.PGA_API_RATE} "
        "(verzoeken per minuut). `Retry-After` zegt na hoeveel seconden het weer kan.",
    }


class ErrorDocumentingAutoSchema(AutoSchema):
    def get_description(self) -> str:  # type: ignore[override]
        """Only ``extend_schema(description=…)`` texts: a docstring is a developer note, not documentation."""
        return ""

    def _map_basic_serializer(self, serializer: Any, direction: Any) -> dict[str, Any]:
        """A component's description only from ``extend_schema_serializer``, never the docstring; in a
        response, no field of a serializer that leaves fields out (``omits_fields``) is required."""
        result: dict[str, Any] = super()._map_basic_serializer(serializer, direction)
        result.pop("description", None)
        description = get_override(serializer, "description")
        if direction == "response" and (omitted := omits_fields(serializer)) and "required" in result:
            result["required"] = [] if omitted == ALL_FIELDS else [name for name in result["required"] if name not in omitted]
            if not result["required"]:
                del result["required"]
        return {"description": str(description), **result} if description else result

    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False) -> Any:
        """A read-only choice of a model field that may be blank also allows ``""`` (``BlankEnum``): DRF drops
        ``allow_blank`` from read-only fields, but the value is still sent (``closing_reason`` of an open case)."""
        if isinstance(field, serializers.ChoiceField) and field.read_only and not field.allow_blank:
            model_field = _model_field(field)
            if model_field is not None and model_field.blank:
                field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

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
        errors: dict[str, Any] = {"401": ErrorSerializer, "403": ErrorSerializer, "429": ErrorSerializer}
        if self.method in BODY_METHODS or (is_list and self._get_filter_parameters()):
            errors["400"] = VALIDATION_ERROR_SCHEMA
        if "{" in self.path or is_list:
            errors["404"] = ErrorSerializer
        if self.method in BODY_METHODS:
            errors |= {"413": ErrorSerializer, "415": ErrorSerializer}
        if self.method == "POST" and getattr(self.view, "throttle_scope", None) == "hit_check":
            errors["503"] = ErrorSerializer  # the hit-check limit fails closed (pga.api.throttling)
        for code, schema in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(schema, code, direction=direction)
        responses["429"].setdefault("headers", RETRY_AFTER)
        descriptions = _response_descriptions(self.method, self.path, is_list)
        for code, response in responses.items():
            if not response.get("description"):
                response["description"] = descriptions.get(code, "")
        return responses


ALL_FIELDS = "__all__"


def omits_fields(serializer: Any) -> Any:
    """The fields a serializer may leave out of a response: ``ALL_FIELDS`` for one that follows the sharing
    matrix (``pga.api.disclosure.Disclosed``), else its ``omitted_fields`` (names), else nothing."""
    if isinstance(serializer, Disclosed):
        return ALL_FIELDS
    return frozenset(getattr(serializer, "omitted_fields", ()))


def _model_field(field: serializers.Field) -> Any:
    """The model field behind a ``ModelSerializer`` field, or None."""
    meta = getattr(getattr(field, "parent", None), "Meta", None)
    model = getattr(meta, "model", None)
    if model is None or not field.source or "." in field.source:
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:  # a serializer attribute or method, not a model field
        return None


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
