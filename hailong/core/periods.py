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

from django.utils import timezone
from django.utils.translation import gettext as _

from hailong.core.text import fold_for_search, normalize_text

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


# People write periods many ways: "Quý 4/2026", "quý IV năm 2026", "Q4/2026", "2026-Q4",
# "Tháng 10/2026", "10/2026", "Năm 2026", "2026", and ranges "01/10/2026 - 31/12/2026",
# "1/10/2026-31/12/2026", "1/10/2026 – 31/12/2026" or "từ 10/2026 đến 12/2026". The text is
# folded first (lower case, no diacritics, đ → d), so "quy", "Quý" and a decomposed "Quý" read
# alike; English words are read too.
_YEAR = r"(?P<year>\d{4})"
# Any number, so that "Quý 5/2026" gets "a quarter is 1 to 4" rather than "not a period".
_QUARTER_NUMBER = r"(?P<quarter>\d{1,2}|iv|i{1,3})"
_QUARTER_WORD = r"(?:quy|quarter|q)"
_MONTH_WORD = r"(?:thang|month)"
_YEAR_WORD = r"(?:nam|year)"
_PATTERNS = [
    (re.compile(rf"^(?:{_YEAR_WORD}\s*)?{_YEAR}$"), "year"),
    (re.compile(rf"^{_YEAR}\s*[-/]\s*(?P<month>\d{{1,2}})$"), "month"),  # 2026-10
    # 10/2026, tháng 10/2026, tháng 10 năm 2026, 10-2026
    (
        re.compile(
            rf"^(?:{_MONTH_WORD}\s*)?(?P<month>\d{{1,2}})"
            rf"(?:\s*[/.-]\s*|\s+{_YEAR_WORD}\s+|\s+){_YEAR}$"
        ),
        "month",
    ),
    (re.compile(rf"^{_YEAR}\s*[-/]?\s*q{_QUARTER_NUMBER}$"), "quarter"),  # 2026-Q4
    # Q4/2026, quý 4/2026, quý IV năm 2026, quý IV 2026, Q4-2026
    (
        re.compile(
            rf"^{_QUARTER_WORD}\s*{_QUARTER_NUMBER}"
            rf"(?:\s*[/-]\s*|\s+{_YEAR_WORD}\s+|\s+){_YEAR}$"
        ),
        "quarter",
    ),
]
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
# Between the two ends of a range: "..", a dash with spaces, an en or em dash, "đến", "to".
_RANGE_SEPARATOR = re.compile(r"\s*(?:\.\.|\s-\s|[–—~]|\s(?:den|to)\s)\s*")
_RANGE_START = re.compile(r"^(?:tu|from)\s+")


def _parse_day(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _parse_single(text: str) -> Period | None:
    """A day (as a one-day range), a month, a quarter or a year; None when it is none."""
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match["year"])
        if kind == "year":
            return year_period(year)
        if kind == "month":
            return month(year, int(match["month"]))
        number = match["quarter"]
        return quarter(year, _ROMAN.get(number) or int(number))
    day = _parse_day(text)
    return custom(day, day) if day else None


def _range_at_a_bare_dash(text: str) -> Period | None:
    """A range joined by a dash without spaces ("1/10/2026-15/10/2026", "10/2026-12/2026", one
    space either side too). A day or a month may hold dashes itself (01-10-2026, 2026-10), so
    every dash is tried and the text is a range only when exactly one of them splits it into
    two periods; when none does but one split was refused (an end before its start, a 13th
    month), that refusal is said."""
    found: list[Period] = []
    refusals: list[PeriodParseError] = []
    for at in (i for i, c in enumerate(text) if c == "-"):
        try:
            first, last = _parse_single(text[:at].strip()), _parse_single(text[at + 1 :].strip())
            if first is not None and last is not None:
                found.append(custom(first.first_day, last.last_day))
        except PeriodParseError as refused:
            refusals.append(refused)
    if len(found) == 1:
        return found[0]
    if not found and refusals:
        raise refusals[0]
    return None


def _not_a_period(text: str) -> PeriodParseError:
    return PeriodParseError(
        _(
            "“%(text)s” is not a period. Write a year (2026), a quarter (Quý 4/2026 or "
            "Q4/2026), a month (10/2026) or a range of days (01/10/2026 - 15/10/2026)."
        )
        % {"text": text}
    )


def parse_period(text: str) -> Period:
    """Read a period as people write it (see above) or as `Period.code` writes it: `2026`,
    `2026-03`, `2026-Q1`, `2026-03-01..2026-03-15`. A range's ends may themselves be months or
    quarters ("10/2026 - 12/2026" is the whole of October to December)."""
    value = normalize_text(text)
    if not value:
        raise PeriodParseError(_("Enter a period, e.g. 2026, Quý 4/2026 or 10/2026."))
    folded = fold_for_search(value)
    try:
        single = _parse_single(folded)
        if single is not None:
            return single
        text = _RANGE_START.sub("", folded)
        parts = _RANGE_SEPARATOR.split(text)
        if len(parts) == 2:
            first, last = _parse_single(parts[0]), _parse_single(parts[1])
            if first is not None and last is not None:
                return custom(first.first_day, last.last_day)
        joined = _range_at_a_bare_dash(text)
        if joined is not None:
            return joined
    except PeriodParseError:
        raise
    except (ValueError, OverflowError) as exc:  # year 0, or a period ending after 9999
        raise _not_a_period(value) from exc
    raise _not_a_period(value)


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


def period_box_text(text: str | None, period: Period | None) -> str:
    """What a page's period box shows: what was typed ("Quý 4/2026" stays so, not "2026-Q4"),
    or the default period's code when nothing was."""
    typed = normalize_text(text)
    return typed or (period.code if period else "")


def period_filter(text: str | None, *, default: PeriodKind) -> tuple[Period | None, str]:
    """The period a page's filter asks for: the current `default` period when none is given,
    or (None, the message) when the text is not a period. A page shows no rows for a rejected
    period: the unfiltered list under the error would be read as the answer."""
    if not normalize_text(text):
        return period_containing(timezone.now(), default), ""
    try:
        return parse_period(text), ""
    except PeriodParseError as exc:
        return None, str(exc)
