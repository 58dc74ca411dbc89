"""The test suite: real PostgreSQL (``DATABASE_URL``) and Redis, never SQLite."""

import os

os.environ.setdefault("PGA_ENVIRONMENT", "test")
os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("PGA_PSEUDONYM_KEY", "test-pseudonym-key-not-secret")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/1")  # the real Redis, like production

from .base import *  # noqa: F403
from .base import CACHES, DATABASES

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("De tests draaien alleen tegen PostgreSQL (DATABASE_URL=postgres://...).")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
# Static files come from the finders (WhiteNoise does this when STATIC_ROOT is unset); no collectstatic in tests.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
# Test runs share the Redis database: each run counts its rate limits under its own prefix.
CACHES["default"].setdefault("KEY_PREFIX", f"pga-test-{os.getpid()}")
