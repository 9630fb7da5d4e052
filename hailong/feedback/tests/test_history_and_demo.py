"""What the case page's history and the statistics say: the time a letter was received (not
typed in), a reopening named as such, the QĐ 766 ratios of each row."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import time_machine

from hailong.core.periods import LOCAL_TZ
from hailong.feedback.models import Case
from hailong.feedback.tests.test_workflow_http import post

pytestmark = pytest.mark.django_db


def timeline(html: str) -> list[str]:
    """Each history entry's heading, as one line of text."""
    part = html.split('data-testid="timeline"', 1)[1].split("</ol>", 1)[0]
    heads = re.findall(r'<p class="timeline__head">(.*?)</p>', part, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", h).split()) for h in heads]


@pytest.mark.time_machine(datetime(2026, 3, 5, 10, 0, tzinfo=LOCAL_TZ))
def test_a_letter_entered_later_shows_when_it_was_received(client_for, clerk_a, org, rules):
    client = client_for(clerk_a)
    response = client.post(
        "/cases/new/",
        {
            "channel": "letter",
            "kind": "pakn",
            "unit": org.unit_a.pk,
            "content": "Thư phản ánh gửi qua bưu điện.",
            "received_at": "2026-03-02T08:15",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    html = client.get(f"/cases/{case.code}/").content.decode()
    assert timeline(html) == ["Đã tiếp nhận 08:15 02/03/2026 · Tiếp Nhận A người dân xem được"]
    assert "Nhập vào sổ lúc 10:00 05/03/2026." in html


@pytest.mark.time_machine(datetime(2026, 3, 2, 9, tzinfo=LOCAL_TZ))
def test_a_reopening_is_named_in_the_history(client_for, clerk_a, officer_a, org, new_case):
    case = new_case()
    # One test client: signed in as the person acting, in turn.
    accept = post(client_for(clerk_a), case, "accept", unit=org.unit_a.pk, officer=officer_a.pk)
    assert accept.status_code == 302
    assert post(client_for(officer_a), case, "answer", reply="Đã trả lời.").status_code == 302
    reopen = post(client_for(clerk_a), case, "reopen", reason="Người dân chưa đồng ý.")
    assert reopen.status_code == 302
    heads = timeline(client_for(clerk_a).get(f"/cases/{case.code}/").content.decode())
    assert [h.split(" 09:00")[0] for h in heads] == [
        "Đã tiếp nhận",
        "Đã thụ lý",
        "Phân công",
        "Đã trả lời",
        "Mở lại (Đã phân công)",
    ]


def test_the_qd766_ratios_are_given_for_each_row(client_for, leader, org, new_case):
    a = new_case(received=datetime(2026, 3, 2, 9))  # due 16/3, answered on time
    b = new_case(received=datetime(2026, 3, 2, 9), unit=org.unit_b)  # answered late
    Case.objects.filter(pk=a.pk).update(
        status="answered", answered_on=date(2026, 3, 6), due_on=None
    )
    Case.objects.filter(pk=b.pk).update(
        status="answered", answered_on=date(2026, 3, 25), due_on=None
    )
    with time_machine.travel(datetime(2026, 3, 30, 9, tzinfo=LOCAL_TZ)):
        html = client_for(leader).get("/cases/statistics/?period=2026-03&by=unit").content.decode()
    cells = re.findall(r'data-testid="row-pakn-on-time">(.*?)</td>', html)
    satisfaction = re.findall(r'data-testid="row-pakn-satisfaction">(.*?)</td>', html)
    plain = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]
    # Phòng Tư pháp A, Phòng Đất đai B, then the total.
    assert plain == ["100,0% (1/1)", "0,0% (0/1)", "50,0% (1/2)"]
    assert satisfaction == ["100,0%", "0,0%", "50,0%"]


@pytest.mark.time_machine(datetime(2026, 3, 2, 9, tzinfo=LOCAL_TZ))
def test_the_public_page_names_a_reopening_too(
    client, client_for, clerk_a, officer_a, org, new_case
):
    case = new_case()  # anonymous: the code alone opens it
    accept = post(client_for(clerk_a), case, "accept", unit=org.unit_a.pk, officer=officer_a.pk)
    assert accept.status_code == 302
    assert post(client_for(officer_a), case, "answer", reply="Đã trả lời.").status_code == 302
    reopen = post(client_for(clerk_a), case, "reopen", reason="Người dân chưa đồng ý.")
    assert reopen.status_code == 302
    client.logout()
    assert client.post("/tra-cuu/", {"code": case.code}).status_code == 302
    html = client.get(f"/tra-cuu/{case.code}/").content.decode()
    events = html.split('data-testid="public-events"')[1]
    steps = re.findall(r"<li><p><strong>([^<]*)</strong>", events)
    assert steps == [
        "Đã tiếp nhận",
        "Đã thụ lý",
        "Đã trả lời",
        "Mở lại (Đang giải quyết)",
    ]
