"""Logging filters that keep personal data out of application logs (issue #4, "No personal data in
application logs"; BIO 12.4; AVG art. 5(1)(c)).

Query strings can hold personal data: the caseload's name filter is ``?naam=…`` (a BSN never is: the
BSN search is a POST). ``django.server`` (``runserver``, the demo) logs each request line with its
query string; ``WithoutQueryString`` drops it, so the line keeps method, path (UUIDs only), protocol,
status and size. gunicorn's access log is kept free of query strings by ``gunicorn.conf.py``.

``SafeFormatter``, the formatter of every handler in ``LOGGING``, keeps one record on one line: control
characters that come with data are escaped (log injection, ASVS 4.0.3 7.3.1; issue #7). gunicorn's own
lines go through it too (``pga.gunicorn_logging.SafeLogger``).
"""

import logging
import re
import traceback
from typing import Any

QUERY_STRING = re.compile(r"\?\S*")


class WithoutQueryString(logging.Filter):
    """Removes ``?…`` from the request line that ``django.server`` passes as its first argument."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            record.args = (QUERY_STRING.sub("", record.args[0]), *record.args[1:])
        if isinstance(record.msg, str) and not record.args:
            record.msg = QUERY_STRING.sub("", record.msg)
        return True


# --- Log injection (issue #7; ASVS 4.0.3 7.3.1) ---------------------------------------------------

#: C0 controls (CR, LF, TAB, ESC …), DEL, C1 controls (NEL …), the Unicode line and paragraph separators,
#: and the bidirectional overrides that make a line read differently from what it holds.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_controls(text: str) -> str:
    """``"a\\r\\nb\\x1b"`` → ``"a\\\\r\\\\nb\\\\x1b"``: every ``CONTROL`` character as a visible escape
    (``\\n``, ``\\r``, ``\\t``, ``\\xNN``, ``\\uNNNN``), so data can never start a forged log line or move
    the terminal's cursor (ASVS 4.0.3 7.3.1; OWASP "Log Injection")."""

    def visible(match: re.Match[str]) -> str:
        char = match[0]
        code = ord(char)
        return _NAMED.get(char) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")

    return CONTROL.sub(visible, text)


class SafeFormatter(logging.Formatter):
    """The formatter of every handler (``LOGGING``): one log record is one line.

    The formatted line (message, logger name, request id …) has every control character escaped
    (``escape_controls``). A traceback keeps its line breaks between frames, which come from our code;
    what comes from data, each exception's text and notes (``ValueError: <input>``), is escaped like the
    message. The default format puts the request id (``%(correlation_id)s``, django-guid's
    ``CorrelationId`` filter, ``-`` outside a request) in each line.
    """

    def format(self, record: logging.LogRecord) -> str:
        # ``logging.Formatter`` caches the traceback text on the record; another handler's formatter may have
        # put it there unescaped. Format our own, and leave the record as it was.
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatMessage(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "correlation_id"):
            record.correlation_id = "-"  # a handler without the CorrelationId filter
        elif record.correlation_id is None:
            record.correlation_id = "-"
        return escape_controls(super().formatMessage(record))

    def formatException(self, ei: Any) -> str:
        exc_type, value, tb = ei
        if value is None:
            return super().formatException(ei)
        report = traceback.TracebackException(exc_type, value, tb, compact=True)
        _escape_exception_texts(report, seen=set())
        return "".join(report.format()).rstrip("\n")

    def formatStack(self, stack_info: str) -> str:
        return stack_info  # frames of our own code only


def _escape_exception_texts(report: traceback.TracebackException, seen: set[int]) -> None:
    """Escape the data in ``report`` and in the exceptions chained to it: the exception's text (``_str``,
    what ``format_exception_only`` prints after the type) and its ``__notes__``; and a ``SyntaxError``'s
    source line. The frames are left alone."""
    if id(report) in seen:
        return
    seen.add(id(report))
    report._str = escape_controls(report._str)  # type: ignore[attr-defined]
    notes = getattr(report, "__notes__", None)
    if notes:
        report.__notes__ = [escape_controls(str(note)) for note in notes]
    if getattr(report, "text", None):
        report.text = escape_controls(report.text)  # type: ignore[arg-type]
    for chained in (report.__cause__, report.__context__, *(report.exceptions or [])):
        if chained is not None:
            _escape_exception_texts(chained, seen)
