"""Production: refuses to start without a real secret key, allowed hosts and database, or with the demo's
shortcut past the second factor (``PGA_DEMO_SKIP_2FA``, issue #4); and (issue #7) with ``DEBUG`` on, a
database other than PostgreSQL, a cache or Celery broker other than Redis, or eager Celery. Each refusal is
an ``ImproperlyConfigured`` with a Dutch message (tests/deploy/test_production_settings.py)."""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ["PGA_ENVIRONMENT"] = "production"

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    CACHES,
    CELERY_BROKER_URL,
    CELERY_TASK_ALWAYS_EAGER,
    DATABASES,
    PGA_DEMO_SKIP_2FA,
    PGA_PSEUDONYM_KEY,
    SECRET_KEY,
    env,
)
from .base import DEBUG as DEBUG_FROM_ENVIRONMENT

if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY ontbreekt of is te kort (minimaal 50 tekens).")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS moet de echte hostnamen noemen.")
if len(PGA_PSEUDONYM_KEY) < 32 or PGA_PSEUDONYM_KEY == SECRET_KEY:
    raise ImproperlyConfigured("PGA_PSEUDONYM_KEY ontbreekt, is te kort (minimaal 32 tekens) of gelijk aan SECRET_KEY.")
if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured("DATABASE_URL ontbreekt.")
if PGA_DEMO_SKIP_2FA:
    raise ImproperlyConfigured(
        "PGA_DEMO_SKIP_2FA is alleen voor de demo: privacyfunctionarissen en beheerders moeten de tweede stap doen."
    )
# Issue #7 (ASVS 4.0.3 V14.3.2: no debug modes in production; BIO 12.1.4: production apart from development).
if DEBUG_FROM_ENVIRONMENT:
    raise ImproperlyConfigured("DEBUG staat aan: in productie toont dat broncode en instellingen aan bezoekers.")
if DATABASES["default"]["ENGINE"] not in ("django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"):
    raise ImproperlyConfigured("DATABASE_URL moet naar PostgreSQL wijzen (postgres://…).")
# The API's per-client throttling and the login lockout count in the cache (ASVS 2.2.1, 11.1.4): a
# per-process cache lets each gunicorn worker count on its own, a shared one counts once per installation.
if CACHES["default"]["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
    raise ImproperlyConfigured(
        "CACHE_URL moet naar Redis wijzen (redis://…): de limieten op inlogpogingen en API-verzoeken "
        "tellen in de cache, en elke webworker moet dezelfde tellers zien."
    )
if not CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("CELERY_BROKER_URL moet naar Redis wijzen (redis://…).")
if CELERY_TASK_ALWAYS_EAGER:
    raise ImproperlyConfigured(
        "CELERY_TASK_ALWAYS_EAGER is alleen voor de demo en de tests: in productie doen worker en beat de taken."
    )
# Sign-in through the municipality's identity provider (PGA_LOGIN=oidc; partners/oidc.py): every endpoint
# set and on https (codes, tokens and keys travel there; ASVS 9.2.1), the ID token's issuer known, and the
# provider's multi-factor check on, since PGA asks no TOTP of such sessions (ASVS 2.7, BIO 9.4.2).
from .base import PGA_LOGIN, PGA_OIDC_REQUIRE_MFA

if PGA_LOGIN == "oidc":
    for _name in (
        "OIDC_RP_CLIENT_ID",
        "OIDC_RP_CLIENT_SECRET",
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
        "PGA_OIDC_ISSUER",
    ):
        if not globals()[_name]:
            raise ImproperlyConfigured(f"PGA_LOGIN=oidc, maar {_name} ontbreekt.")
    for _name in ("OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT"):
        if not globals()[_name].startswith("https://"):
            raise ImproperlyConfigured(f"{_name} moet een https-adres zijn.")
    if globals()["OIDC_OP_LOGOUT_ENDPOINT"] and not globals()["OIDC_OP_LOGOUT_ENDPOINT"].startswith("https://"):
        raise ImproperlyConfigured("OIDC_OP_LOGOUT_ENDPOINT moet een https-adres zijn.")
    if not PGA_OIDC_REQUIRE_MFA:
        raise ImproperlyConfigured(
            "PGA_OIDC_REQUIRE_MFA mag in productie niet uit: PGA vraagt bij inloggen via de identity provider "
            "zelf geen tweede stap, dus die moet daar gebeuren."
        )

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# "__Host-": the browser accepts these cookies only over HTTPS, for this host alone (no Domain) and for
# the whole site (Path=/); a sibling subdomain cannot set or overwrite them (ASVS 3.4.4).
SESSION_COOKIE_NAME = "__Host-pga_session"
CSRF_COOKIE_NAME = "__Host-pga_csrftoken"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Ready for the browsers' preload list (check --deploy, security.W021); submitting the domain is the host's choice.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
