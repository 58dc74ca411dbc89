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
    "oauth2_provider",
    "guardian",
    "auditlog",
    "django_htmx",
    "django_guid",
    # The second factor (TOTP) for privacy officers and administrators (partners/otp.py; issue #4).
    "django_otp",
    "django_otp.plugins.otp_totp",
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
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Second factor: privacy officers and administrators verify a TOTP code before /privacy/ and /beheer/.
    "django_otp.middleware.OTPMiddleware",
    "partners.otp.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The audit actor is resolved lazily, after DRF authenticated a bearer token (pga/middleware.py).
    "pga.middleware.LazyActorAuditlogMiddleware",
    # One transaction per request, with its access-log row written inside it (privacy/access_log.py).
    "privacy.access_log.AccessLogMiddleware",
    "pga.middleware.NoStoreMiddleware",
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

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
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
# Skip the second factor (TOTP) of privacy officers and administrators (partners/otp.py). Only for the
# embedded demo (pga/settings/local.py turns it on); production refuses to start with it.
PGA_DEMO_SKIP_2FA = env.bool("PGA_DEMO_SKIP_2FA", default=False)
OTP_TOTP_ISSUER = "PGA Utrecht"
# Hit/no-hit checks (POST /api/v1/persons/check/) per caller, as a DRF rate ("30/min"); counted in the cache.
PGA_HIT_CHECK_RATE = env.str("PGA_HIT_CHECK_RATE", default="30/min")
# Every API request per signed-in user or partner application, as a DRF rate; counted in the cache
# (pga/api/throttling.py). 600/min lets an application work at 10 requests/s; above it: 429 with Retry-After.
PGA_API_RATE = env.str("PGA_API_RATE", default="600/min")
DJANGO_GUID = {"GUID_HEADER_NAME": "X-Request-ID", "VALIDATE_GUID": True, "RETURN_HEADER": True}

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

# --- Logging: no personal data in application logs --------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"without_query_string": {"()": "pga.logfilters.WithoutQueryString"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django_guid": {"level": "WARNING"},
        # runserver's request lines without their query string (``?naam=…``): pga/logfilters.py.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False, "filters": ["without_query_string"]},
    },
}
