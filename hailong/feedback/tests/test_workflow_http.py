"""Every transition of a case, through HTTP as the desk and the unit officer use them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import make_staff
from hailong.core.models import AuditEntry
from hailong.feedback.models import Case, CaseEvent
from hailong.feedback.tests.conftest import version_of
from hailong.organisation.models import Role

pytestmark = pytest.mark.django_db


def post(client, case, action, **data):
    data.setdefault("version", version_of(case))
    return client.post(f"/cases/{case.code}/{action}/", data)


def test_a_clerk_records_a_desk_case_and_gets_the_receipt(client_for, clerk_a, org, rules):
    client = client_for(clerk_a)
    response = client.post(
        "/cases/new/",
        {
            "channel": "phone",
            "kind": "complaint",
            "unit": org.unit_a1.pk,
            "service": org.service_a.pk,
            "dossier_code": "hs-001",
            "content": "Khiếu nại việc từ chối đăng ký khai sinh.",
            "contact_name": "Nguyễn Văn An",
            "contact_phone": "0912 345 678",
            "consent": "on",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/cases/{case.code}/"
    assert case.channel == "phone" and case.kind == "complaint" and case.status == "received"
    assert case.dossier_code == "HS-001" and case.lookup_pin == "5678"
    assert case.accept_due_on and case.due_on == case.accept_due_on
    assert AuditEntry.objects.filter(action="case.create", target_id=str(case.pk)).exists()
    receipt = client.get(f"/cases/{case.code}/receipt.pdf")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")


def test_a_complaint_without_a_name_is_refused_and_the_text_kept(client_for, clerk_a, org, rules):
    response = client_for(clerk_a).post(
        "/cases/new/",
        {"channel": "desk", "kind": "complaint", "unit": org.unit_a.pk, "content": "Nội dung dài"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nội dung dài" in page
    assert "Khiếu nại, tố cáo phải có họ tên người khiếu nại, tố cáo." in page
    assert not Case.objects.exists()


def test_the_whole_workflow(client_for, clerk_a, officer_a, org, new_case):
    case = new_case(
        kind="complaint",
        contact_name="Trần Thị Bình",
        contact_phone="0987654321",
        consent_given=True,
    )
    desk = client_for(clerk_a)
    assert post(desk, case, "accept", note="Đã thụ lý").status_code == 302
    case.refresh_from_db()
    assert case.status == "accepted" and case.accepted_on and case.answer_due_on
    assert case.due_on == case.answer_due_on

    response = post(desk, case, "assign", unit=org.unit_a.pk, officer=officer_a.pk)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "assigned" and case.assignee == officer_a
    assert case.handling_unit == org.unit_a

    officer = client_for(officer_a)
    assert post(officer, case, "start").status_code == 302
    case.refresh_from_db()
    assert case.status == "in_progress"
    assert post(officer, case, "note", text="Đã gọi điện cho công dân").status_code == 302
    assert post(officer, case, "reply", text="Chúng tôi đang xác minh.").status_code == 302
    assert post(officer, case, "answer", reply="Giữ nguyên quyết định.").status_code == 302
    case.refresh_from_db()
    assert case.status == "answered" and case.answered_on and case.due_on is None

    desk = client_for(clerk_a)
    assert post(desk, case, "reopen", reason="Công dân bổ sung chứng cứ").status_code == 302
    case.refresh_from_db()
    assert case.status == "assigned" and case.answered_on is None and case.due_on
    officer = client_for(officer_a)
    assert post(officer, case, "answer", reply="Đã sửa quyết định.").status_code == 302
    desk = client_for(clerk_a)
    assert post(desk, case, "close").status_code == 302
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_at

    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", "is_public"))
    assert ("note", False) in kinds and ("reply", True) in kinds and ("assign", False) in kinds
    actions = set(
        AuditEntry.objects.filter(target_id=str(case.pk)).values_list("action", flat=True)
    )
    assert {
        "case.accept",
        "case.assign",
        "case.start",
        "case.note",
        "case.reply",
        "case.answer",
        "case.reopen",
        "case.close",
    } <= actions


def test_accept_and_assign_in_one_step(client_for, clerk_a, officer_a, org, new_case):
    case = new_case()
    response = post(client_for(clerk_a), case, "accept", unit=org.unit_a.pk, officer=officer_a.pk)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "assigned" and case.assignee == officer_a


def test_refusal_needs_a_reason_and_the_citizen_sees_it(client_for, clerk_a, new_case):
    case = new_case()
    desk = client_for(clerk_a)
    response = post(desk, case, "refuse", reason="  ")
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == "received"
    assert post(desk, case, "refuse", reason="Đã được giải quyết trước đây.").status_code == 302
    case.refresh_from_db()
    assert case.status == "refused" and case.due_on is None
    assert CaseEvent.objects.filter(case=case, to_status="refused", is_public=True).exists()


def test_transfer_to_another_agency(client_for, clerk_a, new_case):
    case = new_case()
    response = post(client_for(clerk_a), case, "transfer", agency="Sở Xây dựng", reason="")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "transferred" and case.transferred_to == "Sở Xây dựng"
    assert case.transferred_on is not None and case.transfer_due_on is not None


def test_details_correction_recomputes_deadlines(client_for, clerk_a, new_case, org):
    from datetime import datetime

    case = new_case(
        kind="complaint",
        received=datetime(2026, 2, 6, 8),
        contact_name="An",
        contact_phone="0912345678",
        consent_given=True,
    )
    post(client_for(clerk_a), case, "accept")
    Case.objects.filter(pk=case.pk).update(accepted_on=date(2026, 3, 5))
    response = post(
        client_for(clerk_a),
        case,
        "update",
        title=case.title,
        kind="complaint",
        flags="1",
        is_complex="on",
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.is_complex and case.answer_due_on == date(2026, 4, 20)


def test_a_transition_from_the_wrong_status_is_refused_with_a_message(
    client_for, officer_a, clerk_a, new_case
):
    case = new_case()
    response = post(client_for(officer_a), case, "answer", reply="Trả lời")
    assert response.status_code == 400
    assert (
        "Vụ việc đang ở trạng thái “Đã tiếp nhận”; hiện không thể thực hiện thao tác này."
        in response.content.decode()
    )
    case.refresh_from_db()
    assert case.status == "received"


def test_an_officer_cannot_triage(client_for, officer_a, new_case):
    case = new_case()
    assert post(client_for(officer_a), case, "accept").status_code == 403
    assert post(client_for(officer_a), case, "refuse", reason="x").status_code == 403
    case.refresh_from_db()
    assert case.status == "received"


def test_an_officer_cannot_be_given_a_case_outside_their_scope(
    client_for, clerk_a, officer_b, org, new_case
):
    case = new_case()
    desk = client_for(clerk_a)
    post(desk, case, "accept")
    response = post(desk, case, "assign", unit=org.unit_a.pk, officer=officer_b.pk)
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.assignee is None


def test_the_lists(client_for, clerk_a, officer_a, org, new_case):
    from datetime import timedelta

    from django.utils import timezone

    # Received 60 days ago: past its 10 working days whatever holidays lie between.
    late = new_case(received=timezone.now() - timedelta(days=60), title="Trễ hạn lâu")
    fresh = new_case(title="Mới tiếp nhận")
    desk = client_for(clerk_a)
    overdue = desk.get("/cases/?view=overdue").content.decode()
    assert late.code in overdue and fresh.code not in overdue
    waiting = desk.get("/cases/?view=unassigned").content.decode()
    assert late.code in waiting and fresh.code in waiting
    post(desk, fresh, "accept", unit=org.unit_a.pk, officer=officer_a.pk)
    mine = client_for(officer_a).get("/cases/?view=mine").content.decode()
    assert fresh.code in mine and late.code not in mine


def test_the_list_and_case_pages_take_a_fixed_number_of_queries(
    client_for, clerk_a, new_case, django_assert_max_num_queries
):
    for _n in range(3):
        new_case()
    client = client_for(clerk_a)
    with django_assert_max_num_queries(14) as few:
        client.get("/cases/?view=all")
    for _n in range(20):
        new_case()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/cases/?view=all")
    case = new_case()
    with django_assert_max_num_queries(25):
        assert client.get(f"/cases/{case.code}/").status_code == 200


def test_the_officer_choices_follow_the_unit_picked(client_for, clerk_a, officer_a, org, new_case):
    case = new_case()
    client = client_for(clerk_a)
    options = client.get(f"/cases/{case.code}/officers/?unit={org.unit_a.pk}").content.decode()
    assert officer_a.full_name in options
    other = client.get(f"/cases/{case.code}/officers/?unit={org.unit_b.pk}").content.decode()
    assert officer_a.full_name not in other  # unit B is outside the clerk's scope: no choices


def test_the_officers_of_a_unit_are_its_staff_not_those_overseeing_it_from_above(
    client_for, clerk_a, officer_a, secretary, leader, admin_user, org, new_case
):
    desk = make_staff("tiepnhan", Role.CLERK, [org.root], "Tiếp Nhận Huyện")
    officer_a1 = make_staff("canbo_a1", Role.OFFICER, [org.unit_a1], "Cán Bộ A1")
    case = new_case()
    client = client_for(desk)
    options = client.get(f"/cases/{case.code}/officers/?unit={org.unit_a.pk}").content.decode()
    assert officer_a.full_name in options and officer_a1.full_name in options
    for above in (desk, secretary, leader, admin_user):
        assert above.full_name not in options
    assert post(client, case, "accept", unit=org.unit_a.pk, officer=leader.pk).status_code == 400
    case.refresh_from_db()
    assert (case.status, case.assignee) == ("received", None)
    accepted = post(client, case, "accept", unit=org.unit_a.pk, officer=officer_a1.pk)
    assert accepted.status_code == 302


def test_an_officer_returns_a_wrongly_routed_case_to_the_desk(
    client_for, clerk_a, officer_a, org, new_case
):
    case = new_case()
    post(client_for(clerk_a), case, "accept", unit=org.unit_a.pk, officer=officer_a.pk)
    officer = client_for(officer_a)
    assert post(officer, case, "return", reason=" ").status_code == 400
    assert post(officer, case, "return", reason="Thuộc lĩnh vực đất đai").status_code == 302
    case.refresh_from_db()
    assert case.status == "accepted" and case.assignee is None and case.due_on
    assert case.code in client_for(clerk_a).get("/cases/?view=unassigned").content.decode()
    assert AuditEntry.objects.filter(action="case.return", target_id=str(case.pk)).exists()
    event = CaseEvent.objects.filter(case=case, kind="assign").last()
    assert not event.is_public and "Thuộc lĩnh vực đất đai" in event.text


def test_an_officer_is_told_a_new_case_waits_for_the_desk(client_for, clerk_a, officer_a, new_case):
    fresh = new_case(title="Mới nhận")
    late = new_case(received=timezone.now() - timedelta(days=60), title="Trễ hạn lâu")
    officer = client_for(officer_a)
    page = officer.get(f"/cases/{fresh.code}/").content.decode()
    assert (
        "Chờ thụ lý, phân công: bộ phận tiếp nhận thụ lý và phân công vụ việc này trước khi xử lý."
        in page
    )
    page = officer.get(f"/cases/{late.code}/").content.decode()
    assert (
        "Quá hạn mà vẫn chờ bộ phận tiếp nhận: bộ phận tiếp nhận cần thụ lý và phân công vụ việc "
        "này để có thể xử lý." in page
    )
    desk_page = client_for(clerk_a).get(f"/cases/{late.code}/").content.decode()
    assert 'data-testid="waits-for-desk"' not in desk_page


def test_a_second_instance_chosen_before_another_kind_is_not_held_against_the_desk(
    client_for, clerk_a, org, rules
):
    client = client_for(clerk_a)
    form = client.get("/cases/new/").content.decode()
    # Shown under "khiếu nại" only (hailong.css), as the public form's box.
    assert '<div class="desk-instance" data-testid="instance-field">' in form
    response = client.post(
        "/cases/new/",
        {
            "channel": "desk",
            "kind": "pakn",
            "instance": "second",
            "unit": org.unit_a.pk,
            "content": "Phản ánh thời gian chờ.",
        },
    )
    assert response.status_code == 302
    assert Case.objects.get().instance == "first"


def test_the_desk_error_banner_lists_the_fields_at_fault(client_for, clerk_a, org, rules):
    response = client_for(clerk_a).post(
        "/cases/new/",
        {
            "channel": "desk",
            "kind": "complaint",
            "unit": org.unit_a.pk,
            "content": "Nội dung dài",
            "contact_phone": "12",
        },
    )
    assert response.status_code == 400
    banner = response.content.decode().split('data-testid="form-errors">')[1].split("</ul>")[0]
    assert banner == (
        '<li><a href="#id_contact_name">Họ và tên</a>: Khiếu nại, tố cáo phải có họ tên người '
        "khiếu nại, tố cáo.</li>"
        '<li><a href="#id_contact_phone">Điện thoại</a>: Nhập số điện thoại Việt Nam, ví dụ '
        "0912 345 678 hoặc +84 912 345 678.</li>"
        '<li><a href="#id_consent">Người gửi đồng ý để cơ quan lưu …</a>: Nếu muốn để lại họ tên '
        "hoặc thông tin liên hệ, Ông/Bà vui lòng đánh dấu vào ô đồng ý; nếu không, xin để trống "
        "các ô này.</li>"
    )
