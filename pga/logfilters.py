"""Logging filters that keep personal data out of application logs (issue #4, "No personal data in
application logs"; BIO 12.4; AVG art. 5(1)(c)).

Query strings can hold personal data: the caseload's name filter is ``?naam=…`` (a BSN never is: the
BSN search is a POST). ``django.server`` (``runserver``, the demo) logs each request line with its
query string; ``WithoutQueryString`` drops it, so the line keeps method, path (UUIDs only), protocol,
status and size. gunicorn's access log is kept free of query strings by ``gunicorn.conf.py``.
"""

import logging
import re

QUERY_STRING = re.compile(r"\?\S*")


class WithoutQueryString(logging.Filter):
    """Removes ``?…`` from the request line that ``django.server`` passes as its first argument."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            record.args = (QUERY_STRING.sub("", record.args[0]), *record.args[1:])
        if isinstance(record.msg, str) and not record.args:
            record.msg = QUERY_STRING.sub("", record.msg)
        return True
