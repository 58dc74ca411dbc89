"""Production: refuses to start without a real secret key, allowed hosts and database, or with the demo's
shortcut past the second factor (``PGA_DEMO_SKIP_2FA``, issue #4)."""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ["PGA_ENVIRONMENT"] = "production"

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, PGA_DEMO_SKIP_2FA, PGA_PSEUDONYM_KEY, SECRET_KEY, env

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

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
