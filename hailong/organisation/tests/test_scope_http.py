"""A unit officer of unit A cannot list, open or change anything of unit B, on every staff URL.

`STAFF_URLS` classifies every URL name the project has; `test_every_url_is_classified` fails
when a new URL is added without saying here how it is scoped, so no page escapes this test.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from hailong.organisation.models import Staff

# name -> how it is checked: "list" (B's objects must not appear), "detail" (B's object is a
# 404), "role" (403 for an officer), "public" (no data of any unit), "admin" (admin only).
STAFF_URLS = {
    "home": "list",
    "organisation:unit_list": "list",
    "organisation:unit_detail": "detail",
    "organisation:service_list": "list",
    "organisation:service_detail": "detail",
    "organisation:point_list": "list",
    "organisation:point_detail": "detail",
    "organisation:staff_list": "list",
    "organisation:catalogue_import": "role",
    "organisation:catalogue_import_confirm": "role",
    "login": "public",
    "logout": "public",
    "password_change": "public",
    "unlock": "role",
    "set_language": "public",
    # Citizens' pages: no login, and nothing of any unit beyond its public name.
    "public:survey_form": "public",
    "public:thanks": "public",
    "public:kiosk": "public",
    "public:kiosk_config": "public",  # device token, not staff login
    "public:kiosk_taps": "public",
}


def _url_names(patterns, prefix="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # the admin is checked below, model by model
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _url_names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_url_is_classified():
    names = _url_names(get_resolver().url_patterns)
    assert names - set(STAFF_URLS) == set(), "classify new URLs in STAFF_URLS"


def b_objects(org):
    return {
        "organisation:unit_detail": f"/org/units/{org.unit_b.pk}/",
        "organisation:service_detail": f"/org/procedures/{org.service_b.pk}/",
        "organisation:point_detail": f"/org/service-points/{org.point_b.pk}/",
    }


def test_officer_a_gets_404_on_every_object_of_unit_b(client_for, officer_a, officer_b, org):
    client = client_for(officer_a)
    urls = b_objects(org)
    assert set(urls) == {n for n, kind in STAFF_URLS.items() if kind == "detail"}
    for url in urls.values():
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code in (404, 405), url


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
    ],
)
def test_lists_never_show_unit_b_to_officer_a(client_for, officer_a, officer_b, org, url):
    page = client_for(officer_a).get(url).content.decode()
    for text in (
        "Phòng Đất đai B",
        "Đăng ký biến động đất đai B",
        "Quầy B",
        "Cán Bộ B",
        "1.012783",
    ):
        assert text not in page, (url, text)


def test_htmx_fragments_are_scoped_too(client_for, officer_a, org):
    page = client_for(officer_a).get("/org/procedures/?q=", HTTP_HX_REQUEST="true")
    assert "1.012783" not in page.content.decode()
    assert "1.001193" in page.content.decode()


def test_role_pages_refuse_officers(client_for, officer_a):
    client = client_for(officer_a)
    assert client.get("/org/procedures/import/").status_code == 403
    assert client.post("/org/procedures/import/confirm/").status_code == 403


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
