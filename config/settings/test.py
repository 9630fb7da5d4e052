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
