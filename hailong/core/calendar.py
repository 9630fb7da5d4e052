"""The working-day calendar used for legal deadlines.

Vietnamese public holidays come from the `holidays` package (Tết Nguyên đán and Giỗ Tổ follow
the lunar calendar; it also knows some government-decided swaps). The government decides
bridge days and make-up Saturdays year by year, so the CalendarDay table lets an administrator
add or cancel days off; where it says something about a date, it wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils.translation import gettext_lazy as _

from hailong.core.models import CalendarDay

WEEKEND = {5, 6}  # Saturday, Sunday (Nghị định 145/2020: 40-hour week, Monday to Friday)


@lru_cache(maxsize=64)
def _built_in_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """Holidays and weekend working days of one year, from the `holidays` package."""
    calendar = holidays.country_holidays("VN", years=year)
    workdays = frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)
    return frozenset(calendar.keys()), workdays


@dataclass(frozen=True)
class CalendarEntry:
    """One day of a year that is not an ordinary weekday or weekend, as deadlines count it."""

    day: date
    name: str
    is_day_off: bool
    source: str  # where the product took it from, for the administrator to check
    is_exception: bool = False  # set by an administrator (CalendarDay), wins over the package
    replaces: str = ""  # what the package said of that date, when an exception overrides it


def package_source() -> str:
    return str(_("holidays package %(version)s (Vietnam)") % {"version": holidays.__version__})


def calendar_entries(year: int) -> list[CalendarEntry]:
    """The year's holidays, bridge days and make-up working days, each with its source: what
    the deadline counting uses, shown so an administrator can check it against the
    Government's decision of the year (the package may list a day the decision does not give
    public bodies, or miss a swap)."""
    names = holidays.country_holidays("VN", years=year, language="vi")
    days_off, weekend_workdays = _built_in_year(year)
    source = package_source()
    built_in: dict[date, CalendarEntry] = {
        day: CalendarEntry(day, names.get(day, ""), True, source) for day in days_off
    }
    for day in weekend_workdays:
        built_in[day] = CalendarEntry(day, str(_("Weekend working day (make-up)")), False, source)
    entries = dict(built_in)
    for exception in CalendarDay.objects.filter(date__year=year):
        before = built_in.get(exception.date)
        entries[exception.date] = CalendarEntry(
            exception.date,
            exception.name,
            exception.is_day_off,
            exception.legal_basis or str(_("entered by an administrator, no legal basis given")),
            is_exception=True,
            replaces=before.name if before else "",
        )
    return sorted(entries.values(), key=lambda entry: entry.day)


class WorkingCalendar:
    """A calendar loaded for a span of dates: one query for the exceptions, then pure lookups."""

    def __init__(self, exceptions: dict[date, bool] | None = None):
        self._exceptions = exceptions if exceptions is not None else {}

    @classmethod
    def load(cls) -> WorkingCalendar:
        return cls(dict(CalendarDay.objects.values_list("date", "is_day_off")))

    def is_day_off(self, day: date) -> bool:
        if day in self._exceptions:
            return self._exceptions[day]
        holidays_, weekend_workdays = _built_in_year(day.year)
        if day in holidays_:
            return True
        if day in weekend_workdays:
            return False
        return day.weekday() in WEEKEND

    def is_working_day(self, day: date) -> bool:
        return not self.is_day_off(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The day on which a period of n working days counted from `start` ends.

        As the Civil Code (art. 147) counts periods, the start day itself is not counted:
        1 working day from a Friday is the next Monday (if it is not a holiday). n = 0 gives
        `start` itself; a negative n counts backwards.
        """
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        day = start
        while remaining:
            day += timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def add_calendar_days(self, start: date, n: int) -> date:
        """End of a period of n calendar days from `start` (not counted); if the last day is a
        day off, the period ends on the next working day (Civil Code art. 148)."""
        day = start + timedelta(days=n)
        while self.is_day_off(day):
            day += timedelta(days=1)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many working days have run from start to end."""
        if end <= start:
            return 0
        return sum(
            1
            for offset in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=offset))
        )


def add_working_days(start: date, n: int) -> date:
    return WorkingCalendar.load().add_working_days(start, n)


def add_calendar_days(start: date, n: int) -> date:
    return WorkingCalendar.load().add_calendar_days(start, n)


def is_working_day(day: date) -> bool:
    return WorkingCalendar.load().is_working_day(day)
