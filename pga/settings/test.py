"""The test suite: real PostgreSQL (``DATABASE_URL``) and Redis, never SQLite."""

import os

os.environ.setdefault("PGA_ENVIRONMENT", "test")
os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("PGA_PSEUDONYM_KEY", "test-pseudonym-key-not-secret")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")

from .base import *  # noqa: F403
from .base import DATABASES

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("De tests draaien alleen tegen PostgreSQL (DATABASE_URL=postgres://...).")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
# Static files come from the finders (WhiteNoise does this when STATIC_ROOT is unset); no collectstatic in tests.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
