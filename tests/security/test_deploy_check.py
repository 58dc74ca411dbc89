"""``manage.py check --deploy --fail-level WARNING`` passes with a realistic production environment (issue #7):
Django's deployment checks (HSTS, secure cookies, SSL redirect, DEBUG off, a strong SECRET_KEY …) and those of
the packages (django-oauth-toolkit's RFC 9700 checks, django-axes, django-csp) report nothing, not even a
warning. Runs the real command in a subprocess with ``pga.settings.production``."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def production_environment() -> dict[str, str]:
    """What an installation sets (.env.example): random keys of production length, real host and URLs."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "PGA_", "CELERY_", "SECURE_")) and name not in {"DEBUG", "SECRET_KEY", "CACHE_URL"}
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "pga.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "pga.example.nl",
        "CSRF_TRUSTED_ORIGINS": "https://pga.example.nl",
        "DATABASE_URL": "postgres://pga:wachtwoord@db.example.nl:5432/pga",
        "PGA_PSEUDONYM_KEY": secrets.token_urlsafe(32),
        "CACHE_URL": "redis://redis.example.nl:6379/1",
        "CELERY_BROKER_URL": "redis://redis.example.nl:6379/0",
        "PGA_BASE_URL": "https://pga.example.nl",
    }


def run_check(**overrides: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    environment = {**production_environment(), **overrides}
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        command, cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=300
    )


def test_the_deployment_check_passes_without_warnings():
    result = run_check()

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # Only the one documented silence (pga/settings/base.py: axes.W006, lockout by user name, not address).
    assert "System check identified no issues (1 silenced)." in result.stdout, output
    assert "WARNINGS:" not in output and "ERRORS:" not in output


def test_the_check_fails_on_a_warning():
    """The check is not toothless: without HSTS preload (an environment switch) it reports security.W021."""
    result = run_check(SECURE_HSTS_PRELOAD="false")

    assert result.returncode != 0
    assert "security.W021" in result.stderr + result.stdout
