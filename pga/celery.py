"""The Celery application. Jobs live in the apps' ``tasks.py``; beat schedules come with the jobs issue."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pga.settings.local")

app = Celery("pga")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
