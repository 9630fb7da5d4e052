"""Plausible moments: the bounds a date given by a person, a file or a connected system must
lie within before anything is counted from it.

A date far in the past or the future is no typing slip a report can absorb: a case received in
year 1 has no deadlines (never overdue), a response dated 9999 belongs to no period anyone
reports on, and Python's own arithmetic overflows near both ends. Each write path says how far
back its records may plausibly go; the future is refused beyond the clock skew of the machine
that sent it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from hailong.core.periods import LOCAL_TZ

# A connected system's or a tablet's clock may run a little ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)


def _day(moment: datetime) -> str:
    try:
        day = moment.astimezone(LOCAL_TZ).date()
    except OverflowError:  # year 1 or 9999 in another zone: shown as it was given
        day = moment.date()
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"  # strftime drops the zeros of year 1


def moment_refusal(
    moment: datetime, *, oldest: timedelta, now: datetime | None = None
) -> str | None:
    """Why `moment` is implausible (the message for the person, active language), or None.
    Accepted: from `oldest` before now to CLOCK_SKEW after it. Comparisons only, no
    arithmetic on `moment`, so year 1 and year 9999 are refused, never overflow."""
    now = now or timezone.now()
    if moment > now + CLOCK_SKEW:
        return _("%(date)s is in the future.") % {"date": _day(moment)}
    earliest = now - oldest
    if moment < earliest:
        return _("%(date)s is too long ago: the earliest date accepted is %(earliest)s.") % {
            "date": _day(moment),
            "earliest": _day(earliest),
        }
    return None
