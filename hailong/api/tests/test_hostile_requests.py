"""What the attack on a copy found in the API (issue 10, findings 10, 11 and 17), replayed
through HTTP with a real key: text no database can store, idempotency keys reused or too long,
and errors that were not JSON or not what the document says."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from conftest import sipas_answers
from hailong.api.openapi import OPENAPI
from hailong.api.tokens import api_token_issue
from hailong.api.validation import KEYWORDS
from hailong.feedback.models import Case
from hailong.surveys.models import Response


@pytest.fixture
def key(org, admin_user):
    _token, raw = api_token_issue(
        system="Cổng dịch vụ công",
        scopes=["responses", "dossiers", "cases"],
        units=[org.unit_a],
        actor=admin_user,
    )
    return raw


def send(client, path, text: str, key: str, **headers):
    """POST a body written as JSON text, so that escapes like \\ud800 reach the server as sent."""
    return client.post(
        path, text, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}", **headers
    )


def response_body(**extra) -> dict:
    return {"questionnaire": "sipas", "unit": "UA1", "answers": sipas_answers()} | extra


CASE = {"kind": "pakn", "unit": "UA", "content": "Phản ánh thái độ cán bộ"}


# --- finding 10: NUL and lone surrogates ------------------------------------------------------


def test_a_lone_surrogate_in_a_case_is_refused_with_the_reason(client, key, campaign):
    text = '{"kind": "pakn", "unit": "UA", "content": "a\\ud800b"}'
    answer = send(client, "/api/v1/cases", text, key)
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "unstorable_text",
        "message": "Văn bản chứa ký tự Unicode không hợp lệ (một nửa cặp thay thế như \\ud800).",
    }
    assert not Case.objects.exists()


def test_a_nul_in_a_response_comment_is_refused_not_stored(client, key, campaign):
    text = json.dumps(response_body(comment="rất tốt\u0000"))
    answer = send(client, "/api/v1/responses", text, key)
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "unstorable_text",
        "message": "Văn bản chứa ký tự NUL (\\u0000), không thể lưu.",
    }
    assert not Response.objects.exists()


def test_a_nul_in_an_object_key_is_refused(client, key, campaign):
    answers = sipas_answers() | {"TC1\u0000": "4"}
    answer = send(client, "/api/v1/responses", json.dumps(response_body(answers=answers)), key)
    assert (answer.status_code, answer.json()["error"]) == (400, "unstorable_text")
    assert not Response.objects.exists()


def test_a_nul_in_a_dossier_is_refused(client, key):
    text = json.dumps({"code": "HS-\u0000", "unit": "UA", "received_at": "2026-03-02"})
    answer = send(client, "/api/v1/dossiers", text, key)
    assert (answer.status_code, answer.json()["error"]) == (400, "unstorable_text")


def test_json_nested_too_deeply_is_refused_not_a_crash(client, key):
    text = '{"kind": ' + "[" * 20000 + "]" * 20000 + "}"
    answer = send(client, "/api/v1/cases", text, key)
    assert answer.status_code == 400
    assert answer.json() == {"error": "malformed", "message": "JSON lồng nhau quá sâu."}


def test_a_body_that_is_not_utf8_is_refused(client, key):
    answer = send(client, "/api/v1/cases", b'{"content": "\xff"}', key)
    assert answer.status_code == 400
    assert answer.json() == {"error": "malformed", "message": "Nội dung không phải UTF-8 hợp lệ."}


# --- finding 11: idempotency keys -------------------------------------------------------------


def test_a_response_key_reused_with_another_body_is_refused(client, key, campaign):
    first = send(
        client, "/api/v1/responses", json.dumps(response_body()), key, HTTP_IDEMPOTENCY_KEY="r-1"
    )
    assert first.status_code == 201
    other = response_body(answers=sipas_answers(score=1))
    reused = send(client, "/api/v1/responses", json.dumps(other), key, HTTP_IDEMPOTENCY_KEY="r-1")
    assert reused.status_code == 422
    assert reused.json()["error"] == "idempotency_key_reused"
    assert reused.json()["errors"] == {"idempotency_key": "Đã dùng với một yêu cầu khác."}
    # The same request again, keys in another order and spaced differently: still a replay.
    again = send(
        client,
        "/api/v1/responses",
        json.dumps(dict(reversed(list(response_body().items()))), indent=2),
        key,
        HTTP_IDEMPOTENCY_KEY="r-1",
    )
    assert (again.status_code, again.json()["status"]) == (200, "duplicate")
    assert again.json()["id"] == first.json()["id"]
    assert Response.objects.count() == 1


def test_the_key_in_the_body_counts_the_same(client, key, campaign):
    first = send(client, "/api/v1/responses", json.dumps(response_body(idempotency_key="b-1")), key)
    other = response_body(idempotency_key="b-1", comment="khác")
    reused = send(client, "/api/v1/responses", json.dumps(other), key)
    assert (first.status_code, reused.status_code) == (201, 422)
    assert reused.json()["error"] == "idempotency_key_reused"


def test_a_case_key_reused_with_another_body_is_refused(client, key):
    first = send(client, "/api/v1/cases", json.dumps(CASE), key, HTTP_IDEMPOTENCY_KEY="c-1")
    assert first.status_code == 201
    other = CASE | {"content": "Một phản ánh khác"}
    reused = send(client, "/api/v1/cases", json.dumps(other), key, HTTP_IDEMPOTENCY_KEY="c-1")
    assert reused.status_code == 422
    assert reused.json()["error"] == "idempotency_key_reused"
    assert reused.json()["errors"] == {"idempotency_key": "Đã dùng với một yêu cầu khác."}
    again = send(client, "/api/v1/cases", json.dumps(CASE), key, HTTP_IDEMPOTENCY_KEY="c-1")
    assert (again.status_code, again.json()["code"]) == (200, first.json()["code"])
    assert Case.objects.count() == 1


def test_keys_longer_than_documented_are_refused_not_cut(client, key, campaign):
    # Two keys that differ only after the cut were one key before: the second got the first's
    # response. Both are refused now, saying why.
    long_a, long_b = "k" * 80 + "a", "k" * 80 + "b"
    for long_key in (long_a, long_b):
        answer = send(
            client,
            "/api/v1/responses",
            json.dumps(response_body()),
            key,
            HTTP_IDEMPOTENCY_KEY=long_key,
        )
        assert answer.status_code == 422
        assert answer.json()["errors"] == {"Idempotency-Key": "Tối đa 60 ký tự."}
    in_body = send(client, "/api/v1/cases", json.dumps(CASE | {"idempotency_key": "k" * 61}), key)
    assert in_body.status_code == 422
    assert in_body.json()["errors"] == {"idempotency_key": "Tối đa 60 ký tự."}
    assert not Response.objects.exists() and not Case.objects.exists()
    sixty = send(
        client, "/api/v1/responses", json.dumps(response_body()), key, HTTP_IDEMPOTENCY_KEY="k" * 60
    )
    assert sixty.status_code == 201


# --- finding 17: the document and the answers agree; every error is JSON ----------------------


def test_empty_fields_and_campaign_zero_are_refused_as_the_document_says(client, key, campaign):
    empty_unit = send(client, "/api/v1/cases", json.dumps(CASE | {"unit": "", "content": ""}), key)
    assert empty_unit.status_code == 422
    assert empty_unit.json()["errors"] == {
        "unit": "Không được để trống.",
        "content": "Không được để trống.",
    }
    zero = send(client, "/api/v1/responses", json.dumps(response_body(campaign=0)), key)
    assert zero.status_code == 422
    assert zero.json()["errors"] == {"campaign": "Tối thiểu 1."}
    schemas = OPENAPI["components"]["schemas"]
    assert schemas["CaseIn"]["properties"]["unit"]["minLength"] == 1
    assert schemas["CaseIn"]["properties"]["content"]["minLength"] == 1
    assert schemas["ResponseIn"]["properties"]["unit"]["minLength"] == 1
    assert schemas["ResponseIn"]["properties"]["campaign"]["minimum"] == 1


def test_a_wrong_type_is_refused_naming_the_field(client, key):
    answer = send(client, "/api/v1/cases", json.dumps(CASE | {"title": 5, "contact": []}), key)
    assert answer.status_code == 422
    assert answer.json()["errors"] == {
        "title": "Phải là văn bản (chuỗi JSON).",
        "contact": "Phải là một đối tượng JSON.",
    }


def test_a_code_the_url_pattern_refuses_gets_a_json_404(client, key):
    answer = client.get("/api/v1/cases/a%20b", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json"
    assert answer.json() == {"error": "not_found", "message": "Không có gì ở địa chỉ này."}


def test_an_unknown_api_path_gets_a_json_404(client, db):
    answer = client.get("/api/v2/responses")
    assert (answer.status_code, answer["Content-Type"]) == (404, "application/json")
    assert answer.json() == {"error": "not_found", "message": "Không có gì ở địa chỉ này."}


def test_a_wrong_method_gets_a_json_405_with_allow(client, key):
    answer = client.get("/api/v1/responses", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert (answer.status_code, answer["Allow"]) == (405, "POST")
    assert answer.json() == {
        "error": "method_not_allowed",
        "message": "Địa chỉ này không nhận phương thức này.",
    }
    read_only = client.delete("/api/v1/cases/ABC", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert (read_only.status_code, read_only["Allow"]) == (405, "GET")


def test_an_unhandled_error_gets_a_json_500(key, monkeypatch):
    def broken(_scope):
        raise RuntimeError("a bug")

    monkeypatch.setattr("hailong.api.views.cases_visible_to", broken)
    client = Client(raise_request_exception=False)
    answer = client.get("/api/v1/cases/ABC", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert (answer.status_code, answer["Content-Type"]) == (500, "application/json")
    assert answer.json() == {
        "error": "server_error",
        "message": "Có lỗi ở phía chúng tôi; vui lòng thử lại sau.",
    }


def test_the_staff_pages_keep_their_html_404(client, db):
    assert client.get("/khong-co/")["Content-Type"].startswith("text/html")


def test_the_document_uses_only_keywords_the_validator_checks():
    def keywords(schema):
        if isinstance(schema, dict):
            found = set(schema) - {"properties"}
            for name, value in schema.items():
                if name == "properties":
                    found |= set().union(*(keywords(v) for v in value.values()))
                elif isinstance(value, dict | list):
                    found |= keywords(value)
            return found
        if isinstance(schema, list):
            return set().union(set(), *(keywords(v) for v in schema))
        return set()

    for name in ("ResponseIn", "CaseIn", "DossierIn"):
        assert keywords(OPENAPI["components"]["schemas"][name]) <= KEYWORDS, name
