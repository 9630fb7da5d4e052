"""A transfer has its own legal period (NĐ 20/2008 art. 9: 5 working days): sent on late, it
is late for good, and transferred cases count in the agency's timeliness."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from hailong.core.periods import LOCAL_TZ
from hailong.feedback.models import Case
from hailong.feedback.tests.test_workflow_http import post

pytestmark = pytest.mark.django_db


def _transfer_on(day: datetime, client, case):
    with time_machine.travel(day):
        return post(client, case, "transfer", agency="Sở Xây dựng", reason="Không thuộc thẩm quyền")


def test_a_transfer_after_its_deadline_is_late_and_counted(client_for, clerk_a, leader, new_case):
    # Two PAKN received on Monday 2/3/2026: transfer by Monday 9/3 (5 working days).
    late = new_case(received=datetime(2026, 3, 2, 9), title="Chuyển trễ")
    in_time = new_case(received=datetime(2026, 3, 2, 9), title="Chuyển đúng hạn")
    assert late.transfer_due_on == date(2026, 3, 9)
    desk = client_for(clerk_a)
    assert _transfer_on(datetime(2026, 3, 16, 9, tzinfo=LOCAL_TZ), desk, late).status_code == 302
    assert _transfer_on(datetime(2026, 3, 9, 9, tzinfo=LOCAL_TZ), desk, in_time).status_code == 302
    late.refresh_from_db()
    in_time.refresh_from_db()
    assert (late.status, late.transferred_on, late.missed_deadline) == (
        "transferred",
        date(2026, 3, 16),
        True,
    )
    assert (in_time.transferred_on, in_time.missed_deadline) == (date(2026, 3, 9), False)

    with time_machine.travel(datetime(2026, 3, 20, 9, tzinfo=LOCAL_TZ)):
        response = client_for(leader).get("/cases/statistics/?period=2026-03&by=kind")
    assert response.status_code == 200
    rows = {row.key: row for row in response.context["rows"]}
    pakn = rows["pakn"]
    assert (pakn.received, pakn.transferred, pakn.transferred_late) == (2, 2, 1)
    # Both transfers are decided; one of the two was on time.
    assert (pakn.decided, pakn.on_time, pakn.on_time_share) == (2, 1, 50.0)
    # QĐ 766 counts PAKN within competence only: none here.
    assert (pakn.pakn_decided, pakn.pakn_on_time_ratio) == (0, None)
    html = response.content.decode()
    assert "(1 trễ hạn)" in html
    assert Case.objects.filter(missed_deadline=True).count() == 1


def test_the_case_page_shows_a_late_transfer_in_working_days(client_for, clerk_a, new_case):
    # Received Monday 2/3/2026, transfer due Monday 9/3; sent on Monday 16/3: the working days
    # 10, 11, 12, 13 and 16/3 had run, five days late.
    late = new_case(received=datetime(2026, 3, 2, 9), title="Chuyển trễ")
    in_time = new_case(received=datetime(2026, 3, 2, 9), title="Chuyển đúng hạn")
    desk = client_for(clerk_a)
    _transfer_on(datetime(2026, 3, 16, 9, tzinfo=LOCAL_TZ), desk, late)
    _transfer_on(datetime(2026, 3, 9, 9, tzinfo=LOCAL_TZ), desk, in_time)

    with time_machine.travel(datetime(2026, 3, 20, 9, tzinfo=LOCAL_TZ)):
        desk = client_for(clerk_a)
        response = desk.get(f"/cases/{late.code}/")
        other = desk.get(f"/cases/{in_time.code}/")
    assert (response.status_code, other.status_code) == (200, 200)
    page = response.content.decode()
    assert (
        '<dd data-testid="transferred-on">16/03/2026 <strong class="error" '
        'data-testid="transfer-late">Chuyển muộn 5 ngày làm việc</strong></dd>'
    ) in page
    assert (
        '<p class="error" data-testid="event-transfer-late">Chuyển muộn 5 ngày làm việc '
        "(hạn chuyển là 09/03/2026).</p>"
    ) in page

    page = other.content.decode()
    assert '<dd data-testid="transferred-on">09/03/2026</dd>' in page
    assert "Chuyển muộn" not in page
