"""gunicorn settings; gunicorn reads ``./gunicorn.conf.py`` from its working directory (``/app`` in the
image, see Dockerfile and docker-compose.yml), so they hold for every way the web service starts.

No personal data in application logs (issue #4): gunicorn's default access-log line holds the full
request line and the referrer, both with the query string, and the caseload's name filter puts a
name there (``?naam=…``). This line keeps the path without the query string (paths hold UUIDs only)
and no referrer or user agent; the request id (``X-Request-ID``, django-guid) links it to the
request's row in the access log.
"""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms %({x-request-id}o)s'
