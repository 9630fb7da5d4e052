import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from hailong.surveys.models import Answer, Campaign, Response
from hailong.surveys.services.kiosk import kiosk_device_register


@pytest.fixture
def kiosk(org, admin_user, nhanh):
    campaign = Campaign.objects.create(
        name="Đánh giá nhanh",
        version=nhanh,
        starts_on=timezone.localdate() - timedelta(days=30),
        ends_on=timezone.localdate() + timedelta(days=30),
        channels=["kiosk"],
        status="open",
    )
    campaign.units.set([org.root])
    device, token = kiosk_device_register(
        point=org.point_a, name="Máy tính bảng A", actor=admin_user
    )
    return {"device": device, "token": token, "campaign": campaign}


def post_tap(client, token, key, rating="3", reasons=None, at=None):
    answers = {"DG": rating}
    if reasons:
        answers["LD"] = reasons
    body = {"key": key, "answers": answers, "at": at or timezone.now().isoformat()}
    return client.post(
        "/kiosk/api/taps",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Device {token}",
    )


def test_the_config_gives_the_three_faces_and_reasons(client, kiosk):
    data = client.get("/kiosk/api/config", HTTP_AUTHORIZATION=f"Device {kiosk['token']}").json()
    assert [r["label"] for r in data["ratings"]] == ["Rất hài lòng", "Hài lòng", "Chưa hài lòng"]
    assert "Phải chờ lâu" in [r["label"] for r in data["reasons"]]
    assert data["campaign"] == "Đánh giá nhanh"


def test_a_tap_is_stored_once_however_often_it_is_sent(client, kiosk):
    # The tablet re-sends the tap it queued, its time of tapping included.
    at = timezone.now().isoformat()
    first = post_tap(client, kiosk["token"], "tap-1", rating="1", reasons=["CHO", "THAIDO"], at=at)
    again = post_tap(client, kiosk["token"], "tap-1", rating="1", reasons=["CHO", "THAIDO"], at=at)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["status"] == "duplicate"
    response = Response.objects.get()
    assert (response.channel, response.campaign, response.service_point.code) == (
        "kiosk",
        kiosk["campaign"],
        "qa",
    )
    assert Answer.objects.filter(response=response).count() == 3


def test_a_queued_tap_keeps_the_time_it_was_made(client, kiosk):
    two_hours_ago = timezone.now() - timedelta(hours=2)
    post_tap(client, kiosk["token"], "late", at=two_hours_ago.isoformat())
    assert abs((Response.objects.get().submitted_at - two_hours_ago).total_seconds()) < 1


def test_an_unknown_or_disabled_device_is_refused(client, kiosk):
    assert post_tap(client, "sai-token", "x").status_code == 401
    kiosk["device"].is_active = False
    kiosk["device"].save()
    assert post_tap(client, kiosk["token"], "x").status_code == 401
    assert Response.objects.count() == 0


def test_a_malformed_tap_is_refused(client, kiosk):
    bad = client.post(
        "/kiosk/api/taps",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Device {kiosk['token']}",
    )
    assert bad.status_code == 400
    wrong = post_tap(client, kiosk["token"], "k", rating="9")
    assert wrong.status_code == 422


@override_settings(HAILONG_KIOSK_RATE=(2, 600))
def test_the_device_rate_limit(client, kiosk):
    assert post_tap(client, kiosk["token"], "a").status_code == 201
    assert post_tap(client, kiosk["token"], "b").status_code == 201
    assert post_tap(client, kiosk["token"], "c").status_code == 429
    assert Response.objects.count() == 2


def test_taps_are_kept_even_without_an_open_campaign(client, kiosk):
    kiosk["campaign"].status = "closed"
    kiosk["campaign"].save()
    assert post_tap(client, kiosk["token"], "z").status_code == 201
    assert Response.objects.get().campaign is None


def test_the_token_is_stored_hashed(kiosk):
    assert kiosk["token"] not in kiosk["device"].token_hash


def test_the_kiosk_page_and_its_offline_worker_are_served(client, db):
    assert client.get("/kiosk/").status_code == 200
    worker = client.get("/kiosk/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert "/static/js/kiosk.js" in worker.content.decode()


def send_raw(client, token, text):
    return client.post(
        "/kiosk/api/taps",
        text,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Device {token}",
    )


def test_a_lone_surrogate_in_a_tap_is_refused_with_the_reason(client, kiosk):
    answer = send_raw(client, kiosk["token"], '{"key": "s-1", "answers": {"DG": "3\\udc00"}}')
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "unstorable_text",
        "message": "Văn bản chứa ký tự Unicode không hợp lệ (một nửa cặp thay thế như \\ud800).",
    }
    assert not Response.objects.exists()


def test_a_nul_in_a_tap_key_is_refused_not_stored(client, kiosk):
    answer = send_raw(client, kiosk["token"], '{"key": "n\\u0000", "answers": {"DG": "3"}}')
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "unstorable_text",
        "message": "Văn bản chứa ký tự NUL (\\u0000), không thể lưu.",
    }
    assert not Response.objects.exists()


def test_a_tap_key_longer_than_60_is_refused_not_cut(client, kiosk):
    # Cut to 60, two taps whose keys share their first 60 characters were one tap.
    answer = post_tap(client, kiosk["token"], "t" * 61)
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "malformed",
        "message": "Khóa của lượt chạm dài quá 60 ký tự.",
    }
    assert not Response.objects.exists()


def test_a_tap_key_reused_for_another_tap_is_refused(client, kiosk):
    at = timezone.now().isoformat()
    assert post_tap(client, kiosk["token"], "same", rating="3", at=at).status_code == 201
    other = post_tap(client, kiosk["token"], "same", rating="1", at=at)
    assert other.status_code == 422
    assert other.json()["error"] == "idempotency_key_reused"
    assert Response.objects.count() == 1


def test_a_kiosk_campaign_without_three_faces_gets_a_clear_answer_not_a_500(
    client, org, admin_user, campaign
):
    # `campaign` is SIPAS (five-point scales only) opened on every channel, the kiosk's too:
    # the form refuses that now, but one saved before must not break the tablet.
    _device, token = kiosk_device_register(point=org.point_a, name="Ki-ốt A", actor=admin_user)
    response = client.get("/kiosk/api/config", HTTP_AUTHORIZATION=f"Device {token}")
    assert (response.status_code, response.json()) == (
        409,
        {
            "error": "no_rating_item",
            "message": "Đợt khảo sát “Khảo sát thử nghiệm” không có câu hỏi đánh giá ba mức nên "
            "không thể hỏi trên ki-ốt. Thư ký ISO cần bỏ kênh ki-ốt khỏi đợt khảo sát này.",
        },
    )


def post_status(client, token, body):
    return client.post(
        "/kiosk/api/status",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Device {token}",
    )


@pytest.mark.time_machine("2026-06-10 09:30 +07:00", tick=False)
def test_the_tablet_reports_its_stuck_taps_and_staff_see_them(client, client_for, kiosk, clerk_a):
    response = post_status(client, kiosk["token"], {"stuck": 2, "error": "invalid"})
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    kiosk["device"].refresh_from_db()
    assert (kiosk["device"].stuck_taps, kiosk["device"].stuck_error) == (2, "invalid")
    page = client_for(clerk_a).get(f"/surveys/service-points/{kiosk['device'].service_point.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    row = html[
        html.index("<td>Máy tính bảng A</td>") : html.index("</tr>", html.index("Máy tính bảng A"))
    ]
    assert row == (
        "<td>Máy tính bảng A</td>\n      <td>đang hoạt động</td>\n      <td>10/06/2026 09:30</td>\n"
        '      <td class="num"><strong>2</strong> <span class="muted">(invalid)</span></td>'
    )
    # The taps went through later: the tablet says so, and the count is back to 0.
    assert post_status(client, kiosk["token"], {"stuck": 0, "error": ""}).status_code == 200
    kiosk["device"].refresh_from_db()
    assert (kiosk["device"].stuck_taps, kiosk["device"].stuck_error) == (0, "")


def test_a_malformed_status_report_is_refused(client, kiosk):
    for body in ({}, {"stuck": "2"}, {"stuck": -1}, {"stuck": True}):
        response = post_status(client, kiosk["token"], body)
        assert (response.status_code, response.json()["error"]) == (400, "malformed"), body
    assert post_status(client, "nope", {"stuck": 1}).status_code == 401


@override_settings(HAILONG_KIOSK_RATE=(2, 60))
def test_status_reports_have_their_own_rate_limit(client, kiosk):
    assert post_status(client, kiosk["token"], {"stuck": 1}).status_code == 200
    assert post_status(client, kiosk["token"], {"stuck": 1}).status_code == 200
    assert post_status(client, kiosk["token"], {"stuck": 1}).status_code == 429
    # The reports did not use the taps' allowance.
    assert post_tap(client, kiosk["token"], "a").status_code == 201


def test_reasons_sent_with_a_higher_face_are_not_stored(client, kiosk):
    assert (
        post_tap(client, kiosk["token"], "k-high", rating="2", reasons=["CHO"]).status_code == 201
    )
    assert post_tap(client, kiosk["token"], "k-low", rating="1", reasons=["CHO"]).status_code == 201
    stored = Answer.objects.filter(item__code="LD").values_list(
        "response__idempotency_key", flat=True
    )
    assert [key.rsplit(":", 1)[1] for key in stored] == ["k-low"]
