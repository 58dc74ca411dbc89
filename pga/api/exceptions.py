"""API errors as JSON: a map of field to messages, or ``detail`` for non-field errors.

Django's ``ValidationError`` raised by a service (``full_clean`` or a rule) becomes a 400 with the
same shape; ``PermissionDenied`` a 403. Nothing reaches the client as a 500 with a traceback.
"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_validation_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()  # one Dutch message; never the model's name
    if isinstance(exc, exceptions.ValidationError):
        exc.detail = _non_field_errors_as_detail(exc.detail)
    return drf_exception_handler(exc, context)


def _non_field_errors_as_detail(detail: Any) -> Any:
    """DRF's own non-field errors (``non_field_errors``, or a bare list) also go under ``detail``."""
    if isinstance(detail, list):
        return {"detail": detail}
    if isinstance(detail, dict) and api_settings.NON_FIELD_ERRORS_KEY in detail:
        detail = dict(detail)
        detail["detail"] = detail.pop(api_settings.NON_FIELD_ERRORS_KEY)
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
