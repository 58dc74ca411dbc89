"""Input hygiene shared by every app: no control characters, bounded free text.

Names and codes may hold no control characters at all; free text may hold tab and newlines
(``\\t``, ``\\n``, ``\\r``) but nothing else below U+0020, nor DEL or the C1 range; neither may
hold bidirectional overrides or Unicode line separators. PostgreSQL
cannot store NUL, so letting one through would turn into a server error instead of a clear message.
"""

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

# Bidirectional embeddings/overrides/isolates and the Unicode line/paragraph separators: they let
# text display differently from what it says ("Trojan Source"), and have no place in case notes.
_SPOOFING = "\u2028\u2029\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_SPOOFING}]")
_CONTROL_EXCEPT_WHITESPACE = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_SPOOFING}]")

# Longest free text accepted in one field (characters): a long journal entry fits many times over.
FREE_TEXT_MAX_LENGTH = 10_000


def validate_single_line(value: str) -> None:
    """Reject any control character (including tab and newline) in a one-line value.

    Raises ``ValidationError`` (code ``control_characters``).
    """
    if value and _CONTROL.search(value):
        raise ValidationError("Bevat niet-toegestane tekens (zoals tabs, regeleinden of stuurtekens).", code="control_characters")


def validate_free_text(value: str) -> None:
    """Reject control characters other than tab, newline and carriage return in free text.

    Raises ``ValidationError`` (code ``control_characters``).
    """
    if value and _CONTROL_EXCEPT_WHITESPACE.search(value):
        raise ValidationError("Bevat niet-toegestane stuurtekens.", code="control_characters")


free_text_validators: list[Callable[[Any], None]] = [validate_free_text, MaxLengthValidator(FREE_TEXT_MAX_LENGTH)]
