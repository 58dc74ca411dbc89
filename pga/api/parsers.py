"""JSON request bodies. Anything that is not a JSON document the API can read is a 400, never a 500;
a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes is a 413 before it is parsed.

DRF's parser turns malformed JSON into a 400 but lets Python's ``RecursionError`` through for
documents nested deeper than the interpreter's recursion limit (e.g. ``[[[[…]]]]``, 100 kB is enough),
and it reads a body of any size (Django's own limit covers only form posts).
"""

import io
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Het verzoek is te groot."
    default_code = "request_too_large"


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise RequestTooLarge()
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - het document is te diep genest.") from None
