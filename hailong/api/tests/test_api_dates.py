"""Issue 10 §12 through the API with a real key: a response dated in year 9999 or year 1, and
a dossier received in year 1 or returned in the future, are refused saying why."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from hailong.api.tests.test_api_dossier_scope import issue, post, response_body
from hailong.surveys.models import Dossier, Response

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.time_machine(datetime(2026, 4, 15, 9, tzinfo=HANOI))


@pytest.fixture
def key_a(org, admin_user):
    return issue(org, admin_user, org.unit_a)


@pytest.mark.parametrize(
    ("submitted_at", "message"),
    [
        ("9999-12-31T23:59:59+07:00", "Ngày 31/12/9999 nằm trong tương lai."),
        ("9999-12-31T23:59:59-07:00", "Ngày 31/12/9999 nằm trong tương lai."),
        (
            "0001-01-01T00:00:00+07:00",
            "Ngày 01/01/0001 đã quá xa: ngày sớm nhất được chấp nhận là 16/04/2023.",
        ),
    ],
)
def test_a_response_dated_out_of_bounds_is_refused(client, key_a, submitted_at, message):
    refused = post(client, "/api/v1/responses", response_body(submitted_at=submitted_at), key_a)
    assert (refused.status_code, refused.json()) == (
        422,
        {"error": "submitted_at", "message": message, "errors": {"submitted_at": message}},
    )
    assert not Response.objects.exists()


def test_a_dossier_dated_out_of_bounds_is_refused(client, key_a):
    refused = post(
        client,
        "/api/v1/dossiers",
        {"code": "HS-1", "unit": "UA", "received_at": "0001-01-01T00:00:00+07:00"},
        key_a,
    )
    returned_later = post(
        client,
        "/api/v1/dossiers",
        {"code": "HS-2", "unit": "UA", "received_at": "2026-04-01", "returned_at": "9999-12-31"},
        key_a,
    )
    assert [(r.status_code, r.json()["errors"]) for r in (refused, returned_later)] == [
        (
            422,
            {
                "received_at": "Ngày 01/01/0001 đã quá xa: ngày sớm nhất được chấp nhận "
                "là 16/04/2021."
            },
        ),
        (422, {"returned_at": "Ngày 31/12/9999 nằm trong tương lai."}),
    ]
    assert not Dossier.objects.exists()
