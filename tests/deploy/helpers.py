"""Shared by the deployment tests: a realistic throwaway production environment and a way to start
``pga.settings.production`` in a child process with exactly that environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def production_environment(**overrides: str) -> dict[str, str]:
    """Every variable the production settings require, with fresh random keys (never stored), the
    local PostgreSQL and Redis; ``overrides`` replace or add variables. Variables that base.py would
    otherwise take from a developer's ``.env`` are set explicitly, so the result does not depend on it."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(BASE_DIR)),
        "DJANGO_SETTINGS_MODULE": "pga.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PGA_PSEUDONYM_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "pga.example.nl",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pga"),
        "CACHE_URL": "redis://127.0.0.1:6379/2",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DEBUG": "false",
        "PGA_DEMO_SKIP_2FA": "false",
    }
    environment.update(overrides)
    return environment


def run_python(arguments: list[str], environment: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run this interpreter with ``arguments`` in the project directory and ``environment`` only."""
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *arguments],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
