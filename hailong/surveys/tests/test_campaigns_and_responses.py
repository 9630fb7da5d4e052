import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from hailong.core.models import AuditEntry
from hailong.surveys.models import Campaign, Response
from hailong.surveys.services.responses import Submission, response_submit

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# The responses are given in March and April 2026 (to the fixture's campaign, open around
# today): the clock stands a little later.
pytestmark = pytest.mark.time_machine(datetime(2026, 4, 15, 9, tzinfo=HANOI))


def test_the_secretary_creates_adjusts_opens_and_closes_a_campaign(
    client_for, secretary, sipas, org
):
    client = client_for(secretary)
    data = {
        "name": "Khảo sát quý I",
        "version": sipas.pk,
        "starts_on": "2026-01-01",
        "ends_on": "2026-03-31",
        "units": [org.unit_a.pk],
        "channels": ["web", "paper"],
        "target_responses": 200,
    }
    response = client.post("/surveys/campaigns/new/", data)
    assert response.status_code == 302
    campaign = Campaign.objects.get(name="Khảo sát quý I")
    assert campaign.status == "draft" and campaign.channels == ["web", "paper"]
    client.post(f"/surveys/campaigns/{campaign.pk}/edit/", {**data, "target_responses": 300})
    client.post(f"/surveys/campaigns/{campaign.pk}/status/", {"status": "open"})
    client.post(f"/surveys/campaigns/{campaign.pk}/status/", {"status": "closed"})
    campaign.refresh_from_db()
    assert (campaign.target_responses, campaign.status) == (300, "closed")
    history = AuditEntry.objects.filter(target_id=str(campaign.pk), target_type__model="campaign")
    assert set(history.values_list("action", flat=True)) == {
        "campaign.create",
        "campaign.update",
        "campaign.open",
        "campaign.closed",
    }
    update = history.get(action="campaign.update")
    assert (update.before["target_responses"], update.after["target_responses"]) == (200, 300)
    page = client.get(f"/surveys/campaigns/{campaign.pk}/").content.decode()
    assert "300" in page


def test_a_campaign_cannot_end_before_it_starts(client_for, secretary, sipas, org):
    response = client_for(secretary).post(
        "/surveys/campaigns/new/",
        {
            "name": "Sai",
            "version": sipas.pk,
            "starts_on": "2026-03-01",
            "ends_on": "2026-02-01",
            "units": [org.unit_a.pk],
            "channels": ["web"],
            "target_responses": 1,
        },
    )
    assert response.status_code == 200
    assert "không thể kết thúc trước" in response.content.decode()
    assert not Campaign.objects.filter(name="Sai").exists()


def store(org, version, campaign, unit, channel, day, hl="4"):
    return response_submit(
        Submission(
            version=version,
            unit=unit,
            channel=channel,
            answers={"HL": hl},
            campaign=campaign,
            submitted_at=datetime(2026, day[0], day[1], 10, tzinfo=HANOI),
        )
    ).response


def count_shown(page: str) -> str:
    return re.search(r'data-testid="response-count">([^<]*)<', page).group(1)


def test_the_response_list_filters_within_scope_in_few_queries(
    client_for, officer_a, org, sipas, campaign, django_assert_max_num_queries
):
    store(org, sipas, campaign, org.unit_a1, "web", (3, 5))
    store(org, sipas, campaign, org.unit_a, "paper", (3, 20))
    store(org, sipas, campaign, org.unit_a, "web", (4, 2))
    store(org, sipas, campaign, org.unit_b, "web", (3, 6))
    client = client_for(officer_a)
    with django_assert_max_num_queries(14):
        page = client.get("/surveys/responses/?period=2026-03").content.decode()
    assert count_shown(page) == "2 phiếu trả lời"
    march_web = client.get("/surveys/responses/?period=2026-03&channel=web").content.decode()
    assert count_shown(march_web) == "1 phiếu trả lời"
    bad = client.get("/surveys/responses/?period=2026-13").content.decode()
    assert "Tháng phải từ 1 đến 12." in bad


def test_a_correction_keeps_the_original_and_an_audit_row(
    client_for, secretary, org, sipas, campaign
):
    response = store(org, sipas, campaign, org.unit_a, "paper", (3, 5), hl="2")
    client = client_for(secretary)
    refused = client.post(f"/surveys/responses/{response.pk}/correct/", {"e_HL": "4"})
    assert refused.status_code == 400  # a reason is required
    ok = client.post(
        f"/surveys/responses/{response.pk}/correct/",
        {"e_HL": "4", "reason": "Nhập nhầm từ phiếu giấy"},
    )
    assert ok.status_code == 302
    response = Response.objects.get(pk=response.pk)
    assert response.answers.get(item__code="HL").value == 4
    assert response.original == [
        {"item": "HL", "option": "2", "value": 2, "not_applicable": False, "text": ""}
    ]
    entry = AuditEntry.objects.get(action="response.correct")
    assert entry.actor == secretary and entry.after["reason"] == "Nhập nhầm từ phiếu giấy"


def test_officers_see_responses_but_cannot_correct(client_for, officer_a, org, sipas, campaign):
    response = store(org, sipas, campaign, org.unit_a, "web", (3, 5))
    client = client_for(officer_a)
    assert client.get(f"/surveys/responses/{response.pk}/").status_code == 200
    assert client.get(f"/surveys/responses/{response.pk}/correct/").status_code == 403


def test_the_campaign_list_counts_in_one_query_whatever_the_number_of_campaigns(
    client_for, leader, org, sipas, campaign, django_assert_max_num_queries
):
    for n in range(5):
        other = Campaign.objects.create(
            name=f"Đợt {n}",
            version=sipas,
            starts_on=campaign.starts_on,
            ends_on=campaign.ends_on,
            channels=["web"],
        )
        other.units.set([org.unit_a])
    store(org, sipas, campaign, org.unit_a, "web", (3, 5))
    client = client_for(leader)
    client.get("/surveys/campaigns/")
    with django_assert_max_num_queries(12):
        page = client.get("/surveys/campaigns/").content.decode()
    assert "Đợt 4" in page and "1 / 100" in page


def test_a_kiosk_campaign_needs_a_three_level_question(client_for, secretary, sipas, nhanh, org):
    client = client_for(secretary)
    data = {
        "name": "SIPAS ở ki-ốt",
        "version": sipas.pk,
        "starts_on": "2026-01-01",
        "ends_on": "2026-03-31",
        "units": [org.unit_a.pk],
        "channels": ["web", "kiosk"],
        "target_responses": 1,
    }
    response = client.post("/surveys/campaigns/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["channels"] == [
        "Ki-ốt chỉ hiển thị ba khuôn mặt: phiên bản phiếu này không có câu hỏi đánh giá ba mức. "
        "Hãy bỏ chọn kênh ki-ốt hoặc chọn phiếu đánh giá nhanh."
    ]
    assert not Campaign.objects.filter(name="SIPAS ở ki-ốt").exists()
    # The quick-rating questionnaire has its three faces: the same campaign is taken.
    response = client.post("/surveys/campaigns/new/", {**data, "version": nhanh.pk})
    assert response.status_code == 302
    assert Campaign.objects.get(name="SIPAS ở ki-ốt").version == nhanh
