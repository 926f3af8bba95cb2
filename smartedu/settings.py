"""Settings for smartedu, read from the environment (12-factor).

Two modes share this one file:

* **embedded** (the default, `REDIS_URL` unset): SQLite file, local-memory cache, Celery on kombu's
  filesystem transport — nothing to install beyond Python.
* **production** (`REDIS_URL` set, usually with a PostgreSQL `DATABASE_URL`): Redis for cache and broker,
  HTTPS-only cookies and HSTS, and `DJANGO_SECRET_KEY` is required.

Every variable read here is listed in README.md's configuration table.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def _redis_database_shifted(url: str, by: int) -> str:
    """``redis://host:6379/14`` shifted by 1 is ``redis://host:6379/15`` (within Redis's 16 databases)."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(number + by) % 16}"))


VAR_DIR = Path(env.str("SMARTEDU_VAR_DIR", default=str(BASE_DIR / "var"))).resolve()
# Tests run in parallel processes (pytest-xdist sets PYTEST_XDIST_WORKER to gw0, gw1, ...): each process and
# the worker processes it starts get their own SQLite files, Celery broker folder and media, so that parallel
# test processes share nothing (pytest-django suffixes the database names on its own as well).
if _test_process := env.str("PYTEST_XDIST_WORKER", default=""):
    VAR_DIR = VAR_DIR / _test_process
VAR_DIR.mkdir(parents=True, exist_ok=True)

REDIS_URL = env.str("REDIS_URL", default="")
if _test_process and REDIS_URL:
    # ...and, in the production mode, their own Redis database: gw0 keeps the number given, gw1 the next one.
    # (Worker processes the tests start inherit PYTEST_XDIST_WORKER, so they shift the same way.)
    REDIS_URL = _redis_database_shifted(REDIS_URL, int(_test_process.removeprefix("gw") or 0))
EMBEDDED = not REDIS_URL

DEBUG = env.bool("DJANGO_DEBUG", default=False)


def _secret_key() -> str:
    key = env.str("DJANGO_SECRET_KEY", default="")
    if key:
        return key
    if not EMBEDDED:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production mode (REDIS_URL is set) refuses to start without a "
            "secret key: set DJANGO_SECRET_KEY to a long random string, the same on every web and worker "
            "process."
        )
    # Embedded mode: one random key per installation, kept beside the SQLite file so sessions survive
    # restarts and the web and worker processes agree.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# How many reverse proxies (load balancers) stand in front of the web processes and append to
# X-Forwarded-For. 0: the client is REMOTE_ADDR and forwarded headers are ignored (smartedu/portal/client.py).
TRUSTED_PROXIES = env.int("DJANGO_TRUSTED_PROXIES", default=0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # django-axes under a translated name (its own AppConfig has none: the admin showed "AXES").
    "smartedu.accounts.axes_app.AxesConfig",
    "smartedu.accounts",
    "smartedu.portal",
    "smartedu.stats",
    "smartedu.search",
    "smartedu.institutions",
    "smartedu.classes",
    "smartedu.quizzes",
    "smartedu.guardians",
    "k12",
    "vocational",
    "higher_ed",
    "employment",
    # 24365 part 2: one app each, with its own tables and migrations, inside the employment package.
    "employment.agreements",
    "employment.feeds",
    "employment.fairs",
    "employment.front",
    "employment.guidance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The view beacon's fast lane: a plainly valid beacon needs nothing below (smartedu/stats/middleware.py).
    "smartedu.stats.middleware.BeaconMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous visitors' pages from the cache (smartedu/portal/pagecache.py); a hit skips everything below.
    "smartedu.portal.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smartedu.urls"
WSGI_APPLICATION = "smartedu.wsgi.application"
ASGI_APPLICATION = "smartedu.asgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file (not :memory:) for the test database, so that a real Celery worker process can read what a
    # test wrote; WAL lets the web and worker processes read while one writes.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_db.sqlite3")}
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# PostgreSQL: a SELECT run this many times on a connection becomes a prepared statement, so it is no longer
# planned on every request (smartedu/portal/prepared.py); 0 turns it off (PgBouncer in transaction mode).
DATABASE_PREPARE_THRESHOLD = env.int("DATABASE_PREPARE_THRESHOLD", default=5)
if DATABASE_PREPARE_THRESHOLD < 0:
    raise ImproperlyConfigured("DATABASE_PREPARE_THRESHOLD must be 0 (off) or more.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DATABASE_PREPARE_THRESHOLD:
    from smartedu.portal.prepared import PreparingConnection, PreparingCursor

    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"connection_factory": PreparingConnection, "cursor_factory": PreparingCursor}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------------------
# Connect and socket timeout of every Redis client (cache and its throttles, the view buffer, Celery's result
# backend): at most one second, so that a hung Redis fails a request fast instead of holding the worker.
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=1.0)
if not 0 < REDIS_TIMEOUT_SECONDS <= 1:
    raise ImproperlyConfigured("REDIS_TIMEOUT_SECONDS must be more than 0 and at most 1.")
CACHES: dict[str, dict[str, Any]]
if EMBEDDED:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "smartedu"}}
else:
    CACHES = {
        "default": {
            # Django's backend, with one client per connection pool instead of one per operation.
            "BACKEND": "smartedu.portal.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "smartedu",
            "TIMEOUT": 300,
            # A Redis that accepts connections and never answers must not hold a worker: every Redis client
            # gives up after REDIS_TIMEOUT_SECONDS (the pool's connections do not retry by themselves).
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    }

# Anonymous visitors' pages are served from the cache (smartedu/portal/pagecache.py) for this many seconds at
# most; publishing content or any change in the admin makes them stale at once. 0 turns the page cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
# Blocks of pages that are the same for every visitor ({% fragment %}, smartedu/portal/fragments.py) are kept
# this many seconds at most; the same changes that make cached pages stale make them stale at once. 0: off.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=600)
# Never cached (paths without their language prefix): personal, administrative and counted pages (a search
# is counted by its view), and everything that is not a page.
PAGE_CACHE_EXCLUDE = [
    "/accounts/", "/admin/", "/dashboard/", "/search/dashboard/", "/classes/", "/quizzes/", "/api/", "/i18n/",
    "/media/", "/static/", "/healthz", "/readyz",
]  # fmt: skip

# --- Accounts and authentication -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "smartedu.accounts.backends.ModelBackend",  # Django's, the signed-in user read by a precompiled statement
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule on passwords: on every password change it revokes the account's API tokens.
    {"NAME": "smartedu.accounts.password_validation.RevokeApiTokensOnPasswordChange"},
]
# E-mail (password reset): printed to the console in the embedded mode; SMTP from EMAIL_URL in production,
# e.g. smtp+tls://user:password@smtp.example.org:587 (django-environ's email URL).
if EMBEDDED:
    EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
else:
    _email = env.email_url("EMAIL_URL", default="smtp://localhost:25")
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
    EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS", False))
    EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL", False))
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="smartedu <noreply@localhost>")
EMAIL_TIMEOUT = 10
# Password-reset e-mails asked for per client address in a window (the form answers alike for unknown
# addresses, so this only stops a flood of mails).
PASSWORD_RESETS_PER_ADDRESS = env.int("PASSWORD_RESETS_PER_ADDRESS", default=10)
PASSWORD_RESET_WINDOW_SECONDS = env.int("PASSWORD_RESET_WINDOW_SECONDS", default=3600)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Failed-login lockout (smartedu/accounts/lockout.py): AXES_FAILURE_LIMIT failures for one username from one
# real client address lock that pair; AXES_USERNAME_FAILURE_LIMIT failures for one username from any addresses
# lock the username everywhere. Both for AXES_COOLOFF_MINUTES after the failures that reached the limit.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_USERNAME_FAILURE_LIMIT = env.int("AXES_USERNAME_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "smartedu.accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "smartedu.portal.client.client_ip_for_axes"
AXES_LOCKOUT_CALLABLE = "smartedu.accounts.lockout.lockout_response"
# Failures while locked out do not push the end of the lockout back: the time shown to the user holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Internationalisation --------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
_ECHARTS_BUNDLE = BASE_DIR / "node_modules" / ".smartedu" / "echarts"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries come from the npm registry (package.json; `make install` runs `npm ci`) and are
    # served from here, never copied into the repository: {% static "vendor/echarts/echarts.min.js" %}.
    # ECharts: the dashboards' tree-shaken bundle that `make install` builds with esbuild, or, before it is
    # built, the library's full build (same file name, same global).
    (
        "vendor/echarts",
        _ECHARTS_BUNDLE if _ECHARTS_BUNDLE.is_dir() else BASE_DIR / "node_modules" / "echarts" / "dist",
    ),
    # pdf.js (the e-textbook reader): the legacy build, which older phone browsers run; its standard fonts.
    ("vendor/pdfjs", BASE_DIR / "node_modules" / "pdfjs-dist" / "legacy" / "build"),
    ("vendor/pdfjs-fonts", BASE_DIR / "node_modules" / "pdfjs-dist" / "standard_fonts"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=EMBEDDED)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests render pages without running collectstatic first.
WHITENOISE_MANIFEST_STRICT = False

# --- Security ---------------------------------------------------------------------------------------------
# HTTPS-only in production mode; the embedded mode serves plain HTTP on 127.0.0.1.
SECURE_HTTPS = env.bool("DJANGO_SECURE_HTTPS", default=not EMBEDDED)
SECURE_SSL_REDIRECT = SECURE_HTTPS
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_HSTS_SECONDS = 31536000 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
# X-Forwarded-Proto is believed only when a proxy we trust is there to overwrite what the client sent.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_HTTPS and TRUSTED_PROXIES > 0 else None
)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read with a statement built once per process (smartedu/accounts/sessions.py).
SESSION_ENGINE = "smartedu.accounts.sessions"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy on every response (django-csp): scripts, styles, images and fonts from this site
# only, no inline script, never framed. The Swagger UI loads its start-up script from a URL (api/docs/).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# django-filter: the empty choice of a filter reads "All" (translated), not "---------".
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("All")

# --- REST API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Hashed, expiring tokens (django-rest-knox), sent as "Authorization: Token <key>". First, so that an
        # unauthenticated request gets 401 with "WWW-Authenticate: Token" (a bad or expired token too).
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # One content type per request body (JSON), parsed with a nesting limit (smartedu/portal/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["smartedu.portal.parsers.JSONParser"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "smartedu.portal.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        # Keyed on the real client address (smartedu/portal/client.py), never on a forged X-Forwarded-For.
        "smartedu.portal.throttling.AnonRateThrottle",
        "smartedu.portal.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/min"),
        "user": env.str("API_THROTTLE_USER", default="600/min"),
        "auth": env.str("API_THROTTLE_AUTH", default="20/min"),
        # The view-counting beacon, per client (signed-in user or address); see STATS_* below.
        "stats_beacon": env.str("API_THROTTLE_STATS_BEACON", default="300/min"),
        # Typeahead asks on (debounced) keystrokes.
        "search_suggest": env.str("API_THROTTLE_SEARCH_SUGGEST", default="600/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "smartedu.portal.exceptions.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "smartedu API",
    "DESCRIPTION": "Public API of the smartedu portal and its four sub-platforms.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name with other sets ("status", "type") get a name of their own.
    "ENUM_NAME_OVERRIDES": {
        "EmploymentApplicationStatusEnum": "employment.models.ApplicationStatus",
        "EmploymentEmployerStatusEnum": "employment.models.EmployerStatus",
        "EmploymentEmployerTypeEnum": "employment.models.EmployerType",
        "EmploymentJobStatusEnum": "employment.models.JobStatus",
        "EmploymentImportStatusEnum": "employment.models.ImportStatus",
        "EmploymentDegreeEnum": "employment.models.Degree",
        "EmploymentFairKindEnum": "employment.fairs.models.FairKind",
        "K12ResourceKindEnum": "k12.models.resources.ResourceKind",
        "EmploymentFairStateEnum": "employment.fairs.models.FairState",
        "EmploymentFairRegistrationStatusEnum": "employment.fairs.models.RegistrationStatus",
        "EmploymentAssessmentKindEnum": "employment.guidance.models.AssessmentKind",
        "EmploymentProgramKindEnum": "employment.guidance.models.ProgramKind",
        "EmploymentArticleCategoryEnum": "employment.guidance.models.ArticleCategory",
        "EmploymentDestinationEnum": "employment.guidance.models.Destination",
    },
}

# --- Classes and quizzes (smartedu.classes, smartedu.quizzes) -----------------------------------------------
# Failed class-code joins allowed per user and per client address in a window (codes are guessable by brute
# force; successful joins are given back, so a whole class behind one school address can join).
CLASSES_JOIN_FAILURES_PER_USER = env.int("CLASSES_JOIN_FAILURES_PER_USER", default=10)
CLASSES_JOIN_FAILURES_PER_ADDRESS = env.int("CLASSES_JOIN_FAILURES_PER_ADDRESS", default=60)
CLASSES_JOIN_WINDOW_SECONDS = env.int("CLASSES_JOIN_WINDOW_SECONDS", default=900)
# Quiz attempts per user and per client address in a window.
QUIZZES_ATTEMPTS_PER_USER = env.int("QUIZZES_ATTEMPTS_PER_USER", default=30)
QUIZZES_ATTEMPTS_PER_ADDRESS = env.int("QUIZZES_ATTEMPTS_PER_ADDRESS", default=600)
QUIZZES_ATTEMPTS_WINDOW_SECONDS = env.int("QUIZZES_ATTEMPTS_WINDOW_SECONDS", default=60)
# Parents' link codes (smartedu.guardians): how long a child's code lives, and failed link attempts allowed
# per parent and per client address in a window.
GUARDIANS_CODE_TTL_SECONDS = env.int("GUARDIANS_CODE_TTL_SECONDS", default=1800)
GUARDIANS_LINK_FAILURES_PER_USER = env.int("GUARDIANS_LINK_FAILURES_PER_USER", default=10)
GUARDIANS_LINK_FAILURES_PER_ADDRESS = env.int("GUARDIANS_LINK_FAILURES_PER_ADDRESS", default=60)
GUARDIANS_LINK_WINDOW_SECONDS = env.int("GUARDIANS_LINK_WINDOW_SECONDS", default=900)
# Employment writes (applications, messages, résumés, registrations) and registry verifications, per client.
EMPLOYMENT_THROTTLE_WRITE = env.str("API_THROTTLE_EMPLOYMENT_WRITE", default="120/min")
EMPLOYMENT_THROTTLE_VERIFY = env.str("API_THROTTLE_EMPLOYMENT_VERIFY", default="10/min")

# --- Celery ------------------------------------------------------------------------------------------------
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any]
if EMBEDDED:
    _broker_dir = VAR_DIR / "celery" / "broker"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "results").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
    (VAR_DIR / "celery" / "control").mkdir(parents=True, exist_ok=True)
    CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'celery' / 'results'}"
else:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    # The result backend's client; the broker keeps kombu's own timeouts (its BRPOP waits by design).
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_TIMEOUT_SECONDS
    CELERY_REDIS_SOCKET_TIMEOUT = REDIS_TIMEOUT_SECONDS
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# Our tasks are idempotent: acknowledge after the work, so a worker killed mid-task has it redelivered.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# --- View statistics (smartedu.stats) ------------------------------------------------------------------
# Where counted views wait for the flush: a Redis hash per time bucket (production), else a database table.
STATS_REDIS_URL = env.str("STATS_REDIS_URL", default=REDIS_URL)
# Length of one buffer bucket; it must divide an hour so that a bucket never straddles two hours.
STATS_BUCKET_SECONDS = env.int("STATS_BUCKET_SECONDS", default=10)
if STATS_BUCKET_SECONDS <= 0 or 3600 % STATS_BUCKET_SECONDS:
    raise ImproperlyConfigured("STATS_BUCKET_SECONDS must be a positive divisor of 3600 (e.g. 5, 10, 60).")
# How often Celery beat drains the buffer into the rollups.
STATS_FLUSH_SECONDS = env.float("STATS_FLUSH_SECONDS", default=5.0)
# For the crash tests only: the flush sleeps this long at STATS_TEST_FLUSH_PAUSE_AT ("before_commit", after
# the upserts and before their transaction commits; or "after_commit", before the buffer batch is deleted),
# logging "stats flush paused" first, so that a test can kill the worker mid-flush. 0 (the default) = never.
STATS_TEST_FLUSH_PAUSE = env.float("STATS_TEST_FLUSH_PAUSE", default=0.0)
STATS_TEST_FLUSH_PAUSE_AT = env.str("STATS_TEST_FLUSH_PAUSE_AT", default="before_commit")
# One visitor counts at most once per object in this many seconds (0: every view counts).
STATS_DEDUPE_SECONDS = env.int("STATS_DEDUPE_SECONDS", default=60)
# At most this many distinct (object, province) keys per buffer bucket; views of further keys are dropped and
# counted (a flood of made-up ids cannot fill the buffer or slow the flush down).
STATS_BUCKET_MAX_KEYS = env.int("STATS_BUCKET_MAX_KEYS", default=50_000)
# The flush looks objects up this many ids at a time.
STATS_FLUSH_CHUNK = env.int("STATS_FLUSH_CHUNK", default=500)
# A batch whose flush failed this many times is set aside (stats.FailedBatch) and no longer retried.
STATS_BATCH_MAX_FAILURES = env.int("STATS_BATCH_MAX_FAILURES", default=3)
# The ip2region database (xdb) that gives anonymous visitors a province; empty: the file of the `ip-region`
# package. Point it at a newer ip2region release (IPv4 or IPv6 xdb) without changing the code.
STATS_IP2REGION_XDB = env.str("STATS_IP2REGION_XDB", default="")

# --- Search (smartedu.search) -------------------------------------------------------------------------
# A dotted path to a backend class; empty: the database's own (PostgreSQL tsvector, SQLite FTS5).
SEARCH_BACKEND = env.str("SEARCH_BACKEND", default="")
# Index a change in the transaction that made it instead of after commit in Celery (tests set it).
SEARCH_INDEX_EAGER = env.bool("SEARCH_INDEX_EAGER", default=False)
# How long the index task waits after a commit, so that a burst of changes is indexed as one batch.
SEARCH_INDEX_DELAY_SECONDS = env.float("SEARCH_INDEX_DELAY_SECONDS", default=1.0)
# A client's repeat of the same query within this time counts as one search.
SEARCH_COUNT_DEDUPE_SECONDS = env.int("SEARCH_COUNT_DEDUPE_SECONDS", default=600)
# How long a list's window of matches is kept in the cache at most (smartedu/search/windows.py: a change of
# a document that matches it, or of the kind's generation, drops it sooner); 0: never kept, the embedded
# mode's default (a per-process cache, and SQLite keeps no generations).
SEARCH_WINDOW_SECONDS = env.int("SEARCH_WINDOW_SECONDS", default=0 if EMBEDDED else 600)

CELERY_BEAT_SCHEDULE = {
    "refresh-headline-figures": {
        "task": "smartedu.portal.tasks.refresh_headline_figures_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "flush-view-counts": {
        "task": "smartedu.stats.tasks.flush_view_counts_task",
        "schedule": STATS_FLUSH_SECONDS,
        # A flush that waited longer than its period is superseded by the next one.
        "options": {"expires": STATS_FLUSH_SECONDS * 0.9},
    },
    # The search index's queue (in case a commit's own task was lost), its reconcile and search counts.
    "drain-search-queue": {
        "task": "smartedu.search.tasks.index_pending_task",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
    "reconcile-search-index": {
        "task": "smartedu.search.tasks.reconcile_index_task",
        "schedule": 600.0,
        "options": {"expires": 540},
    },
    "flush-search-counts": {
        "task": "smartedu.search.tasks.flush_search_counts_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "compute-recommendations": {
        "task": "smartedu.search.tasks.compute_recommendations_task",
        "schedule": 24 * 3600.0,  # daily
        "options": {"expires": 3600},
    },
}

# --- Logging -----------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.request": {"level": "ERROR"}, "axes": {"level": "WARNING"}},
}
