"""Rules that a review found missing: each test is one way a case could go wrong."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client

from conftest import make_staff
from hailong.core.models import AuditEntry
from hailong.core.periods import LOCAL_TZ, parse_period
from hailong.feedback.models import Case
from hailong.feedback.receipt import receipt_rows
from hailong.feedback.services import case_answer, case_rate, case_refuse, case_reopen
from hailong.feedback.statistics import case_statistics
from hailong.organisation.models import Role

pytestmark = pytest.mark.django_db


def post(client, case, action, **data):
    case.refresh_from_db()
    data.setdefault("version", case.version)
    return client.post(f"/cases/{case.code}/{action}/", data)


def granted(username, role, units, name):
    person = make_staff(username, role, units, name)
    person.user_permissions.add(Permission.objects.get(codename="handle_denunciation"))
    return person


def denunciation(new_case, org, **extra):
    return new_case(
        kind="denunciation",
        unit=org.unit_a,
        contact_name="Người Tố Cáo",
        contact_phone="0911222333",
        consent_given=True,
        title="Trưởng phòng A nhận tiền",
        **extra,
    )


def test_a_denunciation_starts_above_the_unit_it_is_about(new_case, org):
    assert denunciation(new_case, org).handling_unit == org.root


def test_a_denunciation_cannot_change_kind_nor_a_case_become_one(client_for, org, new_case):
    desk = client_for(granted("tiepdan", Role.CLERK, [org.root], "Tiếp Dân"))
    case = denunciation(new_case, org)
    response = post(desk, case, "update", kind="pakn")
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.kind == "denunciation"
    pakn = new_case(contact_name="B", contact_phone="0912000000", consent_given=True)
    assert post(desk, pakn, "update", kind="denunciation").status_code == 400


def test_an_anonymous_suggestion_cannot_become_a_complaint(client_for, clerk_a, new_case):
    case = new_case()
    assert post(client_for(clerk_a), case, "update", kind="complaint").status_code == 400
    case.refresh_from_db()
    assert case.kind == "pakn"


def test_setting_and_clearing_the_procedure(client_for, clerk_a, org, new_case):
    case = new_case()
    desk = client_for(clerk_a)
    assert post(desk, case, "update", service=org.service_a.pk).status_code == 302
    case.refresh_from_db()
    assert case.service == org.service_a
    entry = AuditEntry.objects.filter(action="case.update").latest("at")
    assert entry.after["service"] == org.service_a.pk
    assert post(desk, case, "update", service=org.service_b.pk).status_code == 400  # not A's
    assert post(desk, case, "update", service="").status_code == 302
    case.refresh_from_db()
    assert case.service is None


def test_a_partial_post_changes_only_what_it_sends(client_for, clerk_a, new_case):
    case = new_case(dossier_code="HS-1", is_complex=True)
    assert post(client_for(clerk_a), case, "update", title="Tiêu đề mới").status_code == 302
    case.refresh_from_db()
    assert case.title == "Tiêu đề mới" and case.dossier_code == "HS-1" and case.is_complex


@pytest.mark.parametrize("version", [None, "", "abc"])
def test_a_post_without_a_valid_version_is_refused(client_for, clerk_a, new_case, version):
    case = new_case()
    data = {"title": "Ghi đè"}
    if version is not None:
        data["version"] = version
    response = client_for(clerk_a).post(f"/cases/{case.code}/update/", data)
    assert response.status_code == 409
    assert "Ghi đè" in response.content.decode()
    case.refresh_from_db()
    assert case.title != "Ghi đè" and case.version == 1


def test_accept_and_assign_is_all_or_nothing(client_for, clerk_a, officer_b, org, new_case):
    case = new_case()
    response = post(client_for(clerk_a), case, "accept", unit=org.unit_a.pk, officer=officer_b.pk)
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == "received" and case.version == 1
    response = post(client_for(clerk_a), case, "accept", unit=org.unit_a.pk, officer="99999")
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == "received"


def test_a_case_given_to_a_unit_without_an_officer_waits_for_the_desk(
    client_for, clerk_a, org, new_case
):
    case = new_case()
    desk = client_for(clerk_a)
    page = desk.get(f"/cases/{case.code}/").content.decode()
    assert "selected" not in page.split('id="accept-unit"')[1].split("</select>")[0]
    post(desk, case, "accept", unit=org.unit_a1.pk)
    case.refresh_from_db()
    assert case.status == "assigned" and case.assignee is None
    assert case.code in desk.get("/cases/?view=unassigned").content.decode()


def test_the_unit_concerned_follows_but_cannot_answer_for_another_unit(
    client_for, clerk_a, officer_a, org, new_case
):
    admin_desk = make_staff("tiepnhan_tinh", Role.CLERK, [org.root], "Tiếp Nhận Tỉnh")
    case = new_case(unit=org.unit_a)
    post(client_for(admin_desk), case, "accept", unit=org.unit_b.pk)
    officer = client_for(officer_a)
    page = officer.get(f"/cases/{case.code}/")
    assert page.status_code == 200 and 'data-testid="form-answer"' not in page.content.decode()
    assert post(officer, case, "answer", reply="Trả lời thay").status_code == 403
    case.refresh_from_db()
    assert case.status == "assigned"


def test_a_denunciation_goes_only_to_granted_people_outside_the_unit(
    client_for, org, officer_a, inspector, inspection_unit, new_case
):
    case = denunciation(new_case, org)
    desk = client_for(granted("tiepdan", Role.CLERK, [org.root], "Tiếp Dân"))
    assert post(desk, case, "accept", unit=org.unit_a.pk).status_code == 400  # the unit itself
    assert (
        post(desk, case, "accept", unit=org.root.pk, officer=officer_a.pk).status_code == 400
    )  # not granted
    deputy = granted("phophong", Role.OFFICER, [org.unit_a, org.root], "Phó Phòng A")
    assert post(desk, case, "accept", unit=org.root.pk, officer=deputy.pk).status_code == 400
    options = desk.get(f"/cases/{case.code}/officers/?unit={org.root.pk}").content.decode()
    assert inspector.full_name in options
    assert officer_a.full_name not in options and deputy.full_name not in options
    assert (
        post(desk, case, "accept", unit=inspection_unit.pk, officer=inspector.pk).status_code == 302
    )


def test_the_audit_log_does_not_repeat_a_denunciations_subject(client_for, org, new_case):
    case = denunciation(new_case, org)
    desk_person = granted("tiepdan", Role.CLERK, [org.root], "Tiếp Dân")
    post(client_for(desk_person), case, "refuse", reason="Trưởng phòng A đã nghỉ hưu")
    for entry in AuditEntry.objects.filter(target_id=str(case.pk)):
        assert "Trưởng phòng" not in entry.target_repr
        assert "Trưởng phòng" not in str(entry.before) + str(entry.after)


def test_the_desk_prints_the_receipt_of_a_denunciation_it_cannot_follow(
    client_for, clerk_a, org, rules
):
    client = client_for(clerk_a)
    response = client.post(
        "/cases/new/",
        {
            "channel": "desk",
            "kind": "denunciation",
            "unit": org.unit_a1.pk,
            "content": "Tố cáo cán bộ",
            "contact_name": "Người Tố Cáo",
            "contact_address": "Ấp 1",
            "consent": "on",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and f"recorded={case.code}" in response.url
    assert client.get(f"/cases/{case.code}/").status_code == 404
    assert client.get(f"/cases/{case.code}/receipt.pdf").status_code == 200
    assert case.code in client.get(response.url).content.decode()


def test_a_named_case_without_phone_opens_with_its_pin_not_the_code_alone(client, org, rules):
    client.post(
        "/phan-anh/",
        {
            "kind": "complaint",
            "unit": org.unit_a.pk,
            "content": "Khiếu nại",
            "contact_name": "Lý H",
            "contact_address": "Số 2, ấp 3",
            "consent": "on",
        },
    )
    case = Case.objects.get()
    assert len(case.lookup_pin) == 4 and not case.pin_is_phone
    assert case.lookup_pin in client.get(f"/phan-anh/da-nhan/{case.code}/").content.decode()
    labels = [label for label, _value in receipt_rows(case, show_identity=False)]
    assert "From" not in labels and "Người gửi" not in labels
    citizen = Client()
    assert citizen.post("/tra-cuu/", {"code": case.code, "phone_last4": ""}).status_code == 400
    ok = citizen.post("/tra-cuu/", {"code": case.code, "phone_last4": case.lookup_pin})
    assert ok.status_code == 302


@pytest.mark.time_machine(datetime(2026, 3, 2, 9, tzinfo=LOCAL_TZ))
def test_reopening_gives_a_fresh_period_and_keeps_the_rating(clerk_a, officer_a, org, new_case):
    case = new_case(received=datetime(2026, 1, 5, 9))  # due 19/1
    case = case_refuse(case=case, actor=clerk_a, expected_version=None, reason="Trùng")
    case = case_reopen(case=case, actor=clerk_a, expected_version=None, reason="Không trùng")
    assert case.status == "received"
    assert case.due_on == date(2026, 3, 16)  # 10 working days from the reopening on 2/3
    Case.objects.filter(pk=case.pk).update(status="in_progress", assignee=officer_a)
    case.refresh_from_db()
    case = case_answer(case=case, actor=officer_a, expected_version=None, reply="Trả lời")
    case = case_rate(case=case, rating=1)
    case = case_reopen(case=case, actor=clerk_a, expected_version=None, reason="Chưa thỏa đáng")
    assert case.rating == 1  # still counted
    case = case_answer(case=case, actor=officer_a, expected_version=None, reply="Trả lời lại")
    case = case_rate(case=case, rating=3)  # the new answer may be rated
    assert case.rating == 3 and case.status == "closed"


def test_an_overdue_case_is_shown_overdue_over_a_weekend(client_for, clerk_a, new_case):
    case = new_case(received=datetime(2026, 2, 27, 9))  # due Friday 13/3
    assert case.due_on == date(2026, 3, 13)
    with time_machine.travel(datetime(2026, 3, 14, 9, tzinfo=LOCAL_TZ)):  # Saturday
        page = client_for(clerk_a).get(f"/cases/{case.code}/").content.decode()
    assert 'data-testid="due"' in page and "message--error" in page.split('data-testid="due"')[0]


def test_a_complaint_not_accepted_in_time_counts_as_late(secretary, new_case):
    new_case(
        kind="complaint",
        received=datetime(2026, 3, 2, 9),
        contact_name="C",
        contact_phone="0912000000",
        consent_given=True,
    )
    _rows, total = case_statistics(
        secretary,
        period=parse_period("2026"),
        grouping="kind",
        today=date(2026, 6, 1),
    )
    assert total.decided == 1 and total.on_time == 0 and total.overdue_now == 1


def test_a_clerk_of_another_unit_gets_404_not_403(client_for, org, new_case):
    clerk_b = make_staff("tiepnhan_b", Role.CLERK, [org.unit_b], "Tiếp Nhận B")
    case = new_case()
    client = client_for(clerk_b)
    for action in ("accept", "refuse", "assign", "update", "transfer", "answer", "note"):
        response = client.post(f"/cases/{case.code}/{action}/", {"version": 1, "reason": "x"})
        assert response.status_code == 404, action
    assert client.get(f"/cases/{case.code}/officers/?unit={org.unit_b.pk}").status_code == 404


def test_the_desk_finds_a_case_by_name_phone_or_words_without_accents(
    client_for, clerk_a, org, new_case
):
    case = new_case(
        title="Chậm cấp giấy chứng nhận",
        contact_name="Nguyễn Thị Hồng",
        contact_phone="0912 345 678",
        consent_given=True,
    )
    hidden = denunciation(new_case, org)
    desk = client_for(granted("tiepdan", Role.CLERK, [org.root], "Tiếp Dân"))
    for query in ("nguyen thi hong", "0912345678", "345 678", "cham cap", case.code.lower()):
        assert case.code in desk.get(f"/cases/?view=all&q={query}").content.decode(), query
    assert hidden.code not in desk.get("/cases/?view=all&q=nguoi to cao").content.decode()


def test_not_satisfied_ratings_have_their_own_list(client_for, clerk_a, officer_a, new_case):
    case = new_case(contact_phone="0912000111", consent_given=True)
    Case.objects.filter(pk=case.pk).update(status="in_progress", assignee=officer_a)
    case.refresh_from_db()
    case = case_answer(case=case, actor=officer_a, expected_version=None, reply="Đã xử lý")
    case_rate(case=case, rating=1)
    page = client_for(clerk_a).get("/cases/?view=unsatisfied").content.decode()
    assert case.code in page


@pytest.mark.time_machine(datetime(2026, 2, 24, 9, tzinfo=LOCAL_TZ))  # after Tết 2026
def test_the_desk_records_when_a_letter_arrived(client_for, clerk_a, org, rules):
    data = {
        "channel": "letter",
        "kind": "pakn",
        "unit": org.unit_a.pk,
        "content": "Thư góp ý",
        "received_at": "2026-02-13T09:30",
    }
    client = client_for(clerk_a)
    assert client.post("/cases/new/", data).status_code == 302
    case = Case.objects.get()
    assert case.received_on == date(2026, 2, 13) and case.answer_due_on == date(2026, 3, 6)
    data["received_at"] = "2026-02-25T08:00"  # tomorrow
    response = client.post("/cases/new/", data)
    assert response.status_code == 400 and Case.objects.count() == 1


def test_history_is_written_in_vietnamese_whatever_the_staff_language(
    client_for, clerk_a, org, new_case
):
    from hailong.feedback.models import CaseEvent

    case = new_case()
    client = client_for(clerk_a)
    client.cookies["hailong_language"] = "en"
    post(client, case, "accept", unit=org.unit_a.pk)
    post(client, case, "transfer", agency="Sở Xây dựng")
    texts = " ".join(CaseEvent.objects.filter(case=case).values_list("text", flat=True))
    assert "Assigned to" not in texts and "Sent to" not in texts
    assert "Sở Xây dựng" in texts


def test_a_granted_person_never_handles_a_denunciation_about_their_own_unit(
    client_for, org, inspector, inspection_unit, new_case
):
    case = denunciation(new_case, org)
    desk = client_for(granted("tiepdan", Role.CLERK, [org.root], "Tiếp Dân"))
    post(desk, case, "accept", unit=inspection_unit.pk)
    deputy = granted("phophong", Role.CLERK, [org.unit_a, org.root], "Phó Phòng A")
    client = client_for(deputy)
    page = client.get(f"/cases/{case.code}/")
    assert page.status_code == 200 and 'data-testid="actions"' not in page.content.decode()
    for action in ("start", "answer", "assign", "return", "note", "transfer"):
        response = post(client, case, action, reply="x", text="x", reason="x", agency="x")
        assert response.status_code == 403, action
    case.refresh_from_db()
    assert case.assignee is None and case.status == "assigned"


@pytest.mark.time_machine(datetime(2026, 3, 2, 9, tzinfo=LOCAL_TZ))
def test_a_late_answer_stays_late_after_a_reopening(secretary, clerk_a, officer_a, new_case):
    case = new_case(received=datetime(2026, 1, 5, 9))  # due 19/1, answered on 2/3
    Case.objects.filter(pk=case.pk).update(status="in_progress", assignee=officer_a)
    case.refresh_from_db()
    case = case_answer(case=case, actor=officer_a, expected_version=None, reply="Muộn")
    assert case.missed_deadline
    case = case_reopen(case=case, actor=clerk_a, expected_version=None, reason="Chưa đủ")
    case = case_answer(case=case, actor=officer_a, expected_version=None, reply="Lần hai")
    _rows, total = case_statistics(
        secretary, period=parse_period("2026"), grouping="kind", today=date(2026, 3, 2)
    )
    assert total.on_time == 0 and total.pakn_overdue == 1


def test_a_late_acceptance_counts_as_late_even_when_answered_in_time(
    secretary, clerk_a, officer_a, new_case
):
    from hailong.feedback.services import case_accept

    case = new_case(
        kind="complaint",
        received=datetime(2026, 1, 5, 9),
        contact_name="C",
        contact_phone="0912000000",
        consent_given=True,
    )  # accept by 15/1
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=LOCAL_TZ)):
        case = case_accept(case=case, actor=clerk_a, expected_version=None)
    assert case.missed_deadline
    Case.objects.filter(pk=case.pk).update(
        status="answered", answered_on=date(2026, 3, 10), due_on=None
    )
    _rows, total = case_statistics(
        secretary, period=parse_period("2026"), grouping="kind", today=date(2026, 6, 1)
    )
    assert total.decided == 1 and total.on_time == 0


def test_a_reopened_period_survives_corrections_and_acceptance(clerk_a, new_case):
    from hailong.feedback.services import case_accept, case_update

    case = new_case(received=datetime(2026, 1, 5, 9))
    case = case_refuse(case=case, actor=clerk_a, expected_version=None, reason="Trùng")
    with time_machine.travel(datetime(2026, 5, 4, 9, tzinfo=LOCAL_TZ)):
        case = case_reopen(case=case, actor=clerk_a, expected_version=None, reason="Không trùng")
        assert case.due_on == date(2026, 5, 18)
        case = case_update(
            case=case, actor=clerk_a, expected_version=None, changes={"dossier_code": "HS-2"}
        )
        assert case.due_on == date(2026, 5, 18)
        case = case_accept(case=case, actor=clerk_a, expected_version=None)
        assert case.answer_due_on == date(2026, 5, 18)


def test_an_old_not_satisfied_rating_leaves_the_list_once_answered_again(
    client_for, clerk_a, officer_a, new_case
):
    case = new_case(contact_phone="0912000111", consent_given=True)
    Case.objects.filter(pk=case.pk).update(status="in_progress", assignee=officer_a)
    case.refresh_from_db()
    case = case_answer(case=case, actor=officer_a, expected_version=None, reply="Một")
    case = case_rate(case=case, rating=1)
    case = case_reopen(case=case, actor=clerk_a, expected_version=None, reason="Lại")
    case_answer(case=case, actor=officer_a, expected_version=None, reply="Hai")
    assert case.code not in client_for(clerk_a).get("/cases/?view=unsatisfied").content.decode()


def test_the_correction_form_keeps_a_procedure_outside_the_editors_scope(
    client, client_for, clerk_a, org, rules
):
    client.post(
        "/phan-anh/",
        {"kind": "pakn", "unit": org.unit_a.pk, "service": org.service_b.pk, "content": "X"},
    )
    case = Case.objects.get()
    desk = client_for(clerk_a)
    form = desk.get(f"/cases/{case.code}/").content.decode()
    assert f'value="{org.service_b.pk}" selected' in form
    assert post(desk, case, "update", title="Mới", service=org.service_b.pk).status_code == 302
    case.refresh_from_db()
    assert case.service == org.service_b and case.title == "Mới"


def test_a_phone_with_spaces_is_asked_for_as_a_phone(new_case):
    case = new_case(contact_name="D", contact_phone="0912 345 678", consent_given=True)
    assert case.lookup_pin == "5678" and case.pin_is_phone


def test_accepting_with_an_officer_but_no_unit_assigns_in_the_current_unit(
    client_for, clerk_a, officer_a, org, new_case
):
    case = new_case()
    assert post(client_for(clerk_a), case, "accept", officer=officer_a.pk).status_code == 302
    case.refresh_from_db()
    assert case.assignee == officer_a and case.handling_unit == org.unit_a


def test_an_officer_cannot_hand_back_a_colleagues_case(
    client_for, clerk_a, officer_a, org, new_case
):
    colleague = make_staff("canbo_a2", Role.OFFICER, [org.unit_a], "Cán Bộ A2")
    case = new_case()
    post(client_for(clerk_a), case, "accept", unit=org.unit_a.pk, officer=colleague.pk)
    assert (
        post(client_for(officer_a), case, "return", reason="Không phải của tôi").status_code == 400
    )
    case.refresh_from_db()
    assert case.assignee == colleague


def test_an_unassigned_denunciation_reminds_the_granted_inspector(org, inspector, new_case):
    from hailong.feedback.reminders import reminders_for

    case = denunciation(new_case, org, received=datetime(2026, 1, 5, 9))
    found = {r.staff.username: r for r in reminders_for(date(2026, 3, 2))}
    assert "thanhtra" in found and case in found["thanhtra"].overdue
