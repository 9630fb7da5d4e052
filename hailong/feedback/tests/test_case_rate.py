"""Issue 10 §13: one rate for every way a case is opened from outside (the public form, the
API, the follow-up of an unsatisfied survey from the QR form or the API), keyed by the origin:
the client address, or the API key. A response over the rate is stored without its case."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from conftest import sipas_answers
from hailong.api.tokens import api_token_issue
from hailong.feedback.models import Case
from hailong.surveys.models import Response
from hailong.surveys.schema import schema_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_cases_an_hour(settings):
    settings.HAILONG_CASE_OPEN_RATE = (2, 3600)


def qr_unsatisfied(client, org, sipas, n: int):
    data = {"service": org.service_a.code, "form_token": f"{n:032d}"}
    for item in schema_for(sipas).items:
        if item.kind == "scale5":
            data[f"q_{item.code}"] = "1"
    data.update(
        {"q_HL": "1", "contact_name": "Phạm D", "contact_phone": f"091200011{n}", "consent": "yes"}
    )
    return client.post(f"/danh-gia/{org.point_a.code}/", data)


def case_form(client, org):
    return client.post(
        "/phan-anh/", {"kind": "pakn", "unit": org.unit_a.pk, "content": "Góp ý", "consent": "on"}
    )


def test_the_qr_form_and_the_case_form_share_one_rate_per_address(sipas, campaign, org, rules):
    citizen = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(3):
        assert qr_unsatisfied(citizen, org, sipas, n).status_code == 302
    assert Response.objects.filter(channel="web").count() == 3  # none lost
    assert Case.objects.filter(channel="survey").count() == 2
    refused = case_form(citizen, org)
    assert refused.status_code == 429
    assert "Góp ý" in refused.content.decode()  # what was typed is kept
    assert case_form(Client(REMOTE_ADDR="198.51.100.8"), org).status_code == 302


def api_response(key: str, address: str, n: int):
    return Client(REMOTE_ADDR=address).post(
        "/api/v1/responses",
        json.dumps(
            {
                "questionnaire": "sipas",
                "unit": "UA1",
                "answers": sipas_answers(1),
                "contact": {"name": "Lê C", "phone": f"090311122{n}", "consent": True},
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def test_a_responses_only_key_opens_follow_ups_at_the_one_rate_of_the_key(
    sipas, campaign, org, rules, admin_user
):
    _record, key = api_token_issue(
        system="Một cửa", scopes=["responses"], units=[org.unit_a], actor=admin_user
    )
    for n in range(3):  # from three addresses: the key is the origin
        assert api_response(key, f"203.0.113.{n}", n).status_code == 201
    assert Response.objects.filter(channel="api").count() == 3
    assert Case.objects.filter(channel="survey").count() == 2
    _other, other_key = api_token_issue(
        system="Khác", scopes=["responses"], units=[org.unit_a], actor=admin_user
    )
    assert api_response(other_key, "203.0.113.0", 5).status_code == 201
    assert Case.objects.filter(channel="survey").count() == 3


def test_the_cases_endpoint_counts_against_the_same_rate(org, rules, admin_user):
    _record, key = api_token_issue(
        system="Cổng", scopes=["cases"], units=[org.unit_a], actor=admin_user
    )
    statuses = []
    for _n in range(3):
        answer = Client(REMOTE_ADDR="203.0.113.9").post(
            "/api/v1/cases",
            json.dumps({"kind": "pakn", "unit": "UA", "content": "Phản ánh qua cổng"}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        statuses.append(answer.status_code)
    assert statuses == [201, 201, 429]
    assert answer.json()["error"] == "rate_limited"
    assert Case.objects.count() == 2


def test_refused_case_forms_do_not_use_up_the_rate_of_a_shared_address(org, rules):
    citizen = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(4):  # no description: refused, not counted
        refused = citizen.post(
            "/phan-anh/", {"kind": "pakn", "unit": org.unit_a.pk, "content": "", "consent": "on"}
        )
        assert refused.status_code == 400
    assert case_form(citizen, org).status_code == 302
    assert case_form(citizen, org).status_code == 302
    assert case_form(citizen, org).status_code == 429
    assert Case.objects.count() == 2
