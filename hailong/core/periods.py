"""Reporting periods: month, quarter, year or a custom range of days.

A period is a half-open interval [start, end) of aware datetimes in Asia/Ho_Chi_Minh, so a
response given at 23:30 on 31 March local time belongs to March and to Q1 however the server
clock is set, and consecutive periods never overlap or leave gaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"


class PeriodParseError(ValueError):
    """The text is not a period; the message is for the user, in their language."""


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    first_day: date  # inclusive
    end_day: date  # exclusive: the first day after the period

    @property
    def start(self) -> datetime:
        return local_midnight(self.first_day)

    @property
    def end(self) -> datetime:
        return local_midnight(self.end_day)

    @property
    def last_day(self) -> date:
        return self.end_day - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end_day - self.first_day).days

    def contains(self, moment: datetime | date) -> bool:
        if isinstance(moment, datetime):
            if moment.tzinfo is None:
                raise ValueError("naive datetimes are not allowed")
            return self.start <= moment < self.end
        return self.first_day <= moment < self.end_day

    @property
    def code(self) -> str:
        """The canonical text form, which `parse_period` reads back."""
        if self.kind == PeriodKind.MONTH:
            return f"{self.first_day:%Y-%m}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.first_day.year}-Q{(self.first_day.month - 1) // 3 + 1}"
        if self.kind == PeriodKind.YEAR:
            return f"{self.first_day.year}"
        return f"{self.first_day:%Y-%m-%d}..{self.last_day:%Y-%m-%d}"

    @property
    def label(self) -> str:
        """A human label in the active language, e.g. "Tháng 3/2026", "Quý I/2026"."""
        if self.kind == PeriodKind.MONTH:
            return _("Month %(month)d/%(year)d") % {
                "month": self.first_day.month,
                "year": self.first_day.year,
            }
        if self.kind == PeriodKind.QUARTER:
            roman = ("I", "II", "III", "IV")[(self.first_day.month - 1) // 3]
            return _("Quarter %(quarter)s/%(year)d") % {
                "quarter": roman,
                "year": self.first_day.year,
            }
        if self.kind == PeriodKind.YEAR:
            return _("Year %(year)d") % {"year": self.first_day.year}
        return f"{self.first_day:%d/%m/%Y} – {self.last_day:%d/%m/%Y}"

    def previous(self) -> Period:
        """The period of the same kind just before this one (same length for custom ranges)."""
        if self.kind == PeriodKind.MONTH:
            return month(*_shift_month(self.first_day.year, self.first_day.month, -1))
        if self.kind == PeriodKind.QUARTER:
            year, mon = _shift_month(self.first_day.year, self.first_day.month, -3)
            return quarter(year, (mon - 1) // 3 + 1)
        if self.kind == PeriodKind.YEAR:
            return year_period(self.first_day.year - 1)
        return Period(PeriodKind.CUSTOM, self.first_day - timedelta(days=self.days), self.first_day)

    def __str__(self) -> str:
        return self.code


def _shift_month(year: int, mon: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (mon - 1) + delta
    return index // 12, index % 12 + 1


def month(year: int, mon: int) -> Period:
    if not 1 <= mon <= 12:
        raise PeriodParseError(_("Month must be between 1 and 12."))
    next_year, next_mon = _shift_month(year, mon, 1)
    return Period(PeriodKind.MONTH, date(year, mon, 1), date(next_year, next_mon, 1))


def quarter(year: int, number: int) -> Period:
    if not 1 <= number <= 4:
        raise PeriodParseError(_("Quarter must be between 1 and 4."))
    first_month = (number - 1) * 3 + 1
    next_year, next_mon = _shift_month(year, first_month, 3)
    return Period(PeriodKind.QUARTER, date(year, first_month, 1), date(next_year, next_mon, 1))


def year_period(year: int) -> Period:
    return Period(PeriodKind.YEAR, date(year, 1, 1), date(year + 1, 1, 1))


def custom(first_day: date, last_day: date) -> Period:
    """A range of whole days, both ends included as people say them ("1/3 to 15/3")."""
    if last_day < first_day:
        raise PeriodParseError(_("The end date is before the start date."))
    return Period(PeriodKind.CUSTOM, first_day, last_day + timedelta(days=1))


_YEAR = r"(?P<year>\d{4})"
_PATTERNS = [
    (re.compile(rf"^{_YEAR}$"), "year"),
    (re.compile(rf"^{_YEAR}-(?P<month>\d{{1,2}})$"), "month"),
    (re.compile(rf"^(?P<month>\d{{1,2}})/{_YEAR}$"), "month"),  # 3/2026, as written in Vietnam
    (re.compile(rf"^{_YEAR}-?Q(?P<quarter>[1-4])$", re.IGNORECASE), "quarter"),
    (re.compile(rf"^Q(?P<quarter>[1-4])[-/]{_YEAR}$", re.IGNORECASE), "quarter"),
]
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def _parse_day(text: str) -> date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise PeriodParseError(
        _("“%(text)s” is not a date (use 2026-03-31 or 31/03/2026).") % {"text": text}
    )


def parse_period(text: str) -> Period:
    """Read `2026`, `2026-03`, `2026-Q1` (also `3/2026`, `Q1/2026`) or a custom range
    `2026-03-01..2026-03-15` (also `01/03/2026..15/03/2026`)."""
    value = (text or "").strip()
    if not value:
        raise PeriodParseError(_("Enter a period, e.g. 2026, 2026-Q1 or 2026-03."))
    if ".." in value:
        first, _sep, last = value.partition("..")
        return custom(_parse_day(first), _parse_day(last))
    for pattern, kind in _PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        year = int(match["year"])
        if kind == "year":
            return year_period(year)
        if kind == "month":
            return month(year, int(match["month"]))
        return quarter(year, int(match["quarter"]))
    raise PeriodParseError(
        _(
            "“%(text)s” is not a period. Use a year (2026), a quarter (2026-Q1), "
            "a month (2026-03) or a range (2026-03-01..2026-03-15)."
        )
        % {"text": value}
    )


def period_containing(moment: datetime | date, kind: PeriodKind) -> Period:
    """The month, quarter or year in which a moment falls, by the local calendar."""
    day = moment.astimezone(LOCAL_TZ).date() if isinstance(moment, datetime) else moment
    if kind == PeriodKind.MONTH:
        return month(day.year, day.month)
    if kind == PeriodKind.QUARTER:
        return quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == PeriodKind.YEAR:
        return year_period(day.year)
    raise ValueError("a custom period cannot be derived from a moment")
