"""The Celery application. Jobs live in the apps' ``tasks.py``; the beat schedule is data (django-celery-beat).

Logging: django-guid's Celery integration (``DJANGO_GUID["INTEGRATIONS"]`` in pga/settings/base.py) makes the
worker log through ``settings.LOGGING`` (one escaped line per record, ``pga.logfilters.SafeFormatter``) and
gives each task the request id of the request that queued it, or a new one for a scheduled task. Celery logs
a task's result at INFO: tasks return counts and ids only, never personal data (issue #7;
tests/test_no_personal_data_in_logs.py, tests/security/test_logging.py)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pga.settings.local")

app = Celery("pga")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
