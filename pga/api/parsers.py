"""JSON request bodies. Anything that is not a JSON document the API can read is a 400, never a 500.

DRF's parser turns malformed JSON into a 400 but lets Python's ``RecursionError`` through for
documents nested deeper than the interpreter's recursion limit (e.g. ``[[[[…]]]]``, 100 kB is enough).
"""

from collections.abc import Mapping
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - het document is te diep genest.") from None
