"""Deadlines, hand-checked against the 2026 calendar.

Tết 2026: Monday 16/2 to Friday 20/2 are public holidays, so with the weekends around them
nobody works from Saturday 14/2 to Sunday 22/2.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from hailong.core.calendar import WorkingCalendar
from hailong.core.models import CalendarDay
from hailong.feedback.deadlines import deadlines_for, period_end
from hailong.feedback.models import DeadlineRule

CAL = WorkingCalendar()


def deadlines_of(kind, received, accepted=None, is_complex=False, is_remote=False):
    return deadlines_for(
        kind=kind,
        received_on=received,
        accepted_on=accepted,
        is_complex=is_complex,
        is_remote=is_remote,
        calendar=CAL,
    )


def test_ten_working_days_across_tet():
    # Received Friday 13/2. Not counted: 14–22/2 (weekend, Tết, weekend). Counted: 23–27/2 (5),
    # 2–6/3 (10).
    assert period_end(date(2026, 2, 13), 10, "working", CAL) == date(2026, 3, 6)


def test_ten_calendar_days_across_tet_are_not_ten_working_days():
    # 13/2 + 10 calendar days = Monday 23/2, a working day: the deadline.
    assert period_end(date(2026, 2, 13), 10, "calendar", CAL) == date(2026, 2, 23)


def test_a_calendar_period_ending_in_tet_moves_to_the_next_working_day():
    # Received Friday 6/2: day 10 is Monday 16/2, Tết; the next working day is Monday 23/2.
    assert period_end(date(2026, 2, 6), 10, "calendar", CAL) == date(2026, 2, 23)


def test_a_calendar_period_ending_on_a_weekend_moves_to_monday():
    # Accepted Thursday 5/3: day 30 is Saturday 4/4, so the period ends Monday 6/4.
    assert period_end(date(2026, 3, 5), 30, "calendar", CAL) == date(2026, 4, 6)


def test_working_days_skip_two_weekends():
    # Received Friday 6/3: 9–13/3 (5) and 16–20/3 (10).
    assert period_end(date(2026, 3, 6), 10, "working", CAL) == date(2026, 3, 20)


def test_an_administrator_day_off_counts():
    calendar = WorkingCalendar({date(2026, 3, 9): True})  # e.g. a local holiday
    assert period_end(date(2026, 3, 6), 10, "working", calendar) == date(2026, 3, 23)


@pytest.mark.django_db
def test_complaint_deadlines_follow_the_rules(rules):
    found = deadlines_of("complaint", date(2026, 2, 6), accepted=date(2026, 3, 5))
    assert found.accept_due_on == date(2026, 2, 23)
    assert found.answer_due_on == date(2026, 4, 6)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("is_complex", "is_remote", "due"),
    [
        (True, False, date(2026, 4, 20)),  # 5/3 + 45 = Sunday 19/4 → Monday 20/4
        (False, True, date(2026, 4, 20)),  # remote: 45
        (True, True, date(2026, 5, 4)),  # remote and complex: 60 → Monday 4/5
    ],
)
def test_complex_and_remote_complaints_get_longer(rules, is_complex, is_remote, due):
    found = deadlines_of(
        "complaint",
        date(2026, 2, 6),
        accepted=date(2026, 3, 5),
        is_complex=is_complex,
        is_remote=is_remote,
    )
    assert found.answer_due_on == due


@pytest.mark.django_db
def test_a_complaint_has_no_decision_date_before_it_is_accepted(rules):
    found = deadlines_of("complaint", date(2026, 2, 6))
    assert found.answer_due_on is None and found.accept_due_on == date(2026, 2, 23)


@pytest.mark.django_db
def test_a_pakn_is_answered_and_transferred_in_working_days(rules):
    found = deadlines_of("pakn", date(2026, 2, 13))
    assert found.answer_due_on == date(2026, 3, 6)
    assert found.transfer_due_on == date(2026, 2, 27)  # 23–27/2: 5 working days
    assert found.accept_due_on is None


@pytest.mark.django_db
def test_praise_has_no_deadline(rules):
    found = deadlines_of("praise", date(2026, 2, 13))
    assert found == type(found)(None, None, None)


@pytest.mark.django_db
def test_a_new_rule_applies_from_its_date_and_old_cases_keep_theirs(rules):
    DeadlineRule.objects.filter(valid_from=date(2026, 7, 1)).update(is_active=True)
    before = deadlines_of("complaint", date(2026, 6, 30))
    after = deadlines_of("complaint", date(2026, 7, 3))
    assert before.accept_due_on == date(2026, 7, 10)  # 10 calendar days
    assert after.accept_due_on == date(2026, 7, 14)  # 7 working days from Friday 3/7


@pytest.mark.django_db
def test_every_rule_cites_its_legal_basis(rules):
    assert DeadlineRule.objects.exists()
    assert not DeadlineRule.objects.filter(legal_basis="").exists()


def test_a_received_case_stores_its_deadlines(new_case):
    case = new_case(received=datetime(2026, 2, 13, 9, 30))
    assert case.received_on == date(2026, 2, 13)
    assert case.answer_due_on == date(2026, 3, 6)
    assert case.due_on == date(2026, 3, 6)


def test_the_calendar_table_changes_case_deadlines(new_case):
    CalendarDay.objects.create(date=date(2026, 3, 2), is_day_off=True, name="Nghỉ bù")
    case = new_case(received=datetime(2026, 2, 13, 9, 30))
    assert case.answer_due_on == date(2026, 3, 9)


def test_a_case_received_during_tet_counts_from_the_first_working_day():
    # Received Saturday 14/2 (Tết week): nothing counts until Monday 23/2, so 10 working days
    # end on Friday 6/3, as for a case received on Friday 13/2.
    assert period_end(date(2026, 2, 14), 10, "working", CAL) == date(2026, 3, 6)
    # 10 calendar days from Sunday 15/2: Wednesday 25/2, a working day.
    assert period_end(date(2026, 2, 15), 10, "calendar", CAL) == date(2026, 2, 25)


def test_working_days_across_the_new_year():
    # Received Friday 26/12/2025: 29, 30, 31/12 (3); 1/1 is New Year's Day; 2/1 (4);
    # 5–9/1 (9); Monday 12/1 (10).
    assert period_end(date(2025, 12, 26), 10, "working", CAL) == date(2026, 1, 12)
