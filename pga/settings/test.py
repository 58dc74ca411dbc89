"""The test suite: real PostgreSQL (``DATABASE_URL``) and Redis, never SQLite."""

import os

os.environ.setdefault("PGA_ENVIRONMENT", "test")
os.environ.setdefault("SECRET_KEY", "test-only-not-secret")  # noqa: S105
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

from .base import *  # noqa: E402,F403
from .base import DATABASES  # noqa: E402

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("De tests draaien alleen tegen PostgreSQL (DATABASE_URL=postgres://...).")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
