"""Settings for the 「三个一天」 outreach app.

Production differences come from environment variables (see README, "Configuration").
"""

import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    import os

    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    import os

    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_str(name: str, default: str = "") -> str:
    import os

    return os.environ.get(name, default)


DEBUG = env_bool("DEBUG", False)

# Required when DEBUG is off: config/wsgi.py refuses to serve without it, and Django refuses to
# sign anything with an empty key. Commands that sign nothing (check, makemigrations, migrate)
# still run, so a fresh checkout can be checked before it is configured.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY and DEBUG:
    # Development only: a fixed key is acceptable because DEBUG is on (bandit: justified).
    SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105  # nosec B105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Third party
    "bootstrap",  # django-bootstrap-static: Bootstrap 5 CSS/JS as local static files
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "config.apps.AxesConfig",  # django-axes, with a Chinese name in the admin
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files as local static files (no CDN)
    # Ours
    "unions",
    "outreach",
    "reports",
    "notices",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lib.headers.SecurityHeadersMiddleware",  # before whitenoise: static files get its headers too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lib.middleware.ChineseByDefaultLocaleMiddleware",  # Chinese unless switched
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "lib.middleware.IdleSessionTimeoutMiddleware",
    "unions.accounts.middleware.PasswordChangeRequiredMiddleware",
    "lib.middleware.RejectNullCharactersMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "reports.cache.WriteInvalidatesReportsMiddleware",  # a write makes cached reports stale
    "axes.middleware.AxesMiddleware",  # last of those that wrap the response, as django-axes requires
    # Report pages from the read replica, if there is one. It calls the view: the very last.
    "config.replica.ReplicaReadsMiddleware",
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
                "django.template.context_processors.i18n",
                "unions.context_processors.current_cadre",
                "notices.context_processors.menu_counts",
            ],
        },
    },
]

# PostgreSQL in production and CI (DATABASE_URL); an SQLite file in the project folder otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env_str("CONN_MAX_AGE", "60")),
        # A connection broken by a database restart is dropped before reuse, so the first
        # request after PostgreSQL is back succeeds (bench/db_restart.py proves it).
        conn_health_checks=True,
    )
}


def planner_options(database: dict) -> dict:
    """PostgreSQL's planner told that a random read costs about as much as a sequential one
    (random_page_cost, DATABASE_RANDOM_PAGE_COST, 1.1 unless set; empty: the server's own).
    Its default, 4, is for spinning disks: with it, a district leader's "first thousand visits"
    walks the whole visits table (30 ms at a million rows) instead of the district's indexes
    (4 ms); on SSD or with the tables in memory, as here, 1.1 is what PostgreSQL's own docs
    suggest. Set per connection, so that the app, its tests and the benches plan alike."""
    cost = env_str("DATABASE_RANDOM_PAGE_COST", "1.1")
    if database.get("ENGINE", "").endswith("postgresql") and cost:
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c random_page_cost={float(cost)}".strip()
    return database


planner_options(DATABASES["default"])
# An optional read replica (PostgreSQL streaming replication): the report pages read from it
# (config/replica.py); when it is down they read from the primary again.
if replica_url := env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = planner_options(
        dj_database_url.parse(
            replica_url, conn_max_age=int(env_str("CONN_MAX_AGE", "60")), conn_health_checks=True
        )
    )
    # The test run has no second database: the replica's tests read the primary under its name.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.replica.ReplicaRouter"]
REPLICA_READS = "replica" in DATABASES
# After the replica failed, the primary serves the reports for this long before it is tried again.
REPLICA_RETRY_SECONDS = int(env_str("REPLICA_RETRY_SECONDS", "30"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded photos are personal data: MEDIA_ROOT is never served as public files,
# only through views that check who may see the visit.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = None
# Photos on this machine's disk (MEDIA_ROOT; a shared filesystem when several app servers run),
# or MEDIA_STORAGE=s3 for an S3-compatible store on the intranet (MinIO, Ceph RGW, ...) through
# django-storages: private objects, read back by the app only.
if env_str("MEDIA_STORAGE", "filesystem") == "s3":
    MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
            "location": env_str("S3_PREFIX", "photos"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
        },
    }
else:
    MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Largest ledger file the directory import accepts (10,000 rows of .xlsx are about 1 MB).
DIRECTORY_IMPORT_MAX_BYTES = int(float(env_str("DIRECTORY_IMPORT_MAX_MB", "5")) * 1024 * 1024)
VISIT_PHOTO_MAX_BYTES = int(float(env_str("VISIT_PHOTO_MAX_MB", "5")) * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # STARTTLS (port 587 or 25)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # TLS from the first byte (port 465); not with TLS
EMAIL_TIMEOUT = int(
    env_str("EMAIL_TIMEOUT", "20")
)  # seconds: a mail server that hangs fails the run's mail, not the run
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")
# The address users type to reach the app (https://gh.example.local): invitation and password
# reset mails link to it, as do the printed activation sheets. Without it, a link built in a
# request uses that request's host, and one built outside a request (a command) cannot be made.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
# Invitation and password-reset links (Django's token machinery) are valid this long, and once.
PASSWORD_RESET_TIMEOUT = int(env_str("PASSWORD_RESET_DAYS", "7")) * 24 * 3600
# Password-reset requests: at most this many per hour from one address and for one e-mail.
PASSWORD_RESET_RATE = int(env_str("PASSWORD_RESET_RATE", "5"))

# A cache shared by gunicorn's workers (rate limits, lock-outs): Redis when REDIS_URL is set (needed
# as soon as two app servers run), else files in a private temporary folder of this machine.
# Sessions stay in the database, which every app server shares.
if redis_url := env_str("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "outreach"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("CACHE_DIR", str(Path(tempfile.gettempdir()) / "outreach-cache")),
        }
    }

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# ---------------------------------------------------------------------------
# Security. `DEBUG=0 SECRET_KEY=... ALLOWED_HOSTS=... manage.py check --deploy` is clean.
# Behind the intranet's TLS proxy; DEBUG (runserver over http) turns the https-only parts off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
# The language switch's cookie: read by the server only (no script needs it), https only like the others.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# gunicorn listens on 127.0.0.1 only, so the header can come from the local proxy alone.
if env_bool("USE_X_FORWARDED_PROTO", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): no inline script or style anywhere, the admin included
# (Django 5.2's admin has none), nothing from outside the server.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Idle sessions end after SESSION_IDLE_TIMEOUT minutes: the expiry is pushed forward at most
# once a minute by lib.middleware.IdleSessionTimeoutMiddleware (not on every request).
SESSION_IDLE_TIMEOUT_MINUTES = int(env_str("SESSION_IDLE_TIMEOUT", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
SESSION_REFRESH_SECONDS = 60

# Login lock-out (django-axes, lib/lockout.py): AXES_FAILURE_LIMIT failures lock the pair (user
# name, address) for AXES_COOLOFF_MINUTES, so a colleague behind the same NAT or proxy is not
# locked out with the one who mistyped; AXES_USERNAME_FAILURE_LIMIT failures from any addresses
# lock the user name itself (one password guessed from many places). Admins unlock early with
# `manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env_str("AXES_FAILURE_LIMIT", "5"))
AXES_USERNAME_FAILURE_LIMIT = max(AXES_FAILURE_LIMIT, int(env_str("AXES_USERNAME_FAILURE_LIMIT", "20")))
AXES_COOLOFF_TIME = timedelta(minutes=int(env_str("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = "lib.lockout.lockout_parameters"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # failures stay on record after the lock-out counter resets
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_CALLABLE = "lib.security_log.axes_username"  # bounded, storable user names
# The number of reverse proxies in front of gunicorn (1 for deploy/nginx.conf): the client's
# address is the entry the last of them appended to X-Forwarded-For (lib.lockout.client_address).
# 0: REMOTE_ADDR only (runserver, or gunicorn reached directly).
TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "lib.lockout.client_address"

# The JSON API (api/, README "API"): the app's session or a system's token (api.ApiToken),
# JSON only (the browsable renderer has inline scripts; the docs are Swagger UI from local files).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token first: an anonymous caller is told to authenticate (401, WWW-Authenticate).
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.CappedPagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env_str("API_TOKEN_RATE", "1000/hour"),
        "session": env_str("API_SESSION_RATE", "3000/hour"),
    },
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "「三个一天」 outreach API",
    "DESCRIPTION": "Directory, visits, problems and monthly figures of the 「三个一天」 outreach app "
    "(README, section API). Errors: {detail, code, errors}.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # check --deploy would report that the list filters' month is typed as text (it is YYYY-MM);
    # the schema itself is generated and fuzzed by api/tests/test_schema_fuzz.py.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "VisitStatusEnum": "outreach.models.Visit.Status",
        "ProblemStatusEnum": "outreach.models.Concern.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Every login, failed login and logout (lib.security_log); never a password.
    "loggers": {"outreach.security": {"level": "INFO"}},
}
