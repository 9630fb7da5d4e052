"""The working-day calendar against hand-checked dates.

Tết Nguyên đán 2027: the lunar new year is Saturday 6 February 2027; the holidays run from
Thursday 4/2 (29 Tết) to Wednesday 10/2 (mùng 5). 30/4 and 1/5/2026 fall on Thursday and Friday.
Quốc khánh 2026: 1/9 and 2/9 (Tuesday, Wednesday), and Monday 31/8 off in exchange for
Saturday 22/8, which is worked.
"""

from datetime import date

import pytest

from hailong.core.calendar import WorkingCalendar, add_calendar_days, add_working_days
from hailong.core.models import CalendarDay

calendar = WorkingCalendar()


@pytest.mark.parametrize(
    ("day", "off"),
    [
        (date(2027, 2, 3), False),  # Wednesday before Tết
        (date(2027, 2, 4), True),  # 29 Tết
        (date(2027, 2, 6), True),  # mùng 1, a Saturday
        (date(2027, 2, 10), True),  # mùng 5
        (date(2027, 2, 11), False),  # back to work
        (date(2026, 4, 30), True),
        (date(2026, 5, 1), True),
        (date(2026, 9, 2), True),
        (date(2026, 8, 31), True),  # bridge day
        (date(2026, 8, 22), False),  # the Saturday worked in exchange
        (date(2026, 11, 28), True),  # an ordinary Saturday
    ],
)
def test_days_off(day, off):
    assert calendar.is_day_off(day) is off


def test_one_working_day_from_the_eve_of_tet_2027_is_after_the_holiday():
    assert calendar.add_working_days(date(2027, 2, 3), 1) == date(2027, 2, 11)


def test_ten_working_days_across_tet_2027():
    # From Mon 1/2: 2, 3 (2 days), Tết 4–10, then 11, 12 (4), 15–19 (9), 22 (10).
    assert calendar.add_working_days(date(2027, 2, 1), 10) == date(2027, 2, 22)


def test_working_days_across_30_april_and_1_may_2026():
    # Wed 29/4 + 1: Thu 30/4 and Fri 1/5 are holidays, then the weekend: Monday 4/5.
    assert calendar.add_working_days(date(2026, 4, 29), 1) == date(2026, 5, 4)
    assert calendar.add_working_days(date(2026, 4, 28), 3) == date(2026, 5, 5)


def test_working_days_across_national_day_2026():
    # Fri 28/8 + 1: 31/8 (bridge), 1/9, 2/9 are off: Thursday 3/9.
    assert calendar.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)
    # Fri 21/8 + 1: Saturday 22/8 is a working day in 2026.
    assert calendar.add_working_days(date(2026, 8, 21), 1) == date(2026, 8, 22)


def test_the_start_day_is_not_counted_and_zero_is_the_same_day():
    assert calendar.add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Fri -> Mon
    assert calendar.add_working_days(date(2026, 11, 28), 0) == date(2026, 11, 28)
    assert calendar.add_working_days(date(2026, 11, 30), -1) == date(2026, 11, 27)


def test_calendar_day_periods_ending_on_a_day_off_move_to_the_next_working_day():
    # 10 days from Wed 27/1/2027 ends on Sat 6/2 (mùng 1): pushed to Thu 11/2 (Civil Code 148).
    assert calendar.add_calendar_days(date(2027, 1, 27), 10) == date(2027, 2, 11)
    assert calendar.add_calendar_days(date(2026, 11, 2), 10) == date(2026, 11, 12)


def test_working_days_between():
    assert calendar.working_days_between(date(2027, 2, 1), date(2027, 2, 22)) == 10
    assert calendar.working_days_between(date(2027, 2, 22), date(2027, 2, 1)) == 0


@pytest.mark.django_db
def test_the_editable_table_wins_over_the_built_in_calendar():
    # An extra day off decided by the government, and a Saturday made a working day.
    CalendarDay.objects.create(date=date(2027, 2, 11), is_day_off=True, name="Nghỉ bù Tết")
    CalendarDay.objects.create(date=date(2027, 2, 13), is_day_off=False, name="Làm bù")
    assert add_working_days(date(2027, 2, 3), 1) == date(2027, 2, 12)
    assert add_working_days(date(2027, 2, 12), 1) == date(2027, 2, 13)
    assert add_calendar_days(date(2027, 2, 1), 10) == date(2027, 2, 12)
