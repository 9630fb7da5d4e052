"""Production: PostgreSQL through DATABASE_URL, behind a TLS-terminating reverse proxy.

Required environment: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL. See README.md.
"""

from config.env import env_bool, env_int, env_list, env_str

from .base import *  # noqa: F403

SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
env_str("DATABASE_URL")  # fail at start-up, not at the first query, when it is missing

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
HAILONG_TRUSTED_PROXY_COUNT = env_int("HAILONG_TRUSTED_PROXY_COUNT", 1)
# No default: links mailed to citizens must not point at 127.0.0.1 (the deploy check fails).
HAILONG_PUBLIC_URL = env_str("HAILONG_PUBLIC_URL", "")
