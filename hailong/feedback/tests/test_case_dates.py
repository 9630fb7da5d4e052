"""Issue 10 §12: a case dated year 1 (no deadlines, never overdue) or in the future is refused
by the intake, whatever the channel: the API with a real key, the desk form."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from hailong.api.tokens import api_token_issue
from hailong.feedback.models import Case

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.time_machine(datetime(2026, 4, 15, 9, tzinfo=HANOI))


@pytest.fixture
def key(admin_user, org):
    _record, raw = api_token_issue(
        system="Cổng dịch vụ công", scopes=["cases"], units=[org.unit_a], actor=admin_user
    )
    return raw


def api_case(client, key, received_at):
    return client.post(
        "/api/v1/cases",
        {"kind": "pakn", "unit": "UA", "content": "Phản ánh", "received_at": received_at},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


@pytest.mark.parametrize(
    ("received_at", "message"),
    [
        (
            "0001-01-01T00:00:00+07:00",
            "Ngày 01/01/0001 đã quá xa: ngày sớm nhất được chấp nhận là 15/04/2024.",
        ),
        (
            "2024-04-15T08:00:00+07:00",
            "Ngày 15/04/2024 đã quá xa: ngày sớm nhất được chấp nhận là 15/04/2024.",
        ),
        ("9999-12-31T23:59:59-07:00", "Ngày 31/12/9999 nằm trong tương lai."),
        ("2026-04-15T09:06:00+07:00", "Ngày 15/04/2026 nằm trong tương lai."),
    ],
)
def test_the_api_refuses_a_case_received_at_an_implausible_time(
    client, key, rules, received_at, message
):
    response = api_case(client, key, received_at)
    assert (response.status_code, response.json()) == (
        422,
        {
            "error": "invalid",
            "message": "Vui lòng kiểm tra lại một số mục.",
            "errors": {"received_at": message},
        },
    )
    assert not Case.objects.exists()


def test_the_api_takes_a_case_received_within_the_bounds(client, key, rules):
    old = api_case(client, key, "2024-04-17T08:00:00+07:00")
    skewed = api_case(client, key, "2026-04-15T09:04:00+07:00")
    assert (old.status_code, skewed.status_code) == (201, 201)
    assert old.json()["answer_due_on"] is not None


def test_the_desk_form_refuses_a_letter_dated_year_one(client_for, clerk_a, org, rules):
    response = client_for(clerk_a).post(
        "/cases/new/",
        {
            "channel": "letter",
            "kind": "pakn",
            "unit": org.unit_a.pk,
            "content": "Thư phản ánh",
            "received_at": "01/01/0001 08:00",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "received_at": ["Ngày 01/01/0001 đã quá xa: ngày sớm nhất được chấp nhận là 15/04/2024."]
    }
    assert not Case.objects.exists()
