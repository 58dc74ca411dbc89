"""gunicorn settings; gunicorn reads ``./gunicorn.conf.py`` from its working directory (``/app`` in the
image, see Dockerfile and docker-compose.yml), so they hold for every way the web service starts.

No personal data in application logs (issue #4): gunicorn's default access-log line holds the full
request line and the referrer, both with the query string, and the caseload's name filter puts a
name there (``?naam=…``). This line keeps the path without the query string (paths hold UUIDs only)
and no referrer or user agent; the request id (``X-Request-ID``, django-guid) links it to the
request's row in the access log.

Workers are threaded (``gthread``, ``GUNICORN_THREADS`` threads each, default 4): a request spends much
of its time waiting on PostgreSQL, and with threads another request uses the CPU meanwhile — about a
third more partner-API requests per second than sync workers on two cores (issue #6, S4;
docs/performance.md). The number of workers comes from the command line or ``WEB_CONCURRENCY``. Each
thread holds its own database connection: workers × threads connections per host (docs/scaling.md).
"""

import os

worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms %({x-request-id}o)s'

# Control characters in a request path (gunicorn logs it unquoted) are escaped, one request one line
# (pga/gunicorn_logging.py; ASVS 4.0.3 7.3.1).
logger_class = "pga.gunicorn_logging.SafeLogger"
