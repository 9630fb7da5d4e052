"""Fixed-window rate limits for public endpoints, counted in the database.

Each hit is one atomic UPDATE (or an INSERT for the first hit of a window), so concurrent
workers cannot both slip under the limit. Old windows are deleted now and then.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from hailong.core.models import RateLimitHit


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
