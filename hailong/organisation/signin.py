"""How repeated failed sign-ins are slowed down, without letting anyone lock somebody out.

Two layers (issue 10 §6; docs/security.md):

1. django-axes locks a username *at one address* after AXES_FAILURE_LIMIT failures within
   AXES_COOLOFF_TIME (settings.AXES_LOCKOUT_PARAMETERS). Locking the username alone let anyone
   keep any account (the only administrator's included) locked with five anonymous requests;
   the address alone would lock a whole office behind one NAT address.
2. Against guessing one password from many addresses: once a username collects
   HAILONG_SIGNIN_SLOWDOWN failures (from anywhere) in the window, an address that has never
   signed in to it may try it once per HAILONG_SIGNIN_SLOWDOWN_SPACING seconds. The guesses
   an attacker gets fall to one per address per spacing, the person on their usual connection
   is never slowed, and from a new connection the first try is always checked, so the right
   password is at most delayed there, never refused for good.

The way back for a locked person, the only administrator included, needs no shell: another
connection (one that did not fail five times) signs in at once, the lock ends by itself after
the cool-off, and another administrator can lift it from the home page.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from hailong.core.ratelimit import rate_limit_exceeded, rate_limit_hit, rate_limit_reset

KNOWN_ADDRESS_DAYS = 90  # an address a person signed in from recently is theirs


def _failures_key(username: str) -> str:
    return f"signin-failed:{username[:100]}"


def signin_failure_note(*, username: str) -> None:
    """Count a failed sign-in towards the username's slowdown (any address)."""
    if username:
        limit, window = settings.HAILONG_SIGNIN_SLOWDOWN
        rate_limit_hit(_failures_key(username), limit=limit, window_seconds=window)


def _known_address(username: str, ip: str | None) -> bool:
    from axes.models import AccessLog

    if not ip:
        return False
    since = timezone.now() - timedelta(days=KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(
        username=username, ip_address=ip, attempt_time__gte=since
    ).exists()


def signin_must_wait(*, username: str, ip: str | None) -> bool:
    """True when this attempt is not checked now: the username is being guessed from many
    addresses and this unknown address has had its one try of the spacing. Counts the try."""
    limit, window = settings.HAILONG_SIGNIN_SLOWDOWN
    if not username or not rate_limit_exceeded(
        _failures_key(username), limit=limit, window_seconds=window
    ):
        return False
    if _known_address(username, ip):
        return False
    spacing = settings.HAILONG_SIGNIN_SLOWDOWN_SPACING
    return not rate_limit_hit(f"signin-slow:{username[:60]}:{ip}", limit=1, window_seconds=spacing)


def signin_slowdown_reset(*, username: str) -> None:
    """An administrator vouched for the person: the slowdown ends with the lock."""
    rate_limit_reset(_failures_key(username))
    rate_limit_reset(f"signin-slow:{username[:60]}:", prefix=True)
