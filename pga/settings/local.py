"""Local development and the embedded demo: SQLite, eager Celery, WhiteNoise serving static files.

DEBUG stays off by default, so the demo shows the real (Dutch) error pages; developers set DEBUG=true.

``make demo`` runs with these settings; nothing here may be used in production.
"""

import os

os.environ.setdefault("DATABASE_URL", "sqlite:///db.sqlite3")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("PGA_PSEUDONYM_KEY", "local-pseudonym-key-not-secret")
os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
# The demo accounts sign in without the second factor (partners/otp.py); production refuses this.
os.environ.setdefault("PGA_DEMO_SKIP_2FA", "true")

from .base import *  # noqa: F403

# Static files come from the finders through WhiteNoise; no collectstatic needed.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
