"""tests/clock.py: the variables that move the clock of a whole run."""

import os
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from hailong.core.periods import LOCAL_TZ
from tests.clock import AT, SHIFT, clock_destination, clock_is_moved


def test_without_the_variables_the_clock_stays():
    assert clock_destination({}) is None


def test_a_shift_moves_the_clock_by_whole_days():
    moved = clock_destination({SHIFT: "365"})
    assert abs(moved - (timezone.now() + timedelta(days=365))) < timedelta(seconds=5)


def test_a_day_keeps_the_time_of_day_and_a_time_is_local():
    moved = clock_destination({AT: "2027-01-05"})
    assert moved.astimezone(LOCAL_TZ).date() == date(2027, 1, 5)
    assert moved.utcoffset() == timedelta(hours=7)
    at = clock_destination({AT: "2026-02-28T23:30"})
    assert at == datetime(2026, 2, 28, 23, 30, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize("environ", [{AT: "28/02/2026"}, {SHIFT: "một năm"}])
def test_a_wrong_value_stops_the_run(environ):
    with pytest.raises(pytest.UsageError):
        clock_destination(environ)


def test_this_run_has_the_clock_its_variables_ask_for():
    # make test-future relies on it: a plugin that stopped loading would pass everything.
    assert clock_is_moved() == (clock_destination(os.environ) is not None)
