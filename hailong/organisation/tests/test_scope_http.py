"""A unit officer of unit A cannot list, open or change anything of unit B, on every staff URL.

`STAFF_URLS` is how each URL of tests/security/routes.py is scoped; the URL walk there fails
when a new URL is added without saying how it is scoped, so no page escapes these tests.
"""

from __future__ import annotations

import pytest

from hailong.organisation.models import Staff
from tests.security.routes import ROUTES

# name -> how it is checked: "list" (B's objects must not appear), "detail" (B's object is a
# 404), "role" (403 for an officer), "public" (no data of any unit). The one table of every URL
# is tests/security/routes.py; tests/security/test_url_walk.py fails on a URL missing there.
STAFF_URLS = {name: route.scope for name, route in ROUTES.items()}


def _refused_b(role, name) -> tuple[int, int]:
    """What a person of unit A gets for unit B's object (GET, POST): 403 where their role may
    not use the page at all; else a 404, or 405 for a POST to a page that takes no POST."""
    route = ROUTES[name]
    if role not in route.who:
        return 403, 403
    return 404, 404 if "POST" in route.methods else 405


def objects_of(org, unit, service, point, sipas, admin):
    """One object of each detail URL, all belonging to `unit`."""
    from datetime import timedelta

    from django.utils import timezone

    from hailong.surveys.models import Campaign
    from hailong.surveys.services.paper import paper_batch_allocate
    from hailong.surveys.services.responses import Submission, response_submit

    campaign = Campaign.objects.create(
        name=f"Đợt {unit.code}",
        version=sipas,
        starts_on=timezone.localdate() - timedelta(days=30),
        ends_on=timezone.localdate() + timedelta(days=30),
        channels=["web", "paper"],
        status="open",
    )
    campaign.units.set([unit])
    response = response_submit(
        Submission(version=sipas, unit=unit, channel="web", answers={"HL": "4"}, campaign=campaign)
    ).response
    batch = paper_batch_allocate(version=sipas, count=1, campaign=campaign, unit=unit, actor=admin)
    from hailong.feedback.intake import CaseIntake, Upload
    from hailong.feedback.services import case_receive

    case, _created = case_receive(
        CaseIntake(
            kind="pakn",
            channel="desk",
            unit=unit,
            title=f"Phản ánh tại {point.name}",
            content="Nội dung phản ánh",
            attachments=[Upload("a.pdf", "application/pdf", b"%PDF-1.4")],
        )
    )
    attachment = case.attachments.get()
    from django.core.files.base import ContentFile

    from hailong.surveys.models import ResponseExport

    export = ResponseExport.objects.create(
        file_format="csv", filename="x.csv", query={"unit": str(unit.pk)}, created_by=admin
    )
    export.file.save("x.csv", ContentFile(b"id\n"))
    return {
        "feedback:case_detail": f"/cases/{case.code}/",
        "feedback:case_receipt": f"/cases/{case.code}/receipt.pdf",
        "feedback:case_attachment": f"/cases/{case.code}/files/{attachment.pk}/",
        "feedback:case_action": f"/cases/{case.code}/close/",
        "feedback:case_officers": f"/cases/{case.code}/officers/?unit={unit.pk}",
        "organisation:unit_detail": f"/org/units/{unit.pk}/",
        "organisation:service_detail": f"/org/procedures/{service.pk}/",
        "organisation:point_detail": f"/org/service-points/{point.pk}/",
        "surveys:campaign_detail": f"/surveys/campaigns/{campaign.pk}/",
        "surveys:campaign_edit": f"/surveys/campaigns/{campaign.pk}/edit/",
        "surveys:campaign_status": f"/surveys/campaigns/{campaign.pk}/status/",
        "surveys:campaign_invite": f"/surveys/campaigns/{campaign.pk}/invite/",
        "surveys:paper_print": f"/surveys/paper/{campaign.pk}/print/",
        "surveys:paper_entry": f"/surveys/paper/{campaign.pk}/entry/",
        "surveys:paper_batch_pdf": f"/surveys/paper/batches/{batch.pk}.pdf",
        "surveys:point_poster": f"/surveys/service-points/{point.pk}/poster.pdf",
        "surveys:point_collection": f"/surveys/service-points/{point.pk}/",
        "surveys:response_detail": f"/surveys/responses/{response.pk}/",
        "surveys:response_correct": f"/surveys/responses/{response.pk}/correct/",
        "surveys:export_detail": f"/surveys/exports/{export.pk}/",
        "surveys:export_download": f"/surveys/exports/{export.pk}/download/",
    }


def test_staff_of_unit_a_cannot_open_any_object_of_unit_b(
    client_for, officer_a, clerk_a, officer_b, admin_user, sipas, org
):
    urls = objects_of(org, org.unit_b, org.service_b, org.point_b, sipas, admin_user)
    assert set(urls) == {n for n, kind in STAFF_URLS.items() if kind == "detail"}
    for person in (officer_a, clerk_a):
        client = client_for(person)
        for name, url in urls.items():
            got = (client.get(url).status_code, client.post(url, {"status": "closed"}).status_code)
            assert (person.role, name, got) == (person.role, name, _refused_b(person.role, name))


def test_the_same_pages_open_for_unit_a(client_for, clerk_a, secretary, admin_user, sipas, org):
    urls = objects_of(org, org.unit_a, org.service_a, org.point_a, sipas, admin_user)
    clerk = client_for(clerk_a)
    for name in (
        "organisation:unit_detail",
        "organisation:point_detail",
        "surveys:campaign_detail",
        "surveys:paper_print",
        "surveys:paper_entry",
        "surveys:paper_batch_pdf",
        "surveys:point_poster",
        "surveys:response_detail",
        "feedback:case_detail",
        "feedback:case_receipt",
        "feedback:case_attachment",
    ):
        assert clerk.get(urls[name]).status_code == 200, name


def test_officer_a_opens_the_same_pages_for_unit_a(client_for, officer_a, org):
    client = client_for(officer_a)
    for url in (
        f"/org/units/{org.unit_a.pk}/",
        f"/org/units/{org.unit_a1.pk}/",
        f"/org/procedures/{org.service_a.pk}/",
        f"/org/service-points/{org.point_a.pk}/",
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/org/units/",
        "/org/procedures/",
        "/org/service-points/",
        "/org/staff/",
        "/org/procedures/?q=dat",
        "/org/procedures/?q=B",
        "/surveys/responses/",
        "/surveys/campaigns/",
        "/surveys/paper/",
        "/cases/?view=all",
        "/cases/?view=unassigned",
        "/cases/statistics/?period=2026&by=unit",
        "/cases/statistics/?period=2026&by=service",
    ],
)
def test_lists_never_show_unit_b_to_officer_a(
    client_for, officer_a, officer_b, admin_user, sipas, org, url
):
    objects_of(org, org.unit_b, org.service_b, org.point_b, sipas, admin_user)
    page = client_for(officer_a).get(url).content.decode()
    for text in (
        "Phòng Đất đai B",
        "Đăng ký biến động đất đai B",
        "Đợt UB",
        "Quầy B",
        "Cán Bộ B",
        "1.012783",
    ):
        assert text not in page, (url, text)


def test_htmx_fragments_are_scoped_too(client_for, officer_a, org):
    page = client_for(officer_a).get("/org/procedures/?q=", HTTP_HX_REQUEST="true")
    assert "1.012783" not in page.content.decode()
    assert "1.001193" in page.content.decode()


def test_role_pages_refuse_officers(client_for, officer_a, secretary, sipas):
    from hailong.core.imports import file_import_start

    client = client_for(officer_a)
    assert client.get("/org/procedures/import/").status_code == 403
    upload = file_import_start(kind="catalogue", data=b"code\n", filename="a.csv", actor=secretary)
    for action in ("", "confirm/", "cancel/"):
        got = client.post(f"/imports/{upload.pk}/{action}").status_code
        assert (action, got) == (action, 405 if action == "" else 403)
        assert client.get(f"/imports/{upload.pk}/").status_code == 403
    for url in [
        "/surveys/questionnaires/",
        f"/surveys/versions/{sipas.pk}/",
        f"/surveys/versions/{sipas.pk}/export.json",
        "/surveys/campaigns/new/",
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/surveys/versions/{sipas.pk}/draft/").status_code == 403


ADMIN_MODELS = [
    "organisation/unit",
    "organisation/service",
    "organisation/servicepoint",
    "organisation/staff",
    "organisation/servicefield",
    "core/calendarday",
    "core/auditentry",
]


def test_officers_cannot_use_the_admin_at_all(client_for, officer_a, officer_b, org):
    client = client_for(officer_a)
    targets = {
        "organisation/unit": org.unit_b.pk,
        "organisation/service": org.service_b.pk,
        "organisation/servicepoint": org.point_b.pk,
        "organisation/staff": officer_b.pk,
    }
    for model in ADMIN_MODELS:
        for url in [f"/admin/{model}/", f"/admin/{model}/add/"] + (
            [f"/admin/{model}/{targets[model]}/change/", f"/admin/{model}/{targets[model]}/delete/"]
            if model in targets
            else []
        ):
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    response = client.post(
        f"/admin/organisation/servicepoint/{org.point_b.pk}/change/",
        {"name": "Đổi tên", "unit": org.unit_b.pk, "code": "qb", "kind": "counter"},
    )
    assert response.status_code == 302
    org.point_b.refresh_from_db()
    assert org.point_b.name == "Quầy B"


def test_anonymous_visitors_are_sent_to_login(client, org):
    for url in [
        "/",
        "/org/units/",
        f"/org/units/{org.unit_a.pk}/",
        "/org/procedures/",
        "/org/service-points/",
        "/org/staff/",
        "/org/procedures/import/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_staff_model_has_no_extra_visibility_paths():
    # Guard: the scope must come from units; a new M2M or FK to Unit on Staff needs this test.
    relations = {
        f.name
        for f in Staff._meta.get_fields()
        if getattr(f, "related_model", None) and f.related_model.__name__ == "Unit"
    }
    assert relations == {"units"}
