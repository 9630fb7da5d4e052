"""Settings shared by every environment. Environment-specific files import * from here."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("HAILONG_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # intcomma: counts with the thousands separator of the language (2.815 in Vietnamese).
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "hailong.core",
    "hailong.organisation",
    "hailong.surveys",
    "hailong.feedback",
    "hailong.analytics",
    "hailong.public",
    "hailong.api",
    "hailong.workspace",
]

MIDDLEWARE = [
    # First: every answer under /api/ is JSON, whatever below it answered (hailong/api).
    "hailong.api.middleware.ApiJsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hailong.core.middleware.ContentSecurityPolicyMiddleware",  # HAILONG_CSP below
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hailong.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hailong.core.middleware.RequestContextMiddleware",
    "hailong.organisation.scope.ScopeMiddleware",  # request.scope, once per request
    "hailong.core.middleware.UnicodeNormalizationMiddleware",
    # Axes last: it needs the authenticated user and turns lockouts into a page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hailong.workspace.context_processors.shell",
            ],
        },
    },
]


def database_from_env() -> dict:
    """DATABASE_URL selects PostgreSQL (production); without it, an embedded SQLite in WAL mode."""
    url = env_str("DATABASE_URL", "")
    if url:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
        config["CONN_HEALTH_CHECKS"] = True
        if config["ENGINE"].endswith("postgresql"):
            # No JIT compilation: it is made for long analytic queries, and on the dashboard's
            # reads of the rollups it spent more time compiling (1.2 s on one aggregate) than
            # the query took. Measured in docs/benchmarks.md.
            options = config.setdefault("OPTIONS", {})
            options["options"] = (options.get("options", "") + " -c jit=off").strip()
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "hailong.sqlite3",
        "OPTIONS": {
            # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock
            # at BEGIN, so two writers queue (busy timeout) instead of failing with
            # "database is locked".
            # A 64 MB page cache: imports insert millions of answer index entries.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": database_from_env()}

# The cache carries background jobs' progress and cancel flags (hailong.core.jobs), so it must
# be shared by the web and worker processes. Embedded default: files in var/cache (one host).
# With PostgreSQL: a cache table reached through its own connection ("cache" alias, same
# database), shared by every host (`manage.py createcachetable --database cache`).
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
else:
    DATABASES["cache"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "hailong_cache",
        }
    }
DATABASE_ROUTERS = ["hailong.core.routers.CacheRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisation.Staff"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout after repeated failures (django-axes): the username at one address. By username
# alone anyone could keep any account locked; by address alone one person locks a whole
# office behind one NAT address. Guessing from many addresses is slowed by
# HAILONG_SIGNIN_SLOWDOWN instead (hailong/organisation/signin.py).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failed sign-ins of one username per hour, from all addresses, after which an address that
# never signed in to it may try it once per HAILONG_SIGNIN_SLOWDOWN_SPACING seconds.
HAILONG_SIGNIN_SLOWDOWN = (env_int("HAILONG_SIGNIN_SLOWDOWN_FAILURES", 20), 3600)
HAILONG_SIGNIN_SLOWDOWN_SPACING = env_int("HAILONG_SIGNIN_SLOWDOWN_MINUTES", 10) * 60
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "hailong.organisation.views.auth.lockout_response"
AXES_CLIENT_IP_CALLABLE = "hailong.core.request_context.client_ip"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = int(timedelta(hours=10).total_seconds())  # one working day
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy, the same in every settings (so the browser tests see what production
# refuses): scripts only from our own static files (no inline script or handler, no eval);
# styles from our files, plus style="" attributes (progress bars' widths; an attribute cannot
# run script), never a <style> element; nothing framed, no plugins, forms post to us only.
HAILONG_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Messages are kept in the session (in the database), never in a cookie: a signed cookie is
# readable by whoever holds it. Secrets are not messages at all (core.admin_base.ShownOnce).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Vietnamese first; English second. Source strings are English, translations live in locale/.
LANGUAGE_CODE = "vi"
# Each language named in itself, as a language switch should show it.
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# locale/ is the project's own catalogue (makemessages); locale_overrides/ holds, by hand, the
# Django and django-axes strings whose own Vietnamese catalogues are missing or out of date.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
LANGUAGE_COOKIE_NAME = "hailong_language"
LANGUAGE_COOKIE_AGE = int(timedelta(days=365).total_seconds())
USE_I18N = True
# Digit grouping for Vietnamese (config/formats/vi/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploads: large enough for a year's service catalogue, small enough to refuse abuse.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
HAILONG_IMPORT_MAX_BYTES = env_int("HAILONG_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# Exports of more responses than this are written by the worker and downloaded from a page;
# smaller ones stream at once. Background files are deleted after HAILONG_EXPORT_KEEP_DAYS.
HAILONG_EXPORT_BACKGROUND_ROWS = env_int("HAILONG_EXPORT_BACKGROUND_ROWS", 20_000)
HAILONG_EXPORT_KEEP_DAYS = env_int("HAILONG_EXPORT_KEEP_DAYS", 7)

# What else happens, in the same transaction, when survey answers are stored, corrected or
# deleted (hailong.surveys.services.responses): the apps above surveys hook in here, so surveys
# never imports them. Each is called with the list of ResponseChange of a batch.
HAILONG_RESPONSE_HOOKS = [
    "hailong.feedback.loop.on_response_changes",  # the closed loop: a follow-up case
    "hailong.analytics.rollups.on_response_changes",  # the rollups (counts of answers)
    # The dossiers' stored count of responses rated unsatisfied (the dashboard's QĐ 766).
    "hailong.analytics.dossier_facts.on_response_changes",
]
# What else happens, in the same transaction, when dossiers are written to the register or
# responses are linked to them (hailong.surveys.services.responses.dossiers_announce): called
# with the sorted ids of the dossiers.
HAILONG_DOSSIER_HOOKS = [
    "hailong.analytics.dossier_facts.on_dossiers_written",  # the dashboard's stored facts
]

# Every table import (survey results, dossiers, customers, procedures) stops with a message at
# these: rows of a file (header and empty rows included), columns its first row may name, and
# rows with problems listed one by one (the others are counted by reason).
HAILONG_IMPORT_MAX_ROWS = env_int("HAILONG_IMPORT_MAX_ROWS", 100_000)
HAILONG_IMPORT_MAX_COLUMNS = env_int("HAILONG_IMPORT_MAX_COLUMNS", 200)
HAILONG_IMPORT_ERRORS_KEPT = env_int("HAILONG_IMPORT_ERRORS_KEPT", 200)

# Number of reverse proxies in front of the app whose X-Forwarded-For we trust (0: none).
HAILONG_TRUSTED_PROXY_COUNT = env_int("HAILONG_TRUSTED_PROXY_COUNT", 0)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "hailong@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Public endpoints (QR web form, kiosk): rate limits per window, and the largest body accepted.
HAILONG_WEB_FORM_RATE = (env_int("HAILONG_WEB_FORM_LIMIT", 20), 600)  # per IP per 10 minutes
HAILONG_KIOSK_RATE = (env_int("HAILONG_KIOSK_LIMIT", 240), 600)  # per device per 10 minutes
HAILONG_PUBLIC_MAX_BYTES = env_int("HAILONG_PUBLIC_MAX_BYTES", 64 * 1024)

# SMS gateway for invitations: a dotted path to a function (phone, text). The default logs.
HAILONG_SMS_BACKEND = env_str("HAILONG_SMS_BACKEND", "hailong.surveys.invitations.sms_log_backend")

# Feedback and complaint cases: attachments a citizen or clerk may add to a case.
HAILONG_CASE_ATTACHMENT_MAX_BYTES = env_int("HAILONG_CASE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
HAILONG_CASE_ATTACHMENT_MAX_COUNT = env_int("HAILONG_CASE_ATTACHMENT_MAX_COUNT", 5)
# Django parses at most this many files in one request (its default is 100).
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# Cases opened per origin per hour, by every way in from outside (public form, API, the
# follow-up of an unsatisfied survey): one rate, keyed by the client address or the API key
# (feedback.services.receiving.case_opening_allowed). Lookups per IP per 10 minutes (codes are
# guessable only by brute force, so lookups are limited).
HAILONG_CASE_OPEN_RATE = (env_int("HAILONG_CASE_OPEN_LIMIT", 10), 3600)
HAILONG_CASE_LOOKUP_RATE = (env_int("HAILONG_CASE_LOOKUP_LIMIT", 30), 600)
# Wrong phone digits or PINs for one code from one address per day (per code alone, anybody
# could lock a citizen out); the right digits from another address still open the case.
HAILONG_CASE_LOOKUP_FAILURES = (env_int("HAILONG_CASE_LOOKUP_FAILURES", 10), 86400)
# How long the link e-mailed (or texted) to a citizen opens their case without the digits: the
# longest legal path of a case, a complaint (Luật Khiếu nại 2011, Điều 27–28: 10 days to accept,
# then up to 60 to answer), with room to read the answer and rate it. Every mail carries a fresh
# link; an expired one leads to the lookup by code and phone digits or PIN.
HAILONG_CASE_LINK_DAYS = env_int("HAILONG_CASE_LINK_DAYS", 90)
# Public address used in links sent to citizens (answers, rating) from commands without a
# request; in development, the port `make run` serves on (PORT, 8000 by default).
HAILONG_PUBLIC_URL = env_str("HAILONG_PUBLIC_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}")
