"""API errors as JSON: a map of field to messages, or ``detail`` for non-field errors — in Dutch.

Django's ``ValidationError`` raised by a service (``full_clean`` or a rule) becomes a 400 with the
same shape; ``PermissionDenied`` a 403. Nothing reaches the client as a 500 with a traceback.

Messages are Dutch and say what is wrong. DRF 3.16 ships no Dutch for a few of its messages, and its
JSON parser reports Python's English ``json`` errors: both are translated here. A bearer token that
was sent but not accepted gets a 401 that says so, instead of "no credentials were given".
"""

import re
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class TokenRejected(exceptions.AuthenticationFailed):
    default_detail = "Het toegangstoken is ongeldig of verlopen. Vraag een nieuw token aan bij /oauth/token/."
    default_code = "invalid_token"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_validation_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()  # one Dutch message; never the model's name
    elif isinstance(exc, exceptions.NotAuthenticated) and _bearer_token_sent(context.get("request")):
        exc = _token_rejected(exc)
    elif isinstance(exc, exceptions.ParseError) and str(exc.detail).startswith(JSON_PARSE_ERROR):
        exc = exceptions.ParseError(json_error_in_dutch(str(exc.detail).removeprefix(JSON_PARSE_ERROR)))
    elif isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith(CSRF_FAILED):
        exc = exceptions.PermissionDenied(CSRF_FAILED_DUTCH)  # Django's reason is in its own log line
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        exc = exceptions.UnsupportedMediaType("", 'Stuur de gegevens als JSON, met de header "Content-Type: application/json".')
    if isinstance(exc, exceptions.ValidationError):
        exc.detail = _in_dutch(_non_field_errors_as_detail(exc.detail))
    return drf_exception_handler(exc, context)


# DRF's SessionAuthentication refuses a write without the CSRF token with "CSRF Failed: <Django's reason>".
CSRF_FAILED = "CSRF Failed"
CSRF_FAILED_DUTCH = (
    "Het CSRF-token ontbreekt of klopt niet. Een browsersessie stuurt het token mee in de header X-CSRFToken; "
    "een partnerapplicatie gebruikt een OAuth2-toegangstoken (Authorization: Bearer)."
)


# --- Authentication ------------------------------------------------------------------------------


def _bearer_token_sent(request: Any) -> bool:
    header = request.META.get("HTTP_AUTHORIZATION", "") if request is not None else ""
    return header.split(" ", 1)[0].lower() == "bearer"


def _token_rejected(exc: exceptions.NotAuthenticated) -> TokenRejected:
    """Keep the status and the ``WWW-Authenticate`` challenge DRF chose (``error="invalid_token"``)."""
    rejected = TokenRejected()
    rejected.status_code = exc.status_code
    rejected.auth_header = getattr(exc, "auth_header", None)  # type: ignore[attr-defined]
    return rejected


# --- Request bodies ------------------------------------------------------------------------------

JSON_PARSE_ERROR = "JSON parse error - "
# Python's ``json`` messages (and ``pga.api.parsers``' own) → Dutch; the position is kept.
JSON_ERRORS = {
    "Expecting value": "waarde verwacht",
    "Expecting property name enclosed in double quotes": "veldnaam tussen dubbele aanhalingstekens verwacht",
    "Expecting ',' delimiter": "komma verwacht",
    "Expecting ':' delimiter": "dubbele punt verwacht",
    "Unterminated string": "tekst zonder afsluitend aanhalingsteken",
    "Invalid control character": "stuurteken in tekst; schrijf een tab of regeleinde als \\t of \\n",
    "Invalid \\escape": "ongeldige escape met \\",
    "Invalid \\uXXXX escape": "ongeldige escape met \\u",
    "Extra data": "meer gegevens na het einde van het document",
    "Illegal trailing comma": "komma voor het einde van een object of lijst",
    "Out of range float values": "NaN en Infinity zijn geen geldige JSON",
    "'utf-8' codec can't decode": "de body is geen geldige UTF-8",
    "het document is te diep genest": "het document is te diep genest",
}
POSITION = re.compile(r"line (\d+) column (\d+)")


def json_error_in_dutch(message: str) -> str:
    """``Expecting ',' delimiter: line 1 column 10 (char 9)`` → ``Ongeldige JSON: komma verwacht (regel 1, kolom 10).``"""
    known = (dutch for english, dutch in JSON_ERRORS.items() if message.startswith(english))
    reason = next(known, "het document is niet te lezen")
    position = POSITION.search(message)
    where = f" (regel {position[1]}, kolom {position[2]})" if position else ""
    return f"Ongeldige JSON: {reason}{where}."


# --- Validation errors ---------------------------------------------------------------------------

# DRF 3.16 messages without a Dutch translation (checked against its ``nl`` catalogue).
UNTRANSLATED = {
    "Must be a valid UUID.": "Geen geldige UUID.",
    "Must be a valid boolean.": "Geef true of false.",
    "Not a valid string.": "Geef tekst.",
    "Invalid input.": "Ongeldige invoer.",
}
SURROGATE = re.compile(r"Surrogate characters are not allowed: (U\+[0-9A-F]+)\.")
# DRF's Dutch catalogue keeps the English type name ("Date heeft het verkeerde formaat, …").
WRONG_FORMAT = re.compile(r"^(Date|Datetime|Time) heeft (?:het verkeerde|een ongeldig) formaat.*$")
WRONG_FORMAT_DUTCH = {
    "Date": "Geen geldige datum: gebruik JJJJ-MM-DD.",
    "Datetime": "Geen geldig tijdstip: gebruik ISO 8601, bijvoorbeeld 2026-11-30T10:00:00+01:00.",
    "Time": "Geen geldige tijd: gebruik uu:mm.",
}


def _in_dutch(detail: Any) -> Any:
    """Translate ``UNTRANSLATED`` messages anywhere in ``detail``, keeping each message's code."""
    if isinstance(detail, dict):
        return {field: _in_dutch(value) for field, value in detail.items()}
    if isinstance(detail, list):
        return [_in_dutch(item) for item in detail]
    if isinstance(detail, exceptions.ErrorDetail):
        text = str(detail)
        wrong_format = WRONG_FORMAT.match(text)
        dutch = (
            UNTRANSLATED.get(text)
            or (WRONG_FORMAT_DUTCH[wrong_format[1]] if wrong_format else None)
            or SURROGATE.sub(r"Ongeldig teken \1 in de tekst.", text)
        )
        return exceptions.ErrorDetail(dutch, code=detail.code)
    return detail


def _non_field_errors_as_detail(detail: Any) -> Any:
    """DRF's own non-field errors (``non_field_errors``, or a bare list) also go under ``detail``; in a
    nested object that has only non-field errors (``"person": "x"``), they become the field's messages."""
    if isinstance(detail, list):
        return {"detail": detail}
    if not isinstance(detail, dict):
        return detail
    detail = dict(detail)
    if api_settings.NON_FIELD_ERRORS_KEY in detail:
        detail["detail"] = detail.pop(api_settings.NON_FIELD_ERRORS_KEY)
    for field, value in detail.items():
        if isinstance(value, dict) and set(value) == {api_settings.NON_FIELD_ERRORS_KEY}:
            detail[field] = value[api_settings.NON_FIELD_ERRORS_KEY]
    return detail


def _validation_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field): messages
            for field, messages in exc.message_dict.items()
        }
        if api_settings.NON_FIELD_ERRORS_KEY in detail:
            detail["detail"] = detail.pop(api_settings.NON_FIELD_ERRORS_KEY)
        return detail
    return {"detail": exc.messages}


class TooManyRequests(exceptions.Throttled):
    """429 in Dutch: DRF's own message is half English ("Aanvraag was verstikt. Expected available in …").
    Subclasses say what was asked too often; the wait also goes into ``Retry-After``."""

    default_detail = "Te veel verzoeken achter elkaar."
    extra_detail_singular = "Probeer het over {wait} seconde opnieuw."
    extra_detail_plural = "Probeer het over {wait} seconden opnieuw."
