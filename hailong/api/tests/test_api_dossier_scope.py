"""Issue 10 §1–3: a key scoped to one unit cannot take over, link to or probe another unit's
dossiers, nor post into another unit's campaign. Real keys, through HTTP."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import sipas_answers
from hailong.api.tokens import api_token_issue
from hailong.surveys.models import Campaign, Dossier, Response

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.time_machine(datetime(2026, 4, 15, 9, tzinfo=HANOI))

FOREIGN = "000.00.12.H19-260302-0007"  # a dossier of unit B (Mã Đà in the attack)


def issue(org, admin_user, unit):
    _token, raw = api_token_issue(
        system=f"Một cửa {unit.code}",
        scopes=["responses", "dossiers"],
        units=[unit],
        actor=admin_user,
    )
    return raw


@pytest.fixture
def key_a(org, admin_user):
    return issue(org, admin_user, org.unit_a)


@pytest.fixture
def key_b(org, admin_user):
    return issue(org, admin_user, org.unit_b)


def post(client, path, body, key):
    return client.post(
        path, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )


def response_body(**extra):
    data = {
        "questionnaire": "sipas",
        "unit": "UA",
        "submitted_at": "2026-03-10T09:00:00+07:00",
        "answers": sipas_answers(),
    }
    return data | extra


@pytest.fixture
def foreign_dossier(client, key_b, campaign):
    """Unit B's dossier, registered by B's system, with B's response linked to it."""
    answered = post(
        client, "/api/v1/responses", response_body(unit="UB", dossier_code=FOREIGN), key_b
    )
    registered = post(
        client,
        "/api/v1/dossiers",
        {
            "code": FOREIGN,
            "unit": "UB",
            "received_at": "2026-03-02T08:00:00+07:00",
            "due_at": "2026-03-09T17:00:00+07:00",
            "returned_at": "2026-03-06T10:00:00+07:00",
        },
        key_b,
    )
    assert (answered.status_code, registered.status_code) == (201, 201)
    assert registered.json()["responses_linked"] == 1
    return Dossier.objects.get(code=FOREIGN)


def test_a_key_cannot_take_over_another_units_dossier(client, key_a, foreign_dossier):
    def send(code):
        return post(
            client,
            "/api/v1/dossiers",
            {
                "code": code,
                "unit": "UA",
                "received_at": "2026-03-01T08:00:00+07:00",
                "due_at": "2026-03-20T17:00:00+07:00",
                "returned_at": "2026-03-03T10:00:00+07:00",
            },
            key_a,
        )

    attack, unknown = send(FOREIGN.lower()), send("000.00.12.H19-260302-9999")
    # A's own dossier with that code, answered exactly as for a code nobody holds: B's
    # dossier is neither rewritten nor revealed.
    assert [(r.status_code, r.json()) for r in (attack, unknown)] == [
        (201, {"code": FOREIGN, "status": "created", "responses_linked": 0}),
        (201, {"code": "000.00.12.H19-260302-9999", "status": "created", "responses_linked": 0}),
    ]
    dossier = Dossier.objects.get(code=FOREIGN, unit__code="UB")
    assert (dossier.received_at, dossier.due_at, dossier.returned_at) == (
        datetime(2026, 3, 2, 8, tzinfo=HANOI),
        datetime(2026, 3, 9, 17, tzinfo=HANOI),
        datetime(2026, 3, 6, 10, tzinfo=HANOI),
    )
    assert list(Response.objects.values_list("unit__code", "dossier__unit__code")) == [("UB", "UB")]
    # Sent again, the attacker's dossier is updated: still A's, B's untouched.
    again = send(FOREIGN)
    assert (again.status_code, again.json()["status"]) == (200, "updated")
    assert set(Dossier.objects.filter(code=FOREIGN).values_list("unit__code", "returned_at")) == {
        ("UB", datetime(2026, 3, 6, 10, tzinfo=HANOI)),
        ("UA", datetime(2026, 3, 3, 10, tzinfo=HANOI)),
    }


def test_registering_another_units_code_first_blocks_nobody(client, key_a, key_b, campaign):
    code = "000.00.12.H19-260305-0010"
    squat = {"code": code, "unit": "UA", "received_at": "2026-03-05T08:00:00+07:00"}
    assert post(client, "/api/v1/dossiers", squat, key_a).status_code == 201
    given = post(client, "/api/v1/responses", response_body(unit="UB", dossier_code=code), key_b)
    registered = post(
        client,
        "/api/v1/dossiers",
        {"code": code, "unit": "UB", "received_at": "2026-03-05T09:00:00+07:00"},
        key_b,
    )
    assert (given.json()["dossier_linked"], registered.status_code) == (False, 201)
    assert registered.json()["responses_linked"] == 1
    stored = Response.objects.get(pk=given.json()["id"])
    assert stored.dossier == Dossier.objects.get(code=code, unit__code="UB")


def test_a_dossier_moves_between_the_units_of_its_key(client, key_a):
    code = "000.00.12.H19-260306-0011"
    first = {"code": code, "unit": "UA1", "received_at": "2026-03-06T08:00:00+07:00"}
    moved = first | {"unit": "UA"}
    assert post(client, "/api/v1/dossiers", first, key_a).status_code == 201
    assert post(client, "/api/v1/dossiers", moved, key_a).json()["status"] == "updated"
    assert list(Dossier.objects.values_list("code", "unit__code")) == [(code, "UA")]


def test_the_owning_unit_still_updates_its_dossier(client, key_b, foreign_dossier):
    again = post(
        client,
        "/api/v1/dossiers",
        {"code": FOREIGN, "unit": "UB", "received_at": "2026-03-02", "returned_at": "2026-03-10"},
        key_b,
    )
    assert (again.status_code, again.json()["status"]) == (200, "updated")
    assert Dossier.objects.get().returned_at == datetime(2026, 3, 10, tzinfo=HANOI)


def test_a_response_never_links_to_another_units_dossier(client, key_a, foreign_dossier):
    linked_foreign = post(client, "/api/v1/responses", response_body(dossier_code=FOREIGN), key_a)
    unknown = post(
        client, "/api/v1/responses", response_body(dossier_code="000.00.12.H19-260302-9999"), key_a
    )
    # The same answer whether the other unit's code exists or not: no oracle.
    assert (linked_foreign.status_code, unknown.status_code) == (201, 201)
    answers = [{k: v for k, v in r.json().items() if k != "id"} for r in (linked_foreign, unknown)]
    assert answers == [{"status": "created", "dossier_linked": False}] * 2
    stored = Response.objects.get(pk=linked_foreign.json()["id"])
    assert (stored.dossier_code, stored.dossier_id) == (FOREIGN, None)
    assert foreign_dossier.responses.count() == 1  # B's own response only


def test_a_dossier_registered_later_links_only_its_units_responses(client, key_a, key_b, campaign):
    code = "000.00.12.H19-260303-0008"
    a_first = post(client, "/api/v1/responses", response_body(dossier_code=code), key_a)
    assert a_first.json()["dossier_linked"] is False
    registered = post(
        client,
        "/api/v1/dossiers",
        {"code": code, "unit": "UB", "received_at": "2026-03-03T08:00:00+07:00"},
        key_b,
    )
    assert (registered.status_code, registered.json()["responses_linked"]) == (201, 0)
    assert Response.objects.get(pk=a_first.json()["id"]).dossier_id is None


def test_a_response_links_to_a_dossier_below_its_unit(client, key_a, campaign):
    code = "000.00.12.H19-260304-0009"
    registered = post(
        client,
        "/api/v1/dossiers",
        {"code": code, "unit": "UA1", "received_at": "2026-03-04T08:00:00+07:00"},
        key_a,
    )
    given = post(client, "/api/v1/responses", response_body(dossier_code=code), key_a)
    assert (registered.status_code, given.json()["dossier_linked"]) == (201, True)


def test_a_key_cannot_post_into_another_units_campaign(client, key_a, org, sipas):
    today = datetime(2026, 4, 15).date()
    only_b = Campaign.objects.create(
        name="Khảo sát riêng B",
        version=sipas,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=60),
        channels=["api"],
        status="open",
    )
    only_b.units.set([org.unit_b])
    named = post(client, "/api/v1/responses", response_body(campaign=only_b.pk), key_a)
    assert named.status_code == 422
    assert named.json() == {
        "error": "campaign_closed",
        "message": "Đợt khảo sát này không khảo sát đơn vị Phòng Tư pháp A.",
    }
    # Without a campaign named, B's campaign is not chosen for A's answer either.
    unnamed = post(client, "/api/v1/responses", response_body(), key_a)
    assert unnamed.status_code == 201
    assert Response.objects.get(pk=unnamed.json()["id"]).campaign_id is None
    assert not only_b.responses.exists()
