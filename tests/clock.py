"""Run the whole suite with the clock moved, to prove no test depends on the day it runs.

    HAILONG_TEST_CLOCK_SHIFT_DAYS=365 pytest     # a year ahead (`make test-future`)
    HAILONG_TEST_CLOCK=2027-01-05 pytest         # that day in Hanoi, at the current time of day
    HAILONG_TEST_CLOCK=2026-02-28T23:30 pytest   # that local time

The clock keeps ticking from there (time-machine patches the C-level clock of the whole process,
so pytest-django's live server thread sees the same time as the test). A test that needs a fixed
day travels there itself with time_machine.travel, on top of this one. Databases keep their own
clock (the code asks Python for the time, never SQL's NOW()); so does the browser, unless the
e2e `page` fixture moves it (tests/e2e/conftest.py).
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta

import pytest
import time_machine

from hailong.core.periods import LOCAL_TZ

SHIFT = "HAILONG_TEST_CLOCK_SHIFT_DAYS"
AT = "HAILONG_TEST_CLOCK"

_travel: time_machine.travel | None = None


def clock_destination(environ=os.environ) -> datetime | None:
    """Where the variables put the clock, or None to leave it alone."""
    now = datetime.now(LOCAL_TZ)
    if environ.get(AT):
        text = environ[AT].strip()
        try:
            if "T" in text or " " in text:
                moved = datetime.fromisoformat(text)
                return moved if moved.tzinfo else moved.replace(tzinfo=LOCAL_TZ)
            day = date.fromisoformat(text)
        except ValueError:
            raise pytest.UsageError(f"{AT}={text!r}: expected YYYY-MM-DD[THH:MM]") from None
        return datetime.combine(day, now.timetz())
    if environ.get(SHIFT):
        try:
            days = int(environ[SHIFT])
        except ValueError:
            raise pytest.UsageError(f"{SHIFT}={environ[SHIFT]!r}: expected days") from None
        return now + timedelta(days=days)
    return None


def clock_is_moved() -> bool:
    return _travel is not None


def pytest_configure(config):
    global _travel
    destination = clock_destination()
    if destination is not None and _travel is None:
        _travel = time_machine.travel(destination, tick=True)
        _travel.start()


def pytest_unconfigure(config):
    global _travel
    if _travel is not None:
        _travel.stop()
        _travel = None


def pytest_report_header(config):
    if _travel is not None:
        return f"clock moved to {datetime.now(LOCAL_TZ):%Y-%m-%d %H:%M %Z} (tests/clock.py)"
    return None
