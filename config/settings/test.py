"""The test suite: the same settings as production where it matters, fast where it does not."""

import secrets

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, PASSWORD_HASHERS

SECRET_KEY = secrets.token_urlsafe(50)
DEBUG = False
ALLOWED_HOSTS = ["*"]
# Argon2 stays available (a test checks it is the default for real settings); tests hash with
# MD5 because argon2 on every fixture user would dominate the run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the app folders (no collectstatic before tests; live-server pages).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A tests-only app: the write path's probe hook and its ledger (tests/probe, root conftest).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.probe"]

# On SQLite the test database is a file, not Django's shared in-memory one: with memory, the
# live server's threads and the test share one connection, and two browser requests at once
# (a tablet posting its taps while it reports its status) fail with "database table is
# locked", which no busy timeout waits out. A file gives each thread its own connection, as in
# production (WAL, IMMEDIATE, the busy timeout). One file per process: the two SQLite runs of
# `make test` run side by side.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    import os
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"hailong-test-{os.getpid()}.sqlite3")
    }
