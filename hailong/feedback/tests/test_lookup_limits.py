"""Issue 10 §9: wrong PINs are limited per code and address, so nobody can keep a citizen
from their own case; an empty PIN is a form error, not a wrong guess."""

from __future__ import annotations

import pytest
from django.test import Client

from hailong.feedback.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(client, org, rules):
    client.post(
        "/phan-anh/",
        {
            "kind": "pakn",
            "unit": org.unit_a.pk,
            "content": "Góp ý",
            "contact_phone": "0912345678",
            "consent": "on",
        },
    )
    return Case.objects.get()


def lookup(address: str, code: str, digits: str):
    return Client(REMOTE_ADDR=address).post("/tra-cuu/", {"code": code, "phone_last4": digits})


def test_wrong_pins_from_others_do_not_keep_the_citizen_out(case, settings):
    settings.HAILONG_CASE_LOOKUP_FAILURES = (3, 86400)
    for n in range(3):  # an attacker spends the code's attempts from several addresses
        assert lookup(f"10.0.0.{n}", case.code, f"{n:04d}").status_code == 404
    for n in range(3):
        assert lookup("10.0.1.1", case.code, f"{n:04d}").status_code == 404
    assert lookup("10.0.1.1", case.code, "5678").status_code == 429  # that address is spent
    assert lookup("10.0.0.9", case.code, "5678").status_code == 302  # the citizen gets in


def test_an_empty_pin_is_a_form_error_and_not_a_wrong_guess(case, settings):
    settings.HAILONG_CASE_LOOKUP_FAILURES = (2, 86400)
    for _n in range(4):
        response = lookup("10.0.0.1", case.code, "")
        assert response.status_code == 400
        assert "không mở được trang này" in response.content.decode()
    assert lookup("10.0.0.1", case.code, "5678").status_code == 302
