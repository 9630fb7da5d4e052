"""Case statistics against hand-computed figures."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from hailong.core.periods import PeriodKind, parse_period, period_containing
from hailong.feedback.models import Case
from hailong.feedback.statistics import case_statistics, percentile

pytestmark = pytest.mark.django_db


def test_percentiles_interpolate_between_ranks():
    assert percentile([], 50) is None
    assert percentile([5], 90) == 5
    assert percentile([1, 2, 3, 4], 50) == 2.5
    # ranks 0..9; 90th percentile at rank 8.1: 9 + 0.1 × (10 − 9)
    assert percentile(list(range(1, 11)), 90) == pytest.approx(9.1)


def _set(case, **fields):
    Case.objects.filter(pk=case.pk).update(**fields)


def test_statistics_and_qd766_ratios(secretary, org, new_case):
    # Five PAKN received in March 2026 (answer due 10 working days later):
    a = new_case(received=datetime(2026, 3, 2, 9))  # due 16/3
    b = new_case(received=datetime(2026, 3, 2, 9))
    c = new_case(received=datetime(2026, 3, 2, 9))
    new_case(received=datetime(2026, 3, 2, 9))  # d
    e = new_case(received=datetime(2026, 3, 2, 9), unit=org.unit_b)
    praise = new_case(kind="praise", received=datetime(2026, 3, 3, 9))
    new_case(received=datetime(2026, 4, 1, 9))  # another period
    assert a.answer_due_on == date(2026, 3, 16)
    # a: answered on time (4 days), rated very satisfied
    _set(a, status="closed", answered_on=date(2026, 3, 6), due_on=None, rating=3)
    # b: answered on time (10 days), rated not satisfied
    _set(b, status="answered", answered_on=date(2026, 3, 12), due_on=None, rating=1)
    # c: answered late (20 days), rated satisfied
    _set(c, status="closed", answered_on=date(2026, 3, 22), due_on=None, rating=2)
    # d: still open, past its deadline on 20/3
    # e: transferred (outside competence)
    _set(e, status="transferred", transferred_on=date(2026, 3, 4), due_on=None)
    rows, total = case_statistics(
        secretary, period=parse_period("2026-03"), grouping="kind", today=date(2026, 3, 20)
    )
    assert total.received == 6
    assert total.answered == 3 and total.transferred == 1
    # a, b on time; c late; d overdue; e transferred within its 5 working days (by 9/3)
    assert total.decided == 5 and total.on_time == 3
    assert total.on_time_share == 60.0
    assert total.transferred_late == 0
    assert total.open_now == 2  # d and the praise
    assert total.overdue_now == 1  # d
    assert sorted(total.handling_days) == [4, 10, 20]
    assert total.median_days == 10 and total.p90_days == pytest.approx(18.0)
    assert total.rated == 3 and total.rated_satisfied == 2
    assert total.satisfaction_share == pytest.approx(66.7)
    # QĐ 766: PAKN within competence and decided = a, b, c, d (4)
    assert total.pakn_on_time_ratio == 50.0  # a, b
    # (4 − 1 not satisfied (b) − 2 overdue (c, d)) ÷ 4
    assert total.pakn_satisfaction_ratio == 25.0
    by_kind = {row.key: row for row in rows}
    assert by_kind["praise"].received == 1 and by_kind["pakn"].received == 5
    assert praise.due_on is None

    unit_rows, _total = case_statistics(
        secretary, period=parse_period("2026-03"), grouping="unit", today=date(2026, 3, 20)
    )
    assert {row.label: row.received for row in unit_rows} == {
        "Phòng Tư pháp A": 5,
        "Phòng Đất đai B": 1,
    }


def test_an_officer_counts_only_their_scope(officer_b, org, new_case):
    new_case(received=datetime(2026, 3, 2, 9))
    new_case(received=datetime(2026, 3, 2, 9), unit=org.unit_b)
    _rows, total = case_statistics(
        officer_b, period=parse_period("2026"), grouping="unit", today=date(2026, 3, 20)
    )
    assert total.received == 1


def test_the_statistics_page(client_for, leader, new_case, django_assert_max_num_queries):
    new_case(received=datetime(2026, 3, 2, 9))
    client = client_for(leader)
    for grouping in ("unit", "kind", "channel", "service", "month"):
        with django_assert_max_num_queries(15):
            response = client.get(f"/cases/statistics/?period=2026&by={grouping}")
        assert response.status_code == 200
    assert client.get("/cases/statistics/?period=abc").status_code == 200


def test_the_statistics_page_reads_vietnamese_periods_and_shows_nothing_for_a_bad_one(
    client_for, leader, new_case
):
    this = period_containing(timezone.now(), PeriodKind.QUARTER)
    new_case()  # received now
    new_case(received=this.previous().start.replace(tzinfo=None) + timedelta(hours=9))
    client = client_for(leader)
    roman = ("I", "II", "III", "IV")[(this.first_day.month - 1) // 3]
    page = client.get(
        "/cases/statistics/", {"period": f"quý {roman} năm {this.first_day.year}"}
    ).content.decode()
    assert re.search(r"<dt>Đã tiếp nhận</dt><dd>(\d+)</dd>", page).group(1) == "1"
    bad = client.get("/cases/statistics/", {"period": "Quý 5/2026"})
    text = bad.content.decode()
    assert bad.status_code == 200
    assert "Quý phải từ 1 đến 4." in text
    assert 'value="Quý 5/2026"' in text
    assert 'data-testid="qd766"' not in text and 'data-testid="case-stats"' not in text


@pytest.mark.parametrize("typed", ["Quý 4/2026", "10/2026", "01/10/2026 - 15/10/2026"])
def test_the_statistics_page_keeps_the_period_as_typed(client_for, leader, typed):
    page = client_for(leader).get("/cases/statistics/", {"period": typed}).content.decode()
    assert 'data-testid="case-stats"' in page
    assert f'value="{typed}"' in page
