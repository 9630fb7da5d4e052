import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import URLPattern, get_resolver

from conftest import sipas_answers
from hailong.api.openapi import OPENAPI
from hailong.api.tokens import api_token_issue, api_token_revoke
from hailong.core.periods import parse_period
from hailong.surveys.dossiers import response_rates, response_rates_by_service
from hailong.surveys.models import Dossier, Response

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# The answers and dossiers are of March 2026 (answers go to the fixture's campaign, open around
# today): the clock stands a little later.
pytestmark = pytest.mark.time_machine(datetime(2026, 4, 15, 9, tzinfo=HANOI))


@pytest.fixture
def key(org, admin_user):
    _token, raw = api_token_issue(
        system="Hệ thống một cửa",
        scopes=["responses", "dossiers"],
        units=[org.unit_a],
        actor=admin_user,
    )
    return raw


def post(client, path, body, key, **headers):
    return client.post(
        path,
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        **headers,
    )


def body(**extra):
    data = {
        "questionnaire": "sipas",
        "unit": "UA1",
        "service": "1.001193",
        "submitted_at": "2026-03-10T09:00:00+07:00",
        "answers": sipas_answers(),
        "dossier_code": "HS-2026-0001",
    }
    data.update(extra)
    return data


def test_a_repeated_request_is_stored_once(client, key, campaign):
    first = post(client, "/api/v1/responses", body(), key, HTTP_IDEMPOTENCY_KEY="req-1")
    again = post(client, "/api/v1/responses", body(), key, HTTP_IDEMPOTENCY_KEY="req-1")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"] and again.json()["status"] == "duplicate"
    assert Response.objects.filter(channel="api").count() == 1


def test_an_answer_without_campaign_joins_the_open_one(client, key, campaign):
    created = post(client, "/api/v1/responses", body(), key)
    assert Response.objects.get(pk=created.json()["id"]).campaign == campaign
    assert post(client, "/api/v1/responses", body(), key).status_code == 409  # same dossier


def test_a_dossier_is_evaluated_once_per_campaign(client, key, campaign):
    assert post(client, "/api/v1/responses", body(campaign=campaign.pk), key).status_code == 201
    second = post(client, "/api/v1/responses", body(campaign=campaign.pk), key)
    assert second.status_code == 409
    assert "đã được đánh giá" in second.json()["message"]


def test_bad_data_gets_reasons_in_vietnamese(client, key, campaign):
    response = post(
        client,
        "/api/v1/responses",
        body(unit="UB", answers={"HL": "9"}, submitted_at="hôm qua"),
        key,
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) >= {"unit", "submitted_at"}
    assert Response.objects.count() == 0
    bad_answer = post(client, "/api/v1/responses", body(answers={"HL": "9"}), key)
    assert bad_answer.status_code == 422 and "HL" in bad_answer.json()["errors"]


def test_keys_are_checked_scoped_and_revocable(client, key, org, admin_user, campaign):
    assert post(client, "/api/v1/responses", body(), "hl_sai").status_code == 401
    _token, dossiers_only = api_token_issue(
        system="Khác", scopes=["dossiers"], units=[org.unit_a], actor=admin_user
    )
    assert post(client, "/api/v1/responses", body(), dossiers_only).status_code == 403
    token = _token
    api_token_revoke(token=token, actor=admin_user)
    assert post(client, "/api/v1/dossiers", {"code": "X"}, dossiers_only).status_code == 401
    token.refresh_from_db()
    assert token.last_used_at is not None and dossiers_only not in token.token_hash


def test_dossiers_link_responses_and_give_rates_and_time_index(client, key, org, leader, campaign):
    post(client, "/api/v1/responses", body(dossier_code="HS-A"), key)
    created = post(
        client,
        "/api/v1/dossiers",
        {
            "code": "hs-a",
            "unit": "UA1",
            "service": "1.001193",
            "received_at": "2026-03-02T08:00:00+07:00",
            "due_at": "2026-03-09T17:00:00+07:00",
            "returned_at": "2026-03-06T10:00:00+07:00",
        },
        key,
    )
    assert created.status_code == 201 and created.json()["responses_linked"] == 1
    # Sent again when its state changes: updated, not doubled.
    updated = post(
        client,
        "/api/v1/dossiers",
        {
            "code": "HS-A",
            "unit": "UA1",
            "received_at": "2026-03-02",
            "due_at": "2026-03-09",
            "returned_at": "2026-03-09",
        },
        key,
    )
    assert updated.status_code == 200 and Dossier.objects.count() == 1
    post(
        client,
        "/api/v1/dossiers",
        {
            "code": "HS-B",
            "unit": "UA",
            "received_at": "2026-03-02",
            "due_at": "2026-03-05",
            "returned_at": "2026-03-12",
        },
        key,
    )
    # A response given after its dossier arrived is linked at once.
    later = post(client, "/api/v1/responses", body(dossier_code="HS-B", unit="UA"), key)
    assert later.json()["dossier_linked"] is True
    rows = {r.unit.code: r for r in response_rates(leader, parse_period("2026-03"))}
    assert (rows["UA1"].dossiers, rows["UA1"].answered, rows["UA1"].rate) == (1, 1, 100.0)
    assert rows["UA1"].time_index == 1.0  # returned on the due day
    assert rows["UA"].time_index == 0.0  # returned late
    assert Dossier.objects.get(code="HS-A").received_at == datetime(2026, 3, 2, tzinfo=HANOI)
    by_service = {
        r.service.code: r for r in response_rates_by_service(leader, parse_period("2026-03"))
    }
    assert (by_service["1.001193"].dossiers, by_service["1.001193"].answered) == (1, 1)


def test_dossiers_outside_the_keys_units_are_refused(client, key):
    response = post(
        client, "/api/v1/dossiers", {"code": "HS-X", "unit": "UB", "received_at": "2026-03-02"}, key
    )
    assert response.status_code == 422 and "unit" in response.json()["errors"]


def test_the_openapi_document_matches_the_served_paths(client, db):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    api = next(p for p in get_resolver().url_patterns if getattr(p, "app_name", "") == "api")
    served = {
        re.sub(r"<\w+:(\w+)>", r"{\1}", f"/api/{p.pattern}")
        for p in api.url_patterns
        if isinstance(p, URLPattern)
    }
    assert set(document["paths"]) == served == set(OPENAPI["paths"])


def test_the_consent_keeps_the_phone_in_its_national_form(client, key, campaign):
    contact = {"name": "Trần Văn Bình", "phone": "+84 987.654.321", "consent": True}
    created = post(client, "/api/v1/responses", body(contact=contact), key)
    assert created.status_code == 201, created.content
    assert Response.objects.get(pk=created.json()["id"]).consent.phone == "0987654321"
