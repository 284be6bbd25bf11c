"""Settings for Enrollments, read from the environment (django-environ).

Every setting a deployment may change is an environment variable; README.md ("Configuration") lists them.
Local development needs none: debug is on, the database is the SQLite file ``db.sqlite3`` and the cache is in
process memory. With ``DJANGO_DEBUG=false`` start-up refuses to run without a strong ``DJANGO_SECRET_KEY``.
"""

import datetime
import ipaddress
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

INSECURE_DEVELOPMENT_KEY = "django-insecure-local-development-only-never-use-this-key-in-production"


def _secret_key() -> str:
    """The configured secret key; outside debug it must exist and be strong (Django's own W009 rules)."""
    key = env.str("DJANGO_SECRET_KEY", default="")
    if DEBUG:
        return key or INSECURE_DEVELOPMENT_KEY
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters when DJANGO_DEBUG is false "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(64))')."
        )
    return key


SECRET_KEY = _secret_key()
# Former secret keys, still accepted for what they signed or encrypted (sessions, webhook signing secrets) while a
# rotation settles: comma-separated.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.admin_site.EnrollmentsAdminConfig",  # Django's admin, for staff who see the whole district
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "config.apps.PlatformConfig",  # before django_tasks_db: its db_worker waits out a lost database
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "accounts",
    "schools",
    "teachers",
    "courses",
    "students",
    "terms",
    "changes",
    "django_tasks",
    "django_tasks_db",
    "webhooks",
    "oauth2_provider",
    "oneroster",
    "scoping",
]

MIDDLEWARE = [
    "config.client_address.TrustedProxyMiddleware",  # first: everything after it sees the real client address
    "config.request_context.RequestIdMiddleware",
    "config.bodies.LengthRequiredMiddleware",  # a chunked body is refused (411), never taken as empty
    "django.middleware.security.SecurityMiddleware",
    "config.conditional.ConditionalMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.actors.ActorMiddleware",
    "scoping.middleware.ScopeMiddleware",  # request.scope: which schools the request may see
    "config.time_zones.AdminTimeZoneMiddleware",  # the admin's times in the browser's zone
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # counts failed logins first (see "Security" below)
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "config.time_zones.time_zone_shown",
            ],
        },
    },
]

# Database -------------------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "config.sqlite_backend"  # Django's, with SQLite's real parameter limit
    # Writers queue for the write lock when their transaction begins (IMMEDIATE) and wait up to `timeout`
    # seconds for it, so parallel writers never see "database is locked"; WAL lets readers run beside a writer.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_TIMEOUT", default=20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too: an in-memory database shared between threads fails with "table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "config.postgresql_backend"  # Django's, reading timestamps in C
if DATABASES["default"]["ENGINE"] != "config.sqlite_backend":
    # A request reuses its worker's connection instead of paying for a connect; a dead one is replaced.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DJANGO_CONN_HEALTH_CHECKS", default=True)
    # …except a connection that served a request less than this many seconds ago (config/postgresql_backend).
    CONN_HEALTH_CHECK_IDLE_SECONDS = env.float("DJANGO_CONN_HEALTH_CHECK_IDLE_SECONDS", default=1.0)
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", 5))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://enrollments")}

# Authentication -------------------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalization and static files --------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# REST API -------------------------------------------------------------------------------------------------------
API_MAX_PAGE_SIZE = 500
API_MAX_COURSE_IDS = 1000
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=64 * 1024)
API_MAX_UPLOAD_BYTES = env.int("API_MAX_UPLOAD_BYTES", default=100 * 1024 * 1024)  # an import's file

# Imports (the enrollments CSV, OneRoster bundles; imports/files.py): every file is read within these bounds, each
# refusal a problem naming the limit. A district's bundle (100,000 students, 1,000,000 enrollments) is ~300 MB of CSV.
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=2 * 1024**3)  # a zip's contents
IMPORT_MAX_COMPRESSION_RATIO = env.int("IMPORT_MAX_COMPRESSION_RATIO", default=100)  # an entry over 1 MiB
IMPORT_MAX_ZIP_ENTRIES = env.int("IMPORT_MAX_ZIP_ENTRIES", default=64)
IMPORT_MAX_LINE_BYTES = env.int("IMPORT_MAX_LINE_BYTES", default=64 * 1024)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=100)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5_000_000)  # per file
IMPORT_MAX_PROBLEMS = env.int("IMPORT_MAX_PROBLEMS", default=1000)  # kept in a report (all are counted)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous request is answered 401 with `WWW-Authenticate: Token`.
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["config.permissions.ModelPermissions"],
    "DEFAULT_RENDERER_CLASSES": [
        "config.renderers.ProblemAwareJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["config.throttling.UserRateThrottle", "config.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("DJANGO_THROTTLE_USER", default="1200/minute"),
        "anon": env.str("DJANGO_THROTTLE_ANON", default="60/minute"),
        "oneroster": env.str("DJANGO_THROTTLE_ONEROSTER", default="1200/minute"),  # per OAuth client
    },
    "DEFAULT_PAGINATION_CLASS": "config.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "config.filters.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "config.schema.ProblemAutoSchema",
    "EXCEPTION_HANDLER": "config.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NUM_PROXIES": 0,  # rates per address use REMOTE_ADDR, which config.client_address set (never X-Forwarded-For)
}

# API tokens (django-rest-knox): stored as SHA-512 digests, shown once, each with a lifetime (API_TOKEN_DAYS; 0: none).
KNOX_TOKEN_MODEL = "accounts.ApiToken"
MIGRATION_MODULES = {"knox": None}  # knox's own table is swapped for ours; its migrations would make it anyway
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=days) if (days := env.int("API_TOKEN_DAYS", default=365)) else None,
    "TOKEN_PREFIX": "enr_",  # recognisable by secret scanners; the key is this and 64 hexadecimal characters
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

API_PROBLEM_SERIALIZER = "students.serializers.EnrollmentProblemSerializer"  # the problem body with its members

SPECTACULAR_SETTINGS = {
    "TITLE": "Enrollments API",
    "DESCRIPTION": "Students, courses and which student takes which course. Errors are RFC 9457 problem details.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "config.schema.text_holds_no_nul"],
    "ENUM_NAME_OVERRIDES": {
        "EnrollmentStatusEnum": "students.models.EnrollmentStatus",
        "ChannelEnum": "students.models.Channel",
        "StatusChangeEnum": "students.serializers.STATUS_CHANGES",
        "StatusFilterEnum": "students.serializers.STATUS_FILTER_NAMES",
        "ChangeTypeEnum": "changes.models.ChangeType",
        "SubscriptionStatusEnum": "webhooks.models.SubscriptionStatus",
        "ImportJobStatusEnum": "oneroster.models.ImportStatus",
    },
}

# Background work and webhooks -----------------------------------------------------------------------------------
# Django's Tasks API (the django-tasks backport): tasks wait in the database and `manage.py db_worker` runs them (on
# PostgreSQL any number of workers on any number of machines). The same tasks run on Redis with django-tasks-rq.
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
# A worker that loses the database tries again after 1, 2, 4 … seconds, at most this many (config/management).
TASKS_WORKER_MAX_BACKOFF = env.float("TASKS_WORKER_MAX_BACKOFF", default=30)
# Loopback and private addresses as webhook targets: allowed while debugging, refused in production.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", default=DEBUG)
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=10)
# Seconds to wait after the 1st, 2nd, … failed attempt of an entry (±20 % jitter): about a day in all (Standard
# Webhooks' schedule); after the last, the subscription is marked failing until staff retry it.
WEBHOOKS_RETRY_SCHEDULE = env.list(
    "WEBHOOKS_RETRY_SCHEDULE", cast=float, default=[5, 300, 1800, 7200, 18000, 36000, 36000]
)
# How long a worker holds a subscription without renewing it (a worker that dies frees it after this).
WEBHOOKS_LEASE_SECONDS = env.float("WEBHOOKS_LEASE_SECONDS", default=60)

# Security -------------------------------------------------------------------------------------------------------
# The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (addresses or networks, comma-separated);
# none by default: the client is the socket's peer, and forwarding headers from anyone else are dropped.
TRUSTED_PROXIES = [value.strip() for value in env.list("DJANGO_TRUSTED_PROXIES", default=[]) if value.strip()]
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXIES: {error}") from None
# Production defaults (DJANGO_DEBUG=false): HTTPS only, HSTS, secure cookies. Behind a TLS-terminating proxy, which
# must be one of TRUSTED_PROXIES and set X-Forwarded-Proto; DJANGO_SECURE_PROXY_SSL_HEADER=false turns that off.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_ENGINE = "accounts.sessions"  # Django's database sessions, each key stored as a digest
X_FRAME_OPTIONS = "DENY"

# Admin logins: after AXES_FAILURE_LIMIT failures for a username from one address, locked for AXES_COOLOFF_TIME.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_CLIENT_IP_CALLABLE = "config.client_address.request_client_address"  # the address the middleware settled
AXES_LOCKOUT_CALLABLE = "config.lockout.locked_out"  # the admin's look, the lock's duration, the way back
AXES_VERBOSE = False  # no start-up banner on standard output (it would corrupt command output such as CSV)

# Logging --------------------------------------------------------------------------------------------------------
# One JSON object per line, each with the request id; requests are logged by config.request_context (never their
# headers or bodies, so never a token or a password). DJANGO_LOG_FORMAT=text for plain lines while developing.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_context.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.orjson.OrjsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env.str("DJANGO_LOG_FORMAT", default="text" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "enrollments.access": {"level": env.str("DJANGO_ACCESS_LOG_LEVEL", default="INFO" if not DEBUG else "WARNING")},
        "django.server": {"level": "WARNING"},
        # Django's own line for every 4xx ("Not Found: …") repeats the access log's: only 5xx are worth a second line
        "django.request": {"level": "ERROR"},
    },
}

# OneRoster 1.2 ----------------------------------------------------------------------------------------------------
# The rostering service (/ims/oneroster/rostering/v1p2/) shows the school as one org, optionally under a district,
# and the current term as its one academic session; these come from here (README: "OneRoster").
ONEROSTER_SCHOOL = {
    "sourced_id": env.str("ONEROSTER_SCHOOL_SOURCED_ID", default="5b0ed1b4-6c2f-4c4b-9a52-3f1a6f0e2a10"),
    "name": env.str("ONEROSTER_SCHOOL_NAME", default="Enrollments Demo School"),
    "identifier": env.str("ONEROSTER_SCHOOL_IDENTIFIER", default="DEMO-SCHOOL"),
}
ONEROSTER_DISTRICT = (
    {
        "sourced_id": env.str("ONEROSTER_DISTRICT_SOURCED_ID"),
        "name": env.str("ONEROSTER_DISTRICT_NAME", default="District"),
        "identifier": env.str("ONEROSTER_DISTRICT_IDENTIFIER", default=""),
    }
    if env.str("ONEROSTER_DISTRICT_SOURCED_ID", default="")
    else None
)
ONEROSTER_TERM = {
    "sourced_id": env.str("ONEROSTER_TERM_SOURCED_ID", default="0c9a3c1e-2d4b-4f6a-8e1d-7b5c9a0f3e21"),
    "title": env.str("ONEROSTER_TERM_TITLE", default="School year 2026-2027"),
    "start_date": datetime.date.fromisoformat(env.str("ONEROSTER_TERM_START_DATE", default="2026-08-17")),
    "end_date": datetime.date.fromisoformat(env.str("ONEROSTER_TERM_END_DATE", default="2027-07-01")),  # exclusive
    "school_year": env.str("ONEROSTER_TERM_SCHOOL_YEAR", default="2027"),
}
# The dateLastModified of the school, district and term (they change only when these settings do).
ONEROSTER_MODIFIED = datetime.datetime.fromisoformat(
    env.str("ONEROSTER_SETTINGS_MODIFIED", default="2026-08-01T00:00:00Z")
)
# /oauth/token and /oauth/revoke: requests per client address and, separately, per client id, counted before any
# secret is checked (each check is a PBKDF2 hash).
OAUTH_THROTTLE_RATE = env.str("DJANGO_THROTTLE_OAUTH", default="20/minute")
ONEROSTER_MAX_LIMIT = env.int("ONEROSTER_MAX_LIMIT", default=10_000)  # a larger limit is served this many records
# A bulk enrollments file that would drop more than this share of the enrolled associations is refused.
ONEROSTER_IMPORT_MAX_DROP_SHARE = env.float("ONEROSTER_IMPORT_MAX_DROP_SHARE", default=0.1)
# SQLite only (PostgreSQL sees a dead worker's import at once): a running import is taken as abandoned after this.
ONEROSTER_IMPORT_STALE_SECONDS = env.int("ONEROSTER_IMPORT_STALE_SECONDS", default=3600)
# PostgreSQL: a job that started this recently is left alone (its worker may not hold its row yet).
ONEROSTER_IMPORT_START_GRACE_SECONDS = env.float("ONEROSTER_IMPORT_START_GRACE_SECONDS", default=5)
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES": {
        "https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly": "OneRoster: the core read operations",
        "https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly": "OneRoster: every read operation",
        "https://purl.imsglobal.org/spec/or/v1p2/scope/roster-demographics.readonly": "OneRoster: demographics",
    },
    "DEFAULT_SCOPES": ["https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly"],
    "SCOPES_BACKEND_CLASS": "oneroster.auth.ClientScopesBackend",  # each client: the scopes staff gave it
    "OAUTH2_VALIDATOR_CLASS": "oneroster.oauth.ScopedValidator",  # no token without a scope
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("ONEROSTER_TOKEN_SECONDS", default=3600),
    "PKCE_REQUIRED": True,
    # RFC 9700 (OAuth 2.0 security best practice), everything django-oauth-toolkit can enforce: tokens only in the
    # Authorization header and stored hashed, no implicit or password grant, https redirects only.
    **dict.fromkeys(
        [
            f"COMPLIANT_BCP_RFC9700_{gate}"
            for gate in ("IMPLICIT_GRANT", "PASSWORD_GRANT", "PKCE_METHOD", "ACCESS_TOKEN_TRANSPORT")
        ]
        + ["COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS", "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE"],
        True,
    ),
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
