"""Django settings for ocop.

Everything that differs between machines comes from the environment; the defaults are safe for
development (embedded SQLite under var/, DEBUG on, console e-mail). Production sets at least
SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and OCOP_ENV=production (see docs/deployment.md); with
those, `manage.py check --deploy` is silent.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("OCOP_PROJECT_DIR", BASE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("OCOP_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


OCOP_ENV = os.environ.get("OCOP_ENV", "development")
PRODUCTION = OCOP_ENV == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
_DEV_SECRET = "django-insecure-development-only-key-do-not-use-in-production-ocop"
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when OCOP_ENV=production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the interactive API docs from its own static files (no CDN)
    "django_htmx",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "ocop.core",
    "ocop.audit",
    "ocop.geo",
    "ocop.accounts",
    "ocop.registry",
    "ocop.certification",
    "ocop.evaluation",
    "ocop.programme",
    "ocop.planning",
    "ocop.activities",
    "ocop.quality",
    "ocop.funding",
    "ocop.reporting",
    "ocop.catalogue",
    "ocop.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ocop.core.middleware.RequestIdMiddleware",
    "ocop.core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ocop.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "ocop.urls"
WSGI_APPLICATION = "ocop.wsgi.application"

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
                "ocop.core.context_processors.ocop",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ocop.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=0 if DEBUG else 60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )
    DATABASES["default"]["TEST"] = (
        {"NAME": os.environ.get("OCOP_TEST_SQLITE", "")} if os.environ.get("OCOP_TEST_SQLITE") else {}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles the plan of any query above a cost threshold; for this
    # application's short queries compiling costs more than it saves (make bench measured 0.4 s of
    # JIT on a list page of the national dataset). OCOP_PG_OPTIONS replaces these options.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "OCOP_PG_OPTIONS", "-c jit=off"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -----------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = ["ocop.accounts.backends.LockoutModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
# Failed logins before an account (username) is locked, and for how long.
OCOP_LOGIN_MAX_FAILURES = int(os.environ.get("OCOP_LOGIN_MAX_FAILURES", "5"))
OCOP_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("OCOP_LOGIN_LOCKOUT_MINUTES", "15"))

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ocop@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Who is mailed server errors: "Name <a@b>, Other <c@d>" or plain addresses.
ADMINS = [("", a) for a in env_list("OCOP_ADMIN_EMAILS", "")]

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ocop.formats"]

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("OCOP_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
NODE_MODULES = Path(os.environ.get("OCOP_NODE_MODULES", PROJECT_DIR / "node_modules"))
# Only the built files of each npm package (Tabler's dist also carries editor plug-ins whose
# source maps are missing, which would break collectstatic's manifest).
_VENDOR = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/tabler/css", NODE_MODULES / "@tabler" / "core" / "dist" / "css"),
    ("vendor/tabler/js", NODE_MODULES / "@tabler" / "core" / "dist" / "js"),
    ("vendor/tabler/img", NODE_MODULES / "@tabler" / "core" / "dist" / "img"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
]
STATICFILES_DIRS = [BASE_DIR / "static", *((prefix, path) for prefix, path in _VENDOR if path.exists())]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("OCOP_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Background tasks -------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("OCOP_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Security (production) --------------------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ocop.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("OCOP_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"handlers": ["mail_admins"], "level": "ERROR", "propagate": True},
    },
}

# --- ocop ---------------------------------------------------------------------------------------
# The deployment's home area: the code of a current province (e.g. "19" for Thái Nguyên) or
# "VN" for a national deployment. Dashboards and defaults start from it.
OCOP_HOME_AREA = os.environ.get("OCOP_HOME_AREA", "19")
# Its legacy history (e.g. the former Bắc Kạn for Thái Nguyên) follows from the 2025 successions.
OCOP_SITE_NAME = os.environ.get("OCOP_SITE_NAME", "")
# Ed25519 keys that sign certificate labels (private; back them up): see certification/signing.py.
OCOP_SIGNING_KEYS_DIR = os.environ.get("OCOP_SIGNING_KEYS_DIR", str(VAR_DIR / "keys"))
# Map tiles of the public catalogue (any XYZ tile server; a local one where the internet is closed).
OCOP_MAP_TILES = os.environ.get("OCOP_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
OCOP_MAP_ATTRIBUTION = os.environ.get(
    "OCOP_MAP_ATTRIBUTION", '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)
# The public address of the site: links in e-mails and the URL printed in certificates' QR codes.
OCOP_SITE_URL = os.environ.get("OCOP_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Behind nginx, the client's address is the last one nginx appended to X-Forwarded-For.
OCOP_TRUST_X_FORWARDED_FOR = env_bool("OCOP_TRUST_X_FORWARDED_FOR", PRODUCTION)
# Product codes (Decision 26/2026, Phụ lục II): province code–commune code–sequence–year of evaluation.
OCOP_PRODUCT_CODE_PATTERN = os.environ.get(
    "OCOP_PRODUCT_CODE_PATTERN", "{province}-{commune}-{seq:03d}-{year}"
)
OCOP_MAX_PHOTO_MB = int(os.environ.get("OCOP_MAX_PHOTO_MB", "8"))
OCOP_PAGE_SIZE = int(os.environ.get("OCOP_PAGE_SIZE", "50"))
OCOP_EXPORT_MAX_ROWS = int(os.environ.get("OCOP_EXPORT_MAX_ROWS", "100000"))
# Word templates a province replaces (e.g. the council's minutes, bien-ban-hoi-dong.docx): a file
# with the same name in this directory is used instead of the shipped one (docs/document-templates.md).
OCOP_DOCUMENT_TEMPLATES_DIR = os.environ.get("OCOP_DOCUMENT_TEMPLATES_DIR", "")
# Dashboards (reporting): summary rows are rebuilt per province after every audited write (a
# background task, once per transaction); off → only `ocop rebuild-summaries` rebuilds them.
OCOP_SUMMARY_AUTO_REBUILD = env_bool("OCOP_SUMMARY_AUTO_REBUILD", True)
# "Certificates ending soon" on the dashboard: within this many days of today.
OCOP_DASHBOARD_EXPIRING_DAYS = int(os.environ.get("OCOP_DASHBOARD_EXPIRING_DAYS", "90"))
# Generated periodic reports (private: streamed by a scoped view, never under MEDIA_ROOT).
OCOP_REPORTS_DIR = os.environ.get("OCOP_REPORTS_DIR", str(VAR_DIR / "reports"))
# Public pages (catalogue, verification), the catalogue's filter choices, lists' counts and the
# dashboards' figures are cached for at most this many seconds, keyed by the audit chain's head
# so that any audited write shows at once (core/datacache.py). 0: off.
OCOP_DATA_CACHE_SECONDS = int(os.environ.get("OCOP_DATA_CACHE_SECONDS", "300"))
