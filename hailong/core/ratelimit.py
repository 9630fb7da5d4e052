"""Fixed-window rate limits for public endpoints, counted in the database.

Each hit is one atomic UPDATE (or an INSERT for the first hit of a window), so concurrent
workers cannot both slip under the limit. Old windows are deleted now and then.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from hailong.core.models import RateLimitHit


def _window_start(window_seconds: int) -> datetime:
    now = timezone.now()
    epoch = int(now.timestamp()) // window_seconds * window_seconds
    return now.fromtimestamp(epoch, tz=now.tzinfo)


@dataclass(frozen=True)
class RateSlot:
    """One hit taken from a window by rate_limit_take, to give back if nothing was done."""

    key: str
    window_start: datetime


def rate_limit_take(key: str, *, limit: int, window_seconds: int) -> RateSlot | None:
    """Take one hit for `key` if the window has one left: the check and the count are one
    conditional UPDATE (count < limit), so two requests at the same moment cannot both take the
    last hit, as they could with rate_limit_exceeded then rate_limit_hit. None when used up.
    Give the slot back with rate_limit_give_back when the hit turns out not to count (a refused
    or re-sent form)."""
    window_start = _window_start(window_seconds)
    key = key[:120]
    if limit < 1:
        return None
    current = RateLimitHit.objects.filter(key=key, window_start=window_start)
    slot = RateSlot(key, window_start)
    with transaction.atomic():
        if current.filter(count__lt=limit).update(count=F("count") + 1):
            return slot
        if current.exists():
            return None  # used up
        try:
            with transaction.atomic():
                RateLimitHit.objects.create(key=key, window_start=window_start, count=1)
        except IntegrityError:  # another worker created it first: its conditional UPDATE
            return slot if current.filter(count__lt=limit).update(count=F("count") + 1) else None
    return slot


def rate_limit_give_back(slot: RateSlot) -> None:
    """Return a hit taken by rate_limit_take (never below zero)."""
    RateLimitHit.objects.filter(key=slot.key, window_start=slot.window_start, count__gt=0).update(
        count=F("count") - 1
    )


def rate_limit_exceeded(key: str, *, limit: int, window_seconds: int) -> bool:
    """True when `key` has already used up its hits in the current window (counts nothing)."""
    now = timezone.now()
    epoch = int(now.timestamp()) // window_seconds * window_seconds
    window_start = now.fromtimestamp(epoch, tz=now.tzinfo)
    count = (
        RateLimitHit.objects.filter(key=key[:120], window_start=window_start)
        .values_list("count", flat=True)
        .first()
    )
    return (count or 0) >= limit


def rate_limit_hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for `key`; True while the key is within `limit` hits per window."""
    now = timezone.now()
    epoch = int(now.timestamp()) // window_seconds * window_seconds
    window_start = now.fromtimestamp(epoch, tz=now.tzinfo)
    key = key[:120]
    with transaction.atomic():
        updated = RateLimitHit.objects.filter(key=key, window_start=window_start).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    RateLimitHit.objects.create(key=key, window_start=window_start, count=1)
            except IntegrityError:  # another worker created it first
                RateLimitHit.objects.filter(key=key, window_start=window_start).update(
                    count=F("count") + 1
                )
        count = (
            RateLimitHit.objects.filter(key=key, window_start=window_start)
            .values_list("count", flat=True)
            .first()
        )
    if random.random() < 0.01:  # noqa: S311 (housekeeping, not security)
        RateLimitHit.objects.filter(window_start__lt=now - timedelta(days=1)).delete()
    return (count or 0) <= limit


def rate_limit_reset(key: str, *, prefix: bool = False) -> None:
    """Forget the hits of `key` (or of every key starting with it), e.g. when an administrator
    lifts a limit."""
    key = key[:120]
    if prefix:
        RateLimitHit.objects.filter(key__startswith=key).delete()
    else:
        RateLimitHit.objects.filter(key=key).delete()
