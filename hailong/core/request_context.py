"""The current request's actor IP, kept in a context variable so services can write it into the
audit log without every service taking `request` as an argument."""

from __future__ import annotations

import ipaddress
import logging
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)
_current_ip: ContextVar[str | None] = ContextVar("hailong_current_ip", default=None)
# Who is sending, for limits that apply to every way in (e.g. opening cases): "ip:<address>"
# for anonymous requests, "api-key:<id>" once the API has recognised a key; None outside a
# request (management commands, worker jobs).
_current_origin: ContextVar[str | None] = ContextVar("hailong_current_origin", default=None)


def _address(value: str) -> str | None:
    """`value` as one canonical IP address (so "2001:db8::1" and "2001:DB8:0::1" are one
    client), or None when it is not an address."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, as the outermost of our own reverse proxies saw it.

    With HAILONG_TRUSTED_PROXY_COUNT = n, the n-th X-Forwarded-For entry from the right is the
    one our outermost proxy appended (nginx: `$proxy_add_x_forwarded_for`); everything left of
    it is what the client sent and may be forged. A header too short, or an entry that is not
    an address, means the proxy did not append (or was bypassed): the request is counted as
    coming from the peer itself, never from an address the client chose, and it is logged,
    because every citizen then shares one address and one set of limits."""
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.HAILONG_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return peer
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [p for p in forwarded if p]
    hop = _address(forwarded[-proxies]) if len(forwarded) >= proxies else None
    if hop is None:
        _warn_misconfigured_proxy(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        return peer
    return hop


_warned = False


def _warn_misconfigured_proxy(header: str) -> None:
    global _warned
    if not _warned:  # once per process: the log must not grow with every request
        _warned = True
        logger.error(
            "X-Forwarded-For %r has no address appended by the %d trusted proxies: check the "
            "proxy's configuration (README, Production); clients share the proxy's address.",
            header[:200],
            settings.HAILONG_TRUSTED_PROXY_COUNT,
        )


def current_ip() -> str | None:
    return _current_ip.get()


def set_current_ip(ip: str | None):
    return _current_ip.set(ip)


def reset_current_ip(token) -> None:
    _current_ip.reset(token)


def current_origin() -> str | None:
    return _current_origin.get()


def set_current_origin(origin: str | None):
    return _current_origin.set(origin)


def reset_current_origin(token) -> None:
    _current_origin.reset(token)
