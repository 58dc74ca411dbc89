"""Every setting of PGA, read from the environment with django-environ and a safe default.

``local``, ``test`` and ``production`` only change defaults; nothing exists only in production.
``.env.example`` documents each variable.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# "local" (demo / development), "test" or "production". ``load_demo`` refuses production.
PGA_ENVIRONMENT = env.str("PGA_ENVIRONMENT", default="local")

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "partners.apps.OAuth2ProviderConfig",  # django-oauth-toolkit, with Dutch names in the admin
    "guardian",
    "auditlog",
    "django_htmx",
    "django_guid",
    "csp",  # django-csp's system checks (a policy in the old 3.x settings format is an error)
    # The second factor (TOTP) for privacy officers and administrators (partners/otp.py; issue #4).
    "django_otp",
    "partners.apps.TOTPConfig",  # django_otp.plugins.otp_totp, with Dutch names in the admin
    # Lockout against password guessing on the browser sign-in (issue #7; ASVS 2.2.1).
    "partners.apps.AxesConfig",  # django-axes, with a Dutch name in the admin
    "partners",
    "cases",
    "escalation",
    "privacy",
    # Scheduled jobs (issue #5): the beat schedule lives in the database, editable in /beheer/.
    "django_celery_beat",
    "jobs",
    # Measurements at national scale (issue #6): generate_dataset, bench, bench_check.
    "perf",
]

MIDDLEWARE = [
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    # Response headers (issue #7): Content-Security-Policy with a per-request nonce, Permissions-Policy.
    # Outside everything that renders, so error pages and static files carry them too.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Second factor: every browser user verifies a TOTP code (or a backup code) after the password
    # (partners/otp.py); sessions end after 12 hours whatever the activity (partners/sessions.py).
    "django_otp.middleware.OTPMiddleware",
    "partners.sessions.SessionLimitsMiddleware",
    "partners.otp.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The audit actor is resolved lazily, after DRF authenticated a bearer token (pga/middleware.py).
    "pga.middleware.LazyActorAuditlogMiddleware",
    # One transaction per request, with its access-log row written inside it (privacy/access_log.py).
    "privacy.access_log.AccessLogMiddleware",
    "pga.middleware.NoStoreMiddleware",
    # Last, as django-axes requires: answers a locked-out sign-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pga.urls"
WSGI_APPLICATION = "pga.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jobs.context_processors.notifications",
                # The identity provider's name for the sign-in button when PGA_LOGIN is "oidc" (issue #7).
                "partners.oidc.sign_in_context",
                # No main navigation before the second factor, on any page (partners/otp.py; issue #7).
                "partners.otp.second_factor_context",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/pga"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep a connection open between requests (checked before reuse): opening one per request cost more CPU
# than a case page's queries under load (issue #6, S4; docs/performance.md). 0 closes after each request,
# as behind pgbouncer in transaction mode (docs/scaling.md).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short OLTP queries: PostgreSQL's JIT compiles plans whose estimated cost (a correlated subquery per
    # case) is far above their real cost; at 100,000 cases that was most of a list page's time
    # (docs/performance.md, "Jobs (issue #5)"). And random reads cost about what sequential ones do on
    # SSDs and in the cache: with the default random_page_cost (4, for spinning disks) PostgreSQL read
    # all 120,000 cases to find a director's 60 rather than probe 60 index entries (20 ms against 3 ms,
    # issue #6). Set both on the server instead when connecting through pgbouncer (docs/scaling.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off -c random_page_cost=1.1")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded demo: take the write lock when a transaction starts and wait for it, instead of failing
    # at once with "database is locked" when two requests write at the same time (every request that
    # reads personal data writes its access-log row).
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "partners.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username before any password is checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "partners.backends.PartnerModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "caseload"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
# Dutch for packages that ship none (django-celery-beat in /beheer/); overrides every other catalog.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": env.str("STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage")},
}

# --- Sessions (issue #7; ASVS 3.3.1, 3.3.2 at level 3, 3.4) -------------------------------------
# Idle limit: the session's expiry moves with every request (saved each time) and the server refuses
# an expired one. Absolute limit: partners/sessions.py ends a session this many hours after sign-in.
# Sessions stay in the database: with Redis down the browser app keeps working (issue #5). The expiry
# moves on at most once a minute (partners/sessions.py), not with a write on every request.
SESSION_COOKIE_AGE = env.int("PGA_SESSION_IDLE_MINUTES", default=15) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
PGA_SESSION_ABSOLUTE_HOURS = env.int("PGA_SESSION_ABSOLUTE_HOURS", default=12)
# Minutes a fresh sign-in (password and second factor) counts for sensitive actions: changing the
# sharing matrix, activating a rule set, exports, approving destruction (partners/reauth.py; ASVS 3.7.1).
PGA_REAUTHENTICATION_MINUTES = env.int("PGA_REAUTHENTICATION_MINUTES", default=10)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: htmx takes the token from the page (templates/base.html).
CSRF_COOKIE_HTTPONLY = True
# A failed CSRF check: the Dutch "form expired" page with the request id, JSON under /api/ (pga/errors.py).
CSRF_FAILURE_VIEW = "pga.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"

# --- Response headers (issue #7; ASVS 4.0.3 14.4.3–14.4.7, 14.5.x) ------------------------------
# Content-Security-Policy (django-csp 4): no 'unsafe-inline', no 'unsafe-eval'. Code and styles come from
# our own static files; the few inline <style> blocks (the inzage print styles, the Swagger UI page) carry
# the request's nonce (``request.csp_nonce``), which django-csp adds to the header only when a page used it.
# htmx runs without eval and without its indicator styles (templates/base.html). The browser check:
# tests/browser/test_csp.py.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Powerful browser features PGA never uses are off for the page and anything it could embed (ASVS 14.4).
# Only features browsers recognise: an unknown one ("bluetooth") is a console warning on every page.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Django's SecurityMiddleware; these are Django's defaults, stated so a change is a visible decision.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Upper bound of a request body; free-text fields have their own, smaller limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1_048_576)

# --- Domain -----------------------------------------------------------------------------------
# The exit period (DOMAIN.md §5.6) is a parameter of the active rule set (escalation app, /beheer/).
# Code of the Zorg- en Veiligheidshuis whose process directors chair the casusoverleg (issue #3).
PGA_ZVH_ORGANISATION_CODE = env.str("PGA_ZVH_ORGANISATION_CODE", default="zvhru")

# --- Privacy (issue #4) -----------------------------------------------------------------------
# Key of the access log's person pseudonyms (privacy/pseudonyms.py). Keep it apart from the database:
# whoever has both can link log rows to persons. Production requires it (pga/settings/production.py).
PGA_PSEUDONYM_KEY = env.str("PGA_PSEUDONYM_KEY", default="")
# Hours a break-the-glass grant lasts.
PGA_BREAK_THE_GLASS_HOURS = env.int("PGA_BREAK_THE_GLASS_HOURS", default=24)
# Skip the second factor (TOTP) of every user (partners/otp.py). Only for the embedded demo
# (pga/settings/local.py turns it on); production refuses to start with it.
PGA_DEMO_SKIP_2FA = env.bool("PGA_DEMO_SKIP_2FA", default=False)
OTP_TOTP_ISSUER = "PGA Utrecht"
# Backup codes per user, shown once when the authenticator is set up (partners/models.py BackupCodeDevice).
PGA_BACKUP_CODE_COUNT = 10

# --- Lockout (django-axes; issue #7, ASVS 2.2.1, BIO 9.4.2) ------------------------------------
# After this many wrong passwords for one username, that username cannot sign in for the cool-off
# time; a wrong attempt during the lockout starts it again. Per username, not per address: all
# users of a municipality may share one address behind its proxy. Attempts and lockouts are kept in
# the database (/beheer/) and logged without the password.
AXES_FAILURE_LIMIT = env.int("PGA_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("PGA_LOGIN_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 warns that this lockout leaves out the IP address: deliberate, see above (a municipality's users
# share its proxy's address). Silenced so `check --deploy --fail-level WARNING` passes (issue #7).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Behind a reverse proxy: how many proxies add to X-Forwarded-For (0: use REMOTE_ADDR).
AXES_IPWARE_PROXY_COUNT = env.int("PGA_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
# Hit/no-hit checks (POST /api/v1/persons/check/) per caller, as a DRF rate ("30/min"); counted in the cache.
PGA_HIT_CHECK_RATE = env.str("PGA_HIT_CHECK_RATE", default="30/min")
# Every API request per signed-in user or partner application, as a DRF rate; counted in the cache
# (pga/api/throttling.py). 600/min lets an application work at 10 requests/s; above it: 429 with Retry-After.
PGA_API_RATE = env.str("PGA_API_RATE", default="600/min")
# The request id (``X-Request-ID``: a client's UUID, or a new one) in every log line and on error pages
# (pga/errors.py); Celery tasks carry the id of the request that queued them, and the worker logs through
# ``LOGGING`` (django-guid's Celery integration; issue #7, ASVS 4.0.3 7.1.4).
from django_guid.integrations import CeleryIntegration  # noqa: E402

DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True)],
}

# --- Cache -------------------------------------------------------------------------------------
# Holds the API's rate-limit counters. The default is per process; with several web workers use
# Redis (CACHE_URL=redis://host:6379/1), or each worker counts on its own.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "oauth2_provider.contrib.rest_framework.OAuth2Authentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["pga.api.permissions.IsPartnerPrincipal"],
    "DEFAULT_PAGINATION_CLASS": "pga.api.pagination.PagePagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "pga.api.schema.ErrorDocumentingAutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["pga.api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "pga.api.exceptions.exception_handler",
    "PAGE_SIZE": 25,
    # Every view counts against PGA_API_RATE (ApiRateThrottle reads the setting itself); a view that sets
    # its own throttles must keep these (DEFAULT_THROTTLE_CLASSES) in its list.
    "DEFAULT_THROTTLE_CLASSES": ["pga.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"hit_check": PGA_HIT_CHECK_RATE},
}
# The docs at /api/v1/docs/ are for partner developers: Dutch texts only (pga/api/schema.py).
SPECTACULAR_SETTINGS = {
    "TITLE": "PGA API",
    "DESCRIPTION": """REST API v1 voor ketenpartners van de persoonsgerichte aanpak (PGA) en Top X in de regio Utrecht.

**Toegang.** Een partnerkoppeling vraagt met OAuth2 *client credentials* een toegangstoken aan bij
`/oauth/token/` en stuurt dat mee als `Authorization: Bearer <token>`. Lezen vraagt scope `read`,
schrijven scope `write`. Een koppeling handelt namens haar organisatie; een client-id en -secret krijgt
uw organisatie van de beheerder van PGA. Een ongeldig of verlopen token geeft 401: vraag een nieuw aan.

**Wat u ziet.** U ziet de casussen waarvan uw organisatie (of u op naam) in het casusteam staat, en de
casussen die u regisseert. Voor elke andere casus, en alles daaronder, antwoordt de API **404**, net als
voor een casus die niet bestaat. Ziet u een casus wel, maar mag u een wijziging niet doen, dan krijgt u
403 met de reden in `detail`.

**Deelmatrix.** Welke gegevens van een casus u ziet en vastlegt, bepaalt de deelmatrix per rol en domein
(justitieel, zorg, sociaal domein, plan van aanpak, netwerk). Een veld dat u niet mag zien, ontbreekt in
het antwoord (het is niet `null`); daarom is elk veld in een antwoord optioneel. Delicten en detenties zijn
justitieel als geheel: zonder leesrecht daarop krijgt u 403. Journaalregels en toelichtingen hebben een
categorie; u ziet alleen die in categorieën die u mag lezen. Een veld sturen dat u niet mag zien, of iets
vastleggen in een categorie zonder schrijfrecht, geeft 403.

**Fouten.** Elk foutantwoord is JSON. Bij ongeldige invoer (400) per veld een lijst van meldingen, zoals
`{"person_id": ["Geen geldige UUID."]}`; meldingen die niet bij één veld horen staan als lijst onder
`detail`. Andere fouten hebben alleen `detail` met één tekst, zoals `{"detail": "Niet gevonden."}`. Een geweigerd verzoek slaat
niets op. Een body groter dan 1 MB geeft 413; een ander `Content-Type` dan `application/json` geeft 415.

**Geen BSN in een URL.** Personen, casussen en alles daaronder hebben een UUID; een BSN staat nooit in
een URL of query. Referentiegegevens (wijk, delicttype, organisatie, interventie) geeft u met hun vaste
code in kleine letters, zoals `overvecht` of `sr-310`; gebruikers met hun gebruikersnaam.

**Lijsten.** Elke lijst is gepagineerd met `page` en `page_size` (standaard 25, maximaal 100).

**Aanmelding.** `POST /api/v1/cases/` met een nieuwe `person`, of met de `person_id` van een persoon die
u al ziet. Is er al iemand bekend met dezelfde achternaam en geboortedatum, dan weigert de API de
aanmelding met een melding bij `confirm_new_person`. Hebt u nagegaan dat het om een andere persoon gaat,
stuur het verzoek dan opnieuw met `"confirm_new_person": true`. Een BSN dat al bekend is, omzeilt u
daarmee niet.""",
    "VERSION": "1.0.0",
    "TAGS": [
        {"name": "Casussen", "description": "Caseload en aanmelding; één casus lezen en wijzigen."},
        {"name": "Personen", "description": "Personen met een casus die u mag zien; lezen en wijzigen."},
        {"name": "Delicten", "description": "Delicten van een casus; partners uit het strafdomein registreren ze."},
        {"name": "Detenties", "description": "Detentieperiodes van een casus."},
        {"name": "Doelen", "description": "Doelen van het plan van aanpak, per leefgebied."},
        {"name": "Acties", "description": "Acties onder de doelen van het plan van aanpak."},
        {"name": "Beoordelingen", "description": "Gedateerde scores (1–5) op de zes leefgebieden."},
        {"name": "Journaal", "description": "Contactmomenten en notities."},
        {"name": "Casusteam", "description": "Organisaties en professionals in het team van een casus."},
        {"name": "Advies", "description": "Het advies van het beoordelingskader voor een casus."},
        {
            "name": "Besluiten",
            "description": "Voorstellen om een casus op of af te schalen, en de besluiten die niveau en status veranderen.",
        },
        {"name": "Casusoverleg", "description": "Casusoverleggen en hun agenda, voor de voorzitter en de deelnemers."},
        {
            "name": "Hit/no-hit",
            "description": "Controleren of iemand al in een lopende aanpak bekend is, en wie u dan kunt benaderen.",
        },
    ],
    # One component per choice set, whatever the field is called (`tier`, `recommended_tier` …).
    "ENUM_NAME_OVERRIDES": {
        "TierEnum": "cases.models.Tier",
        "CaseStatusEnum": "cases.models.CaseStatus",
        "ClosingReasonEnum": "cases.models.ClosingReason",
        "CategoryEnum": "privacy.categories.Category",  # journal, rationale and notes categories (issue #4)
    },
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    # No badge from validator.swagger.io: the docs load nothing from outside (Content-Security-Policy).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "pga.api.schema.describe_generated_components",
    ],
}
OAUTH2_PROVIDER = {
    "SCOPES": {"read": "Lezen", "write": "Schrijven"},
    "DEFAULT_SCOPES": ["read"],
    "OAUTH2_VALIDATOR_CLASS": "partners.oauth.PartnerOAuth2Validator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OAUTH2_ACCESS_TOKEN_EXPIRE_SECONDS", default=3600),
    # RFC 9700 (OAuth 2.0 Security BCP; issue #7, `check --deploy`): partners use client credentials only.
    # No implicit or password grant, no plain PKCE, tokens never in a query string, ``iss`` in responses,
    # access and refresh tokens stored as SHA-256 checksums only (look one up by ``token_checksum``),
    # replayed refresh tokens revoke their family, https redirect URIs only.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}

# --- Audit, guardian --------------------------------------------------------------------------
AUDITLOG_DISABLE_REMOTE_ADDR = False
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TIMEZONE = TIME_ZONE
# The schedule is data (django-celery-beat), installed by jobs/migrations/0002_schedule.py and edited
# by administrators in /beheer/; times are Europe/Amsterdam, outside the 02:00–03:00 daylight-saving hour.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # with acks_late: a worker holds one unacknowledged task at a time
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # acks_late: a task whose worker was lost (killed, machine gone) is handed out again after this many
    # seconds. Longer than the longest job, or a running job would be handed out a second time.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=4 * 3600),
    # Prepended to every Redis key of the broker: installations, or test runs, that share one Redis
    # do not take each other's tasks.
    "global_keyprefix": env.str("CELERY_BROKER_KEY_PREFIX", default=""),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
DJANGO_CELERY_BEAT_TZ_AWARE = True

# --- E-mail: notifications carry no personal data, only a link to the worklist (issue #5) -------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PGA <noreply@pga.invalid>")
PGA_BASE_URL = env.str("PGA_BASE_URL", default="http://127.0.0.1:8000")

# --- Sign-in through the municipality's identity provider (OIDC; issue #7) ----------------------
# "password" (default): PGA's own sign-in page, password and TOTP (partners/otp.py). "oidc": a single
# "Inloggen via <PGA_OIDC_PROVIDER_NAME>" button and OpenID Connect (mozilla-django-oidc, partners/oidc.py,
# docs/decisions/0015-oidc-sign-in.md); no password signs a browser user in, and the identity provider
# does the second factor. production.py refuses "oidc" without every endpoint on https.
PGA_LOGIN = env.str("PGA_LOGIN", default="password")
if PGA_LOGIN not in ("password", "oidc"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured('PGA_LOGIN moet "password" of "oidc" zijn.')
PGA_OIDC_PROVIDER_NAME = env.str("PGA_OIDC_PROVIDER_NAME", default="uw organisatie")
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
# Optional: the provider's end_session_endpoint; signing out of PGA then ends the provider's session too.
OIDC_OP_LOGOUT_ENDPOINT = env.str("OIDC_OP_LOGOUT_ENDPOINT", default="")
# The ID token's "iss" must equal this (OIDC Core 3.1.3.7); required in production.
PGA_OIDC_ISSUER = env.str("PGA_OIDC_ISSUER", default="")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False  # users are provisioned by the functioneel beheerder, never by signing in
OIDC_TIMEOUT = 10  # seconds for each call to the provider's token, userinfo and JWKS endpoints
OIDC_CALLBACK_CLASS = "partners.oidc.CallbackView"
OIDC_AUTHENTICATE_CLASS = "partners.oidc.AuthenticationRequestView"
OIDC_EXEMPT_URLS = ["oidc_reauthenticate"]
LOGIN_REDIRECT_URL_FAILURE = "login"
# Seconds after which SessionRefresh asks the provider again (prompt=none) whether its session still
# holds; an ended provider session then ends the PGA session at the next page.
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = env.int("OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS", default=15 * 60)
# Which claim names the PGA user, and which field of the user it must equal: "username" or "email".
PGA_OIDC_USER_CLAIM = env.str("PGA_OIDC_USER_CLAIM", default="preferred_username")
PGA_OIDC_USER_FIELD = env.str("PGA_OIDC_USER_FIELD", default="username")
# The ID token must show multi-factor authentication (amr per RFC 8176, or one of these acr values);
# PGA then asks no TOTP of its own. production.py refuses to switch this off.
PGA_OIDC_REQUIRE_MFA = env.bool("PGA_OIDC_REQUIRE_MFA", default=True)
PGA_OIDC_MFA_ACR_VALUES = env.list("PGA_OIDC_MFA_ACR_VALUES", default=[])
# Seconds a fresh sign-in at the provider (prompt=login, max_age=0) may lie in the past on return.
PGA_OIDC_REAUTHENTICATION_MAX_AGE = env.int("PGA_OIDC_REAUTHENTICATION_MAX_AGE", default=300)
if PGA_LOGIN == "oidc":
    AUTHENTICATION_BACKENDS = [
        "partners.oidc.OIDCBackend" if backend == "partners.backends.PartnerModelBackend" else backend
        for backend in AUTHENTICATION_BACKENDS
    ]
    _after_authentication = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
    MIDDLEWARE.insert(_after_authentication, "partners.oidc.SessionRefresh")
    from urllib.parse import urlencode, urlsplit

    if OIDC_OP_LOGOUT_ENDPOINT:
        LOGOUT_REDIRECT_URL = f"{OIDC_OP_LOGOUT_ENDPOINT}?" + urlencode(
            {"client_id": OIDC_RP_CLIENT_ID, "post_logout_redirect_uri": f"{PGA_BASE_URL.rstrip('/')}/inloggen/"}
        )
    # Forms may end at the provider: signing out, and a sensitive POST that first asks for a fresh
    # sign-in there (partners.reauth). CSP's form-action also covers the redirects after a form.
    _form_action: list[str] = CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"]  # type: ignore[index,assignment]
    for _endpoint in (OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_LOGOUT_ENDPOINT):
        _origin = "{0.scheme}://{0.netloc}".format(urlsplit(_endpoint)) if _endpoint else ""
        if _origin and _origin not in _form_action:
            _form_action.append(_origin)

# --- Logging: no personal data in application logs --------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One record, one line: control characters in messages and exception texts are escaped, against
    # forged log lines (pga/logfilters.py, ASVS 4.0.3 7.3.1); every line has the request id (7.1.4).
    "formatters": {
        "plain": {
            "class": "pga.logfilters.SafeFormatter",
            "format": "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s %(message)s",
        }
    },
    "filters": {
        "without_query_string": {"()": "pga.logfilters.WithoutQueryString"},
        "correlation_id": {"()": "django_guid.log_filters.CorrelationId"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["correlation_id"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django_guid": {"level": "WARNING"},
        # Their DEBUG lines hold issued bearer tokens and request bodies: never below INFO, whatever LOG_LEVEL
        # says (ASVS 4.0.3 7.1.1; tests/security/test_logging.py).
        "oauthlib": {"level": "INFO"},
        "oauth2_provider": {"level": "INFO"},
        # runserver's request lines without their query string (``?naam=…``): pga/logfilters.py.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False, "filters": ["without_query_string"]},
    },
}
