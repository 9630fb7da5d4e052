"""Phones are stored in their national form wherever a case takes one, and the desk finds a
case however the number is written (trial of issue 11, finding 1)."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from hailong.feedback.models import Case

pytestmark = pytest.mark.django_db


def test_the_desk_intake_stores_the_national_form(client_for, clerk_a, org, rules):
    response = client_for(clerk_a).post(
        "/cases/new/",
        {
            "channel": "phone",
            "kind": "pakn",
            "unit": org.unit_a1.pk,
            "content": "Phản ánh thái độ cán bộ.",
            "contact_name": "Nguyễn Văn An",
            "contact_phone": "+84 912.345.679",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.contact_phone, case.lookup_pin) == ("0912345679", "5679")


def test_the_public_case_form_stores_the_national_form(client, org, rules):
    response = client.post(
        "/phan-anh/",
        {
            "kind": "pakn",
            "unit": org.unit_a.pk,
            "content": "Phản ánh thời gian chờ.",
            "contact_name": "Hoàng Thị Em",
            "contact_phone": "0084 (987) 654-321",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    assert Case.objects.get().contact_phone == "0987654321"


def test_a_number_that_is_not_vietnamese_is_refused_not_rewritten(client, org, rules):
    response = client.post(
        "/phan-anh/",
        {
            "kind": "pakn",
            "unit": org.unit_a.pk,
            "content": "Phản ánh thời gian chờ.",
            "contact_name": "Hoàng Thị Em",
            "contact_phone": "+84 12",
            "consent": "on",
        },
    )
    assert response.status_code == 400
    assert 'value="+84 12"' in response.content.decode()


@pytest.mark.parametrize(
    "query", ["0912345679", "0912 345 679", "+84 912.345.679", "0084912345679", "912345679"]
)
def test_the_case_search_finds_the_number_however_it_is_written(
    client_for, clerk_a, new_case, query
):
    case = new_case(contact_name="Nguyễn Văn An", contact_phone="0912345679", consent_given=True)
    other = new_case(contact_name="Trần Thị Bình", contact_phone="0987654321", consent_given=True)
    page = client_for(clerk_a).get("/cases/", {"view": "all", "q": query}).content.decode()
    assert f"/cases/{case.code}/" in page
    assert f"/cases/{other.code}/" not in page


def test_the_migration_canonicalises_stored_phones_that_pass_the_check(
    client_for, clerk_a, new_case
):
    typed = new_case(contact_name="Nguyễn Văn An", contact_phone="0912345679", consent_given=True)
    odd = new_case(contact_name="Trần Thị Bình", contact_phone="0987654321", consent_given=True)
    # As stored before the national form: exactly as typed, digits in the search text as typed.
    Case.objects.filter(pk=typed.pk).update(
        contact_phone="+84 912.345.679", search_text="nguyen van an | 84912345679"
    )
    Case.objects.filter(pk=odd.pk).update(contact_phone="12 34", search_text="tran thi binh | 1234")
    migration = import_module("hailong.feedback.migrations.0009_canonical_phones")
    migration.canonical_phones(apps, None)
    typed.refresh_from_db()
    odd.refresh_from_db()
    assert typed.contact_phone == "0912345679"
    assert "0912345679" in typed.search_text
    assert odd.contact_phone == "12 34"
    page = client_for(clerk_a).get("/cases/", {"view": "all", "q": "0912345679"}).content.decode()
    assert f"/cases/{typed.code}/" in page
