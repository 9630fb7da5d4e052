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


def test_a_reopening_keeps_the_acceptance_deadline_of_an_accepted_complaint(
    client_for, clerk_a, officer_a, org, new_case
):
    """Acceptance trial of issue 11: an accepted complaint, answered and then reopened, showed
    a "Hạn thụ lý" counted again from the reopening, after its own "Ngày thụ lý". The
    acceptance is done: its deadline stays the one counted from the receipt. The answer's
    period does run again from the reopening (case_reopen: the period that was running)."""
    with time_machine.travel(datetime(2026, 11, 16, 9, tzinfo=LOCAL_TZ)):
        case = new_case(
            kind="complaint",
            contact_name="Hoàng Thị Em",
            contact_phone="0912345678",
            consent_given=True,
        )
    first_accept_due = case.accept_due_on
    with time_machine.travel(datetime(2026, 11, 18, 9, tzinfo=LOCAL_TZ)):
        accept = post(client_for(clerk_a), case, "accept", unit=org.unit_a.pk, officer=officer_a.pk)
        assert accept.status_code == 302
        case.refresh_from_db()
        first_answer_due = case.answer_due_on
        assert post(client_for(officer_a), case, "answer", reply="Đã trả lời.").status_code == 302
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=LOCAL_TZ)):
        reopen = post(client_for(clerk_a), case, "reopen", reason="Người dân chưa đồng ý.")
        assert reopen.status_code == 302
        page = client_for(clerk_a).get(f"/cases/{case.code}/").content.decode()
    case.refresh_from_db()
    assert (case.accepted_on, case.accept_due_on) == (date(2026, 11, 18), first_accept_due)
    assert case.answer_due_on > first_answer_due  # 30 days from the reopening on 01/12
    assert f"<dt>Hạn thụ lý</dt><dd>{first_accept_due:%d/%m/%Y}</dd>" in page
    assert "<dt>Ngày thụ lý</dt><dd>18/11/2026</dd>" in page
