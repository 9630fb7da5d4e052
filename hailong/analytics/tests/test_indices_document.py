"""`manage.py indices --json` and GET /api/v1/indices: one document, computed from the rollups,
equal to each other and to an independent recount of the raw answers."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from conftest import sipas_answers
from hailong.api.tokens import api_token_issue
from hailong.core.periods import LOCAL_TZ, PeriodKind, period_containing
from hailong.organisation.models import Staff
from hailong.surveys.models import Answer, Response
from hailong.surveys.services.responses import Submission, responses_store

ELEMENTS = {"TC": 4, "TT": 4, "CC": 5, "KQ": 3, "PA": 3}
SATISFIED = {4, 5}


def last_quarter():
    """The quarter before the current one (whole and past whatever day the suite runs)."""
    current = period_containing(timezone.localdate(), PeriodKind.QUARTER)
    return current.previous()


def store(org, version, day, scores: dict, unit=None):
    answers = sipas_answers(4)
    answers.update({code: str(score) for code, score in scores.items()})
    submission = Submission(
        version=version,
        unit=unit or org.unit_a,
        channel="paper",
        answers=answers,
        submitted_at=datetime.combine(day, time(9, 30), tzinfo=LOCAL_TZ),
    )
    return responses_store([submission]).outcomes[0].response


def recount(period, units=None) -> dict:
    """Criterion shares straight from the answer rows, elements and overall as plain means
    (every figure has answers here, and the minimum sample is set to 1)."""
    responses = Response.objects.filter(
        local_date__gte=period.first_day,
        local_date__lt=period.end_day,
        version__questionnaire__code="sipas",
    )
    if units is not None:
        responses = responses.filter(unit__in=units)
    result = {"responses": responses.count()}
    element_means = []
    for element, k in ELEMENTS.items():
        shares = []
        for number in range(1, k + 1):
            code = f"{element}{number}"
            values = list(
                Answer.objects.filter(
                    response__in=responses, item__code=code, value__isnull=False
                ).values_list("value", flat=True)
            )
            if not values:
                result[code] = (0, None)
                continue
            share = sum(1 for v in values if v in SATISFIED) / len(values)
            result[code] = (len(values), round(share * 100, 2))
            shares.append(share)
        mean = sum(shares) / len(shares)
        result[element] = round(mean * 100, 2)
        element_means.append(mean)
    result["overall"] = round(sum(element_means) / len(element_means) * 100, 2)
    return result


def command_json(**options) -> dict:
    out = StringIO()
    call_command("indices", json=True, stdout=out, **options)
    return json.loads(out.getvalue())


@pytest.fixture
def answered(org, sipas, settings):
    """Five responses last quarter at unit A and two at unit B, one the quarter before."""
    settings.HAILONG_MIN_SAMPLE = 1
    period = last_quarter()
    day = period.first_day + timedelta(days=10)
    for scores in ({"TC1": 5}, {"TC1": 2, "TT2": 1}, {"TC1": 3}, {"CC5": 2}, {"KQ1": 1}):
        store(org, sipas, day, scores)
    for scores in ({"TC1": 1, "PA1": 2}, {"TC2": 3}):
        store(org, sipas, day + timedelta(days=20), scores, unit=org.unit_b)
    store(org, sipas, period.first_day - timedelta(days=5), {"TC1": 1})
    return period


def test_the_command_gives_the_indices_in_the_one_json_shape(answered):
    document = command_json(period=answered.code)
    assert list(document)[:5] == ["period", "unit", "questionnaire", "responses", "overall"]
    assert document["period"] == answered.code
    assert (document["unit"], document["questionnaire"], document["responses"]) == (
        None,
        "sipas",
        7,
    )
    # TC1 answered 5, 2, 3, 4 (default), 4, 1 (unit B), 4: four of seven satisfied.
    assert document["TC1"] == {
        "code": "TC1",
        "n": 7,
        "index": 57.14,
        "ci_low": 25.05,
        "ci_high": 84.18,
        "sufficient": True,
        "mean": 3.29,
    }
    # PA3 is "không áp dụng" on every form: no valid answer, no figure.
    assert document["PA3"]["n"] == 0 and document["PA3"]["index"] is None
    expected = recount(answered)
    for code in [f"{e}{n}" for e, k in ELEMENTS.items() for n in range(1, k + 1)]:
        assert (document[code]["n"], document[code]["index"]) == expected[code], code
    for element in ELEMENTS:
        assert document[element]["index"] == expected[element], element
    assert document["overall"]["index"] == expected["overall"]


def test_the_command_narrows_to_a_unit_subtree_and_reads_vietnamese_periods(org, answered):
    document = command_json(
        period=f"Quý {answered.first_day.month // 3 + 1}/{answered.first_day.year}",
        unit=org.unit_b.code,
    )
    assert document["period"] == answered.code
    assert (document["unit"], document["responses"]) == (org.unit_b.code, 2)
    expected = recount(answered, units=[org.unit_b])
    assert (document["TC1"]["n"], document["TC1"]["index"]) == expected["TC1"] == (2, 50.0)
    assert document["overall"]["index"] == expected["overall"]


def test_the_command_refuses_a_bad_period_unit_or_questionnaire_in_vietnamese(answered):
    with pytest.raises(CommandError) as bad_period:
        call_command("indices", period="Quý 5/2026")
    assert str(bad_period.value) == "Quý phải từ 1 đến 4."
    with pytest.raises(CommandError) as bad_unit:
        call_command("indices", period=answered.code, unit="KHONG-CO")
    assert str(bad_unit.value) == "Không có đơn vị nào mang mã “KHONG-CO”."
    with pytest.raises(CommandError) as quick:
        call_command("indices", period=answered.code, questionnaire="nhanh")
    assert str(quick.value) == (
        "Bộ câu hỏi “nhanh” không có tiêu chí thang 5 mức nào được nhóm theo yếu tố, nên không "
        "tính được chỉ số kiểu SIPAS."
    )


def test_the_command_prints_a_table_without_json(answered):
    out = StringIO()
    call_command("indices", period=answered.code, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == (f"Kỳ {answered.code}, toàn bộ đơn vị, bộ câu hỏi sipas: 7 phiếu")
    assert lines[1:3] == [
        "  overall    n=126      93,48% (84,60–95,65)",
        "  TC         n=28       85,71% (68,19–93,08)",
    ]
    assert lines[7] == "  TC1        n=7        57,14% (25,05–84,18)"
    assert lines[-1] == "  PA3        n=0        chưa có câu trả lời"
    assert len(lines) == 1 + 1 + 5 + 19


def test_the_table_says_which_figures_lack_a_sample(answered, settings):
    settings.HAILONG_MIN_SAMPLE = 30
    out = StringIO()
    call_command("indices", period=answered.code, stdout=out)
    assert out.getvalue().splitlines()[7] == (
        "  TC1        n=7        57,14% (25,05–84,18) chưa đủ mẫu"
    )


def api_get(client, token, **params):
    return client.get("/api/v1/indices", params, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_api_gives_the_same_document_as_the_command(client, org, admin_user, answered):
    _record, token = api_token_issue(
        system="Một cửa", scopes=["indices"], units=[org.root], actor=admin_user
    )
    response = api_get(client, token, period=answered.code, unit=org.unit_a.code)
    assert response.status_code == 200
    assert response.json() == command_json(period=answered.code, unit=org.unit_a.code)
    everything = api_get(client, token, period=answered.code)
    assert everything.json() == command_json(period=answered.code)


def test_a_key_reads_only_its_units_and_only_with_the_indices_scope(
    client, org, admin_user, answered
):
    _record, key_b = api_token_issue(
        system="Xã B", scopes=["indices"], units=[org.unit_b], actor=admin_user
    )
    own = api_get(client, key_b, period=answered.code)
    assert own.json()["responses"] == 2
    assert own.json()["TC1"]["n"] == 2
    outside = api_get(client, key_b, period=answered.code, unit=org.unit_a.code)
    assert (outside.status_code, outside.json()["error"]) == (404, "not_found")
    _record, writer = api_token_issue(
        system="Ghi", scopes=["responses"], units=[org.root], actor=admin_user
    )
    refused = api_get(client, writer, period=answered.code)
    assert (refused.status_code, refused.json()["error"]) == (403, "forbidden")


def test_the_api_says_what_is_wrong_with_a_period_in_vietnamese(client, org, admin_user, sipas):
    _record, token = api_token_issue(
        system="Một cửa", scopes=["indices"], units=[org.root], actor=admin_user
    )
    response = api_get(client, token, period="Quý 5/2026")
    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid",
        "message": "Chưa tính được chỉ số.",
        "errors": {"period": "Quý phải từ 1 đến 4."},
    }


def test_a_signed_in_officer_reads_their_scope(client, org, officer_b, answered):
    client.force_login(officer_b)
    response = client.get("/api/v1/indices", {"period": answered.code})
    assert response.status_code == 200
    assert response.json()["responses"] == 2


def test_on_the_demo_data_the_command_the_api_and_a_recount_agree(
    db, client, settings, tmp_path, monkeypatch
):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    settings.HAILONG_MIN_SAMPLE = 1
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("load_demo", stdout=StringIO())
    latest = Response.objects.filter(version__questionnaire__code="sipas").latest("local_date")
    period = period_containing(latest.local_date, PeriodKind.YEAR)
    document = command_json(period=period.code)
    assert document["responses"] > 100
    expected = recount(period)
    assert document["responses"] == expected["responses"]
    for code in [f"{e}{n}" for e, k in ELEMENTS.items() for n in range(1, k + 1)]:
        assert (document[code]["n"], document[code]["index"]) == expected[code], code
    for element in ELEMENTS:
        assert document[element]["index"] == expected[element], element
    assert document["overall"]["index"] == expected["overall"]
    client.force_login(Staff.objects.get(username="lanhdao"))
    assert client.get("/api/v1/indices", {"period": period.code}).json() == document
