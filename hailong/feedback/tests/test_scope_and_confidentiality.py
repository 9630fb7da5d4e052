"""Officers see only their scope's cases; denunciations only people granted them, and never
the denouncer's identity when they work in the unit concerned."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_staff
from hailong.api.tokens import api_token_issue
from hailong.feedback.intake import Upload
from hailong.feedback.selectors import cases_visible_to
from hailong.organisation.models import Role

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 test"


def test_an_officer_of_another_unit_gets_404_everywhere(client_for, officer_b, new_case):
    case = new_case(attachments=[Upload("don.pdf", "application/pdf", PDF)])
    attachment = case.attachments.get()
    client = client_for(officer_b)
    for url in (
        f"/cases/{case.code}/",
        f"/cases/{case.code}/receipt.pdf",
        f"/cases/{case.code}/files/{attachment.pk}/",
        f"/api/v1/cases/{case.code}",
    ):
        assert client.get(url).status_code == 404, url
    for action in ("accept", "answer", "note", "reply", "update", "assign"):
        response = client.post(f"/cases/{case.code}/{action}/", {"version": 1, "text": "x"})
        assert (action, response.status_code) == (action, 404)
    for view in ("all", "open", "unassigned", "overdue", "mine", "due_soon"):
        page = client.get(f"/cases/?view={view}").content.decode()
        assert case.code not in page and case.title not in page, view
    case.refresh_from_db()
    assert case.status == "received" and case.version == 1


def test_the_officer_of_the_unit_sees_it(client_for, officer_a, new_case):
    case = new_case(attachments=[Upload("don.pdf", "application/pdf", PDF)])
    client = client_for(officer_a)
    assert client.get(f"/cases/{case.code}/").status_code == 200
    attachment = case.attachments.get()
    download = client.get(f"/cases/{case.code}/files/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert case.code in client.get("/cases/?view=all").content.decode()
    assert client.get(f"/api/v1/cases/{case.code}").json()["status"] == "received"


def test_an_api_key_of_another_unit_gets_404(client, admin_user, org, new_case):
    case = new_case()
    _record, key_b = api_token_issue(
        system="Một cửa B", scopes=["cases"], units=[org.unit_b], actor=admin_user
    )
    _record, key_a = api_token_issue(
        system="Một cửa A", scopes=["cases"], units=[org.unit_a], actor=admin_user
    )
    url = f"/api/v1/cases/{case.code}"
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key_b}").status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key_a}").status_code == 200


def _denunciation(new_case, org):
    return new_case(
        kind="denunciation",
        unit=org.unit_a,
        contact_name="Người Tố Cáo",
        contact_phone="0911222333",
        consent_given=True,
        content="Cán bộ phòng A nhận tiền ngoài quy định.",
        attachments=[Upload("bang-chung.jpg", "image/jpeg", b"\xff\xd8\xff\xe0 photo")],
    )


def test_a_denunciation_is_invisible_without_the_grant(
    client_for, officer_a, clerk_a, secretary, admin_user, org, new_case
):
    case = _denunciation(new_case, org)
    for person in (officer_a, clerk_a, secretary, admin_user):
        client = client_for(person)
        assert client.get(f"/cases/{case.code}/").status_code == 404, person.role
        assert case.code not in client.get("/cases/?view=all").content.decode()
        assert not cases_visible_to(person).filter(pk=case.pk).exists()


def test_the_granted_desk_routes_it_to_the_inspector_who_sees_who(
    client_for, inspector, inspection_unit, officer_a, org, new_case
):
    from django.contrib.auth.models import Permission

    case = _denunciation(new_case, org)
    desk_person = make_staff("tiepdan", Role.CLERK, [org.root], "Tiếp Dân Tỉnh")
    desk_person.user_permissions.add(Permission.objects.get(codename="handle_denunciation"))
    desk = client_for(desk_person)
    response = desk.post(
        f"/cases/{case.code}/accept/",
        {"version": case.version, "unit": inspection_unit.pk, "officer": inspector.pk},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.handling_unit == inspection_unit and case.assignee == inspector
    page = client_for(inspector).get(f"/cases/{case.code}/").content.decode()
    assert "Người Tố Cáo" in page and "0911222333" in page
    assert client_for(officer_a).get(f"/cases/{case.code}/").status_code == 404


def test_the_denouncer_is_hidden_from_a_granted_person_in_the_unit_concerned(
    client_for, org, new_case
):
    from django.contrib.auth.models import Permission

    case = _denunciation(new_case, org)
    # Works in unit A, and follows the whole province (so sees the handling unit).
    deputy = make_staff("phophong_a", Role.LEADER, [org.unit_a, org.root], "Phó Phòng A")
    deputy.user_permissions.add(Permission.objects.get(codename="handle_denunciation"))
    client = client_for(deputy)
    page = client.get(f"/cases/{case.code}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Người Tố Cáo" not in text and "0911222333" not in text
    assert 'data-testid="identity-hidden"' in text
    attachment = case.attachments.get()
    assert client.get(f"/cases/{case.code}/files/{attachment.pk}/").status_code == 403
    receipt = client.get(f"/cases/{case.code}/receipt.pdf")
    assert receipt.status_code == 200


def test_a_denunciation_must_name_the_person(client, org, rules):
    response = client.post(
        "/phan-anh/",
        {"kind": "denunciation", "unit": org.unit_a.pk, "content": "Tố cáo nặc danh"},
    )
    assert response.status_code == 400


def test_attachments_are_checked(client, org, rules):
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        "/phan-anh/",
        {
            "kind": "pakn",
            "unit": org.unit_a.pk,
            "content": "Góp ý về giờ làm việc",
            "attachments": [fake],
        },
    )
    assert response.status_code == 400
    assert "Góp ý về giờ làm việc" in response.content.decode()
    exe = SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        "/phan-anh/",
        {"kind": "pakn", "unit": org.unit_a.pk, "content": "Góp ý", "attachments": [exe]},
    )
    assert response.status_code == 400


def test_an_inspector_sees_a_district_denunciation_once_the_desk_assigns_it_to_them(
    client_for, org, new_case, inspection_unit
):
    """Luật Tố cáo 2018 art. 13, 31: the head of the body above handles a denunciation about
    a unit and has its inspectorate verify it; the case stays that body's, and the inspector
    (scope: the inspectorate only) sees it once it is put in their charge, not before."""
    grant = Permission.objects.get(codename="handle_denunciation")
    desk = make_staff("tiepnhan_tinh", Role.CLERK, [org.root], "Tiếp Nhận Tỉnh")
    inspector = make_staff("thanhtra_ttr", Role.OFFICER, [inspection_unit], "Thanh Tra TTR")
    other = make_staff("thanhtra_khac", Role.OFFICER, [inspection_unit], "Thanh Tra Khác")
    for person in (desk, inspector, other):
        person.user_permissions.add(grant)
    case = _denunciation(new_case, org)
    assert case.handling_unit == org.root
    url = f"/cases/{case.code}/"
    assert client_for(inspector).get(url).status_code == 404

    response = client_for(desk).post(
        f"/cases/{case.code}/accept/",
        {"version": case.version, "unit": org.root.pk, "officer": inspector.pk},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.handling_unit, case.assignee) == (org.root, inspector)

    page = client_for(inspector).get(url)
    assert page.status_code == 200
    assert "Người Tố Cáo" in page.content.decode()
    assert case.code in client_for(inspector).get("/cases/?view=mine").content.decode()
    # Another inspector of the same unit, not given the case, still gets 404.
    assert client_for(other).get(url).status_code == 404
