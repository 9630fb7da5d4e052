"""Local development and `make run`: the embedded SQLite database, DEBUG on."""

import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True


def _local_secret_key() -> str:
    # A key generated on this machine and kept in var/ (git-ignored): nothing secret is committed.
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _local_secret_key()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
