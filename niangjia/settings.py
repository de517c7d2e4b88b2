"""Django settings for niangjia, read from the environment only.

Every value has a safe development default (DEBUG is off unless set); `NIANGJIA_ENV=production` turns the
defaults strict (secure cookies, HSTS, API docs behind login) so that `check --deploy` is clean.
"""

from __future__ import annotations

import ipaddress
import os
from decimal import Decimal
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("NIANGJIA_VAR_DIR", PROJECT_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("NIANGJIA_ENV", "development") == "production"
# Off unless asked for (`make demo` and `make serve` set DEBUG=1): a debug page shows settings and tracebacks.
DEBUG = _env_bool("DEBUG", False)

_DEV_SECRET = "dev-only-insecure-secret-key-change-me-in-production-0123456789"  # noqa: S105 - development only; production refuses to start without SECRET_KEY
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
# Field-encryption keyring, "id:base64key[,id:base64key…]"; see docs/operations.md.
NIANGJIA_DATA_KEY = os.environ.get("NIANGJIA_DATA_KEY", "")
# Keyed-hash (blind index) key; kept apart so data-key rotation never changes lookups.
NIANGJIA_HASH_KEY = os.environ.get("NIANGJIA_HASH_KEY", "")
# Reveals, searches by a full ID or phone, and "registered by another union" answers, per user and
# hour (niangjia/core/disclosure.py, docs/personal-data.md).
NIANGJIA_DISCLOSURES_PER_HOUR = int(os.environ.get("NIANGJIA_DISCLOSURES_PER_HOUR", "60"))
# Directory of policy files (rules-as-code); see docs/policies.md.
NIANGJIA_POLICY_DIR = Path(os.environ.get("NIANGJIA_POLICY_DIR", PROJECT_DIR / "policies"))

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", "")
CSRF_FAILURE_VIEW = "niangjia.web.errors.csrf_failure"


def _env_networks(name: str) -> list[str]:
    entries = _env_list(name, "")
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ValueError(f"{name}: {entry!r} is not an IP address or network") from exc
    return entries


# Proxies whose X-Forwarded-For and X-Request-ID are believed (IPs or CIDRs); empty: only REMOTE_ADDR counts.
NIANGJIA_TRUSTED_PROXIES = _env_networks("NIANGJIA_TRUSTED_PROXIES")
# The OpenAPI schema and docs pages (/api/docs, /api/openapi.json) without login.
NIANGJIA_API_DOCS_PUBLIC = _env_bool("NIANGJIA_API_DOCS_PUBLIC", not PRODUCTION)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "niangjia.core",
    "niangjia.orgs",
    "niangjia.registry",
    "niangjia.screening",
    "niangjia.tickets",
    "niangjia.outreach",
    "niangjia.funds",
    "niangjia.assistance",
    "niangjia.reports",
    "niangjia.web",
    "niangjia.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "niangjia.orgs.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "niangjia.core.middleware.RequestContextMiddleware",
    "niangjia.web.errors.NotFoundPageMiddleware",
]

ROOT_URLCONF = "niangjia.urls"
WSGI_APPLICATION = "niangjia.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "niangjia.web.context.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'niangjia.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process and a task worker share the file without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if os.environ.get("NIANGJIA_TEST_DB"):
    # Lets two test runs share one PostgreSQL server without dropping each other's test database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["NIANGJIA_TEST_DB"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.StaffUser"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (docs/operations.md, "Logins"): failed attempts count for LOGIN_WINDOW_MINUTES.
# An address that failed this often on one account (since its last success there) must wait before
# trying that account again; other addresses are not affected, so nobody can lock a cadre out.
LOGIN_ACCOUNT_FREE_FAILURES = 5
# An address that failed this often on any accounts must wait before trying any account
# (raise it if many staff share one address, e.g. an office behind NAT).
LOGIN_ADDRESS_FREE_FAILURES = int(os.environ.get("NIANGJIA_LOGIN_ADDRESS_FREE_FAILURES", "10"))
# The first wait; it doubles with each further failure, up to the window.
LOGIN_DELAY_SECONDS = 60
LOGIN_WINDOW_MINUTES = 60

# Idle sessions expire after 30 minutes; every request renews the window.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
# The interface is Simplified Chinese only (docs/architecture.md, "Interface language"); USE_I18N stays
# on so that Django's own messages (form errors, dates) are in Chinese too.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# npm installs into node_modules; the build step copies the files we serve here.
STATICFILES_DIRS = [BASE_DIR / "static_build"]
# Development serves static files straight from the apps (with or without DEBUG); production from
# `collectstatic`'s STATIC_ROOT, compressed and with hashed names.
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads (import files hold personal data): never served by the web server; pruned by `niangjia prune_imports`.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
NIANGJIA_IMPORT_MAX_BYTES = int(os.environ.get("NIANGJIA_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
# Bounds on reading an import file, so no file can exhaust the server (docs/import.md, "Bounds"):
# the first sheet's rows and columns (declared and actual), the xlsx's unpacked size and
# per-part compression ratio, and the memory and seconds of the child process that parses it.
NIANGJIA_IMPORT_MAX_ROWS = int(os.environ.get("NIANGJIA_IMPORT_MAX_ROWS", "200000"))
NIANGJIA_IMPORT_MAX_COLUMNS = int(os.environ.get("NIANGJIA_IMPORT_MAX_COLUMNS", "200"))
NIANGJIA_IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("NIANGJIA_IMPORT_MAX_UNPACKED_BYTES", str(500 * 1024 * 1024)))
NIANGJIA_IMPORT_MAX_RATIO = int(os.environ.get("NIANGJIA_IMPORT_MAX_RATIO", "100"))
NIANGJIA_IMPORT_READER_MEMORY_BYTES = int(
    os.environ.get("NIANGJIA_IMPORT_READER_MEMORY_BYTES", str(1024 * 1024 * 1024))
)
NIANGJIA_IMPORT_READER_SECONDS = float(os.environ.get("NIANGJIA_IMPORT_READER_SECONDS", "120"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "screening", "imports"],
    }
}

# Days a ticket of each class (the 12351 classes 一般 / 难点 / 特别复杂) has before it is overdue and escalated.
TICKET_DEADLINE_DAYS = {
    "ordinary": int(os.environ.get("TICKET_DAYS_ORDINARY", "5")),
    "difficult": int(os.environ.get("TICKET_DAYS_DIFFICULT", "15")),
    "complex": int(os.environ.get("TICKET_DAYS_COMPLEX", "30")),
}
# Public ticket pages (no login): submissions and status look-ups allowed per client address per hour.
TICKET_PUBLIC_SUBMISSIONS_PER_HOUR = int(os.environ.get("TICKET_PUBLIC_SUBMISSIONS_PER_HOUR", "5"))
TICKET_PUBLIC_LOOKUPS_PER_HOUR = int(os.environ.get("TICKET_PUBLIC_LOOKUPS_PER_HOUR", "60"))

# Photos and papers on tickets (stored by digest under MEDIA_ROOT/tickets, served only through scoped views):
# the largest file, the most pixels a photo may declare before it is decoded, the most files per submission.
TICKET_UPLOAD_MAX_BYTES = int(os.environ.get("TICKET_UPLOAD_MAX_BYTES", str(8 * 1024 * 1024)))
TICKET_UPLOAD_MAX_PIXELS = int(os.environ.get("TICKET_UPLOAD_MAX_PIXELS", "40000000"))
TICKET_UPLOAD_MAX_FILES = int(os.environ.get("TICKET_UPLOAD_MAX_FILES", "3"))
# What one household may be paid in one calendar year across every pool (docs/funds.md).
FUNDS_HOUSEHOLD_CAP_PER_YEAR = Decimal(os.environ.get("FUNDS_HOUSEHOLD_CAP_PER_YEAR", "50000.00"))

MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools log every step of every PDF at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("django.db.backends", "weasyprint", "fontTools")},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
