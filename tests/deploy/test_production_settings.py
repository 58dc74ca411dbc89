"""pga.settings.production refuses to start when the environment is not fit for production (issue #7).

Each case imports the settings in a child process with a controlled environment, as gunicorn, the
Celery worker and ``manage.py`` do at start, and asserts the refusal's Dutch message. Sources: ASVS
4.0.3 V14.1.1/V14.3.2 (secure, debug-free deployment), V2.2.1 and V11.1.4 (rate limits that hold across
workers), BIO 12.1.4 (production separate from development and test).
"""

import pytest

from .helpers import production_environment, run_python

IMPORT_SETTINGS = ["-c", "import pga.settings.production"]


def refusal(**overrides: str) -> str:
    """Import the production settings with ``overrides``; return stderr, asserting the import failed
    with ImproperlyConfigured."""
    result = run_python(IMPORT_SETTINGS, production_environment(**overrides))
    assert result.returncode != 0, f"started with {overrides}"
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    return result.stderr


def test_a_correct_environment_imports_the_settings():
    result = run_python(IMPORT_SETTINGS, production_environment())
    assert result.returncode == 0, result.stderr


def test_a_correct_environment_passes_manage_py_check():
    result = run_python(["manage.py", "check"], production_environment())
    assert result.returncode == 0, result.stderr
    assert "ERRORS:" not in result.stderr
    assert "System check identified" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY ontbreekt of is te kort (minimaal 50 tekens)."),
        ({"SECRET_KEY": "kort-maar-niet-leeg"}, "SECRET_KEY ontbreekt of is te kort"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS moet de echte hostnamen noemen."),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS moet de echte hostnamen noemen."),
        ({"PGA_PSEUDONYM_KEY": "te-kort"}, "PGA_PSEUDONYM_KEY ontbreekt, is te kort"),
        ({"PGA_DEMO_SKIP_2FA": "true"}, "PGA_DEMO_SKIP_2FA is alleen voor de demo"),
        ({"DEBUG": "true"}, "DEBUG staat aan: in productie toont dat broncode en instellingen aan bezoekers."),
        ({"DATABASE_URL": "sqlite:////tmp/pga.sqlite3"}, "DATABASE_URL moet naar PostgreSQL wijzen"),
        ({"CACHE_URL": "locmemcache://"}, "CACHE_URL moet naar Redis wijzen (redis://…)"),
        ({"CACHE_URL": "dummycache://"}, "CACHE_URL moet naar Redis wijzen"),
        ({"CACHE_URL": "filecache:///tmp/pga-cache"}, "CACHE_URL moet naar Redis wijzen"),
        ({"CELERY_BROKER_URL": "memory://"}, "CELERY_BROKER_URL moet naar Redis wijzen (redis://…)."),
        ({"CELERY_BROKER_URL": "amqp://guest@127.0.0.1//"}, "CELERY_BROKER_URL moet naar Redis wijzen"),
        ({"CELERY_TASK_ALWAYS_EAGER": "true"}, "CELERY_TASK_ALWAYS_EAGER is alleen voor de demo en de tests"),
    ],
    ids=lambda value: "-".join(f"{k}={v or 'leeg'}" for k, v in value.items()) if isinstance(value, dict) else "",
)
def test_production_refuses_an_environment_unfit_for_production(overrides, message):
    assert message in refusal(**overrides)


def test_the_pseudonym_key_may_not_be_the_secret_key():
    key = "s" * 60
    assert "PGA_PSEUDONYM_KEY ontbreekt, is te kort (minimaal 32 tekens) of gelijk aan SECRET_KEY." in refusal(
        SECRET_KEY=key, PGA_PSEUDONYM_KEY=key
    )


def test_production_refuses_to_start_without_a_database_url():
    environment = production_environment()
    del environment["DATABASE_URL"]
    result = run_python(IMPORT_SETTINGS, environment)
    assert result.returncode != 0
    assert "DATABASE_URL ontbreekt." in result.stderr


@pytest.mark.parametrize("broker", ["redis://127.0.0.1:6379/0", "rediss://redis.example.nl:6380/0"])
def test_redis_brokers_with_and_without_tls_are_accepted(broker):
    result = run_python(
        IMPORT_SETTINGS, production_environment(CELERY_BROKER_URL=broker, CACHE_URL="rediss://redis.example.nl:6380/1")
    )
    assert result.returncode == 0, result.stderr


def test_production_forces_secure_transport_settings():
    script = (
        "from django.conf import settings; "
        "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SECURE_HSTS_SECONDS >= 31536000, settings.SECURE_PROXY_SSL_HEADER)"
    )
    result = run_python(["-c", f"import django; django.setup(); {script}"], production_environment())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True True True ('HTTP_X_FORWARDED_PROTO', 'https')"
