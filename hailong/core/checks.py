"""System checks for settings that cannot be right in production (`manage.py check --deploy`,
run by `make checks`; the proxy count is checked by every management command, migrate
included, so a deploy with it stops before it starts)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

MAX_TRUSTED_PROXIES = 5


@register(Tags.security)
def check_trusted_proxies(app_configs=None, **kwargs) -> list[Error]:
    count = settings.HAILONG_TRUSTED_PROXY_COUNT
    if not isinstance(count, int) or not 0 <= count <= MAX_TRUSTED_PROXIES:
        return [
            Error(
                f"HAILONG_TRUSTED_PROXY_COUNT is {count!r}: it counts the reverse proxies in "
                f"front of the app, 0 to {MAX_TRUSTED_PROXIES}.",
                id="hailong.E001",
            )
        ]
    if count == 0 and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        # The settings trust a proxy for https but not for the client's address: every
        # citizen would share the proxy's address and one person would use up every per-IP
        # limit (lookups, case form, QR form, sign-in) for everybody.
        return [
            Error(
                "HAILONG_TRUSTED_PROXY_COUNT is 0 while SECURE_PROXY_SSL_HEADER says the app "
                "runs behind a proxy: every client would get the proxy's address.",
                hint="Set it to the number of proxies (1 for nginx alone); see README.",
                id="hailong.E002",
            )
        ]
    return []


def _is_local(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_unspecified


@register(Tags.security, deploy=True)
def check_public_url(app_configs=None, **kwargs) -> list[Error]:
    """Links in mails to citizens and staff are built from HAILONG_PUBLIC_URL: without it they
    would point at the developer's machine."""
    parts = urlsplit(settings.HAILONG_PUBLIC_URL or "")
    if parts.scheme == "https" and parts.hostname and not _is_local(parts.hostname):
        return []
    return [
        Error(
            f"HAILONG_PUBLIC_URL is {settings.HAILONG_PUBLIC_URL!r}: links emailed to citizens "
            "need the public https address of the site.",
            hint="e.g. HAILONG_PUBLIC_URL=https://hailong.example.gov.vn",
            id="hailong.E003",
        )
    ]
