"""gunicorn's own log lines (the access log and its error log) through ``SafeFormatter`` (issue #7).

gunicorn writes the request path unquoted (``%(U)s`` is the WSGI ``PATH_INFO``): a request for
``/x%0d%0aFORGED`` would put a line break and a forged line in the access log. ``SafeLogger`` keeps
gunicorn's handlers and format strings and swaps each handler's formatter for a ``SafeFormatter`` with the
same format, so every control character is escaped like in the application's own lines (ASVS 4.0.3 7.3.1;
OWASP "Log Injection"). ``gunicorn.conf.py`` names it as ``logger_class``.
"""

import logging
from typing import Any

from gunicorn import glogging

from pga.logfilters import SafeFormatter


class SafeLogger(glogging.Logger):
    """gunicorn's ``Logger`` whose handlers format with ``SafeFormatter`` (after every (re)load of the
    configuration, which rebuilds the handlers)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(_safe(handler.formatter))


def _safe(formatter: logging.Formatter | None) -> SafeFormatter:
    if formatter is None or isinstance(formatter, SafeFormatter):
        return formatter or SafeFormatter()
    return SafeFormatter(formatter._fmt, formatter.datefmt)
