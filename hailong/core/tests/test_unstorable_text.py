"""NUL (%00) in a query or a form post, and the shared JSON parser: refused with the reason
before any view reads it (PostgreSQL refuses NUL in text; SQLite would store it)."""

from __future__ import annotations

import pytest

from hailong.core.json_body import JsonRejected, fingerprint, json_value
from hailong.public.tests.test_survey_form import form_data, url
from hailong.surveys.models import Response

REASON = "Văn bản chứa ký tự NUL (\\u0000), không thể lưu."


def test_a_nul_in_the_qr_survey_form_is_refused_not_stored(client, org, campaign):
    page = client.post(url(org), form_data(q_YK="Tốt\x00"))
    assert page.status_code == 400
    assert REASON in page.content.decode()
    assert not Response.objects.exists()


def test_a_nul_in_a_search_is_refused(client_for, clerk_a):
    page = client_for(clerk_a).get("/cases/?q=ab%00c")
    assert page.status_code == 400
    assert REASON in page.content.decode()


def test_a_nul_in_the_sign_in_form_is_refused(client, org):
    page = client.post("/accounts/login/", {"username": "a\x00", "password": "x"})
    assert page.status_code == 400
    assert REASON in page.content.decode()


def test_a_nul_in_an_api_query_is_a_json_400(client, db):
    answer = client.get("/api/v1/cases/ABC?x=%00")
    assert (answer.status_code, answer["Content-Type"]) == (400, "application/json")
    assert answer.json() == {"error": "bad_request", "message": REASON}


@pytest.mark.parametrize("text", ["NaN", '{"a": Infinity}', "[-Infinity]"])
def test_what_json_does_not_allow_is_refused(text):
    with pytest.raises(JsonRejected) as refused:
        json_value(text)
    assert (refused.value.status, refused.value.code) == (400, "malformed")


def test_the_fingerprint_ignores_key_order_and_spacing():
    assert fingerprint(json_value('{"a": 1, "b": [1, 2]}')) == fingerprint({"b": [1, 2], "a": 1})
    assert fingerprint({"a": 1}) != fingerprint({"a": "1"})
