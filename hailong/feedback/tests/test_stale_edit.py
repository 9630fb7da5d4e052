"""Two people with the same case open: the second save, drawn from a stale page, is refused."""

from __future__ import annotations

import pytest

from hailong.feedback.models import CaseEvent

pytestmark = pytest.mark.django_db


def test_a_second_save_of_a_stale_page_is_refused_and_nothing_is_overwritten(
    client_for, clerk_a, officer_a, org, new_case, secretary
):
    case = new_case()
    page_version = case.version  # both pages drawn now
    first = client_for(clerk_a).post(
        f"/cases/{case.code}/update/",
        {"version": page_version, "title": "Tiêu đề của người thứ nhất", "kind": "pakn"},
    )
    assert first.status_code == 302
    second = client_for(secretary).post(
        f"/cases/{case.code}/update/",
        {"version": page_version, "title": "Tiêu đề của người thứ hai", "kind": "complaint"},
    )
    assert second.status_code == 409
    text = second.content.decode()
    assert "Tiêu đề của người thứ hai" in text  # what they typed is kept on the page
    assert (
        "Người khác vừa thay đổi vụ việc này trong khi trang đang mở. Thay đổi vừa thực hiện "
        "chưa được lưu; vui lòng kiểm tra vụ việc ở trạng thái hiện tại rồi thử lại."
    ) in text
    case.refresh_from_db()
    assert case.title == "Tiêu đề của người thứ nhất" and case.kind == "pakn"


def test_a_stale_answer_is_refused_and_its_text_kept(client_for, clerk_a, officer_a, org, new_case):
    case = new_case()
    desk = client_for(clerk_a)
    desk.post(
        f"/cases/{case.code}/accept/",
        {"version": case.version, "unit": org.unit_a.pk, "officer": officer_a.pk},
    )
    case.refresh_from_db()
    stale = case.version
    desk.post(f"/cases/{case.code}/note/", {"version": stale, "text": "Ghi chú nội bộ"})
    response = client_for(officer_a).post(
        f"/cases/{case.code}/answer/", {"version": stale, "reply": "Câu trả lời dài đã soạn"}
    )
    assert response.status_code == 409
    assert "Câu trả lời dài đã soạn" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "assigned"
    assert not CaseEvent.objects.filter(case=case, text="Câu trả lời dài đã soạn").exists()
