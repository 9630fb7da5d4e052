"""A new campaign never takes over a running one unannounced: an overlap on the same units,
channels and days is refused with the other campaign's name, unless the secretary lets the new
one take over there (recorded, audited, shown on the counter's page and the kiosk)."""

from datetime import date

import pytest

from hailong.core.models import AuditEntry
from hailong.surveys.models import Campaign
from hailong.surveys.services.kiosk import kiosk_device_register

pytestmark = pytest.mark.time_machine("2026-12-01 09:00 +07:00", tick=False)

REFUSED = (
    "Đợt khảo sát đang mở “SIPAS 2026” nhận ý kiến tại các đơn vị này qua Biểu mẫu trực "
    "tuyến (mã QR), Ki-ốt đánh giá tại quầy từ 01/12/2026 đến 31/12/2026. Hãy đổi đơn vị, kênh "
    "hoặc thời gian, hoặc đánh dấu “Cho đợt này thay thế” để đợt này phục vụ ở đó."
)


@pytest.fixture
def sipas_2026(org, sipas):
    """SIPAS, open until 31/12 on the QR form, the kiosk and paper, at every unit."""
    campaign = Campaign.objects.create(
        name="SIPAS 2026",
        version=sipas,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        channels=["web", "kiosk", "paper"],
        status="open",
    )
    campaign.units.set([org.root])
    return campaign


def quick_form(org, nhanh, **changes):
    return {
        "name": "Đánh giá nhanh một cửa",
        "version": nhanh.pk,
        "starts_on": "2026-12-01",
        "ends_on": "2027-01-31",
        "units": [org.unit_a.pk],
        "channels": ["web", "kiosk"],
        "target_responses": 0,
        **changes,
    }


def served_at_point_a(client, org):
    html = client.get(f"/surveys/service-points/{org.point_a.pk}/").content.decode()
    start = html.index('data-testid="served">')
    return html[start : html.index("</dl>", start)]


def test_opening_a_campaign_over_a_running_one_is_refused_naming_it(
    client_for, secretary, org, nhanh, sipas_2026
):
    client = client_for(secretary)
    assert client.post("/surveys/campaigns/new/", quick_form(org, nhanh)).status_code == 302
    quick = Campaign.objects.get(name="Đánh giá nhanh một cửa")
    page = client.post(
        f"/surveys/campaigns/{quick.pk}/status/", {"status": "open"}, follow=True
    ).content.decode()
    assert REFUSED in page
    quick.refresh_from_db()
    assert (quick.status, list(quick.takes_over.all())) == ("draft", [])
    assert not AuditEntry.objects.filter(action__in=["campaign.open", "campaign.take_over"])
    # The counter still serves SIPAS on both channels.
    assert served_at_point_a(client, org).count("SIPAS 2026") == 2
    assert "Đánh giá nhanh một cửa" not in served_at_point_a(client, org)


def test_the_secretary_lets_the_new_campaign_take_over_explicitly(
    client, client_for, secretary, admin_user, org, nhanh, sipas_2026
):
    staff = client_for(secretary)
    staff.post("/surveys/campaigns/new/", quick_form(org, nhanh))
    quick = Campaign.objects.get(name="Đánh giá nhanh một cửa")
    response = staff.post(
        f"/surveys/campaigns/{quick.pk}/status/", {"status": "open", "take_over": "1"}
    )
    assert response.status_code == 302
    quick.refresh_from_db()
    assert (quick.status, list(quick.takes_over.all())) == ("open", [sipas_2026])
    entry = AuditEntry.objects.get(action="campaign.take_over")
    assert (entry.actor, entry.target_id, entry.after) == (
        secretary,
        str(quick.pk),
        {
            "takes_over": [
                {
                    "campaign": sipas_2026.pk,
                    "name": "SIPAS 2026",
                    "channels": ["web", "kiosk"],
                    "starts_on": "2026-12-01",
                    "ends_on": "2026-12-31",
                }
            ]
        },
    )
    # Shown: on both campaigns' pages, on the counter's page, and to the kiosk.
    detail = staff.get(f"/surveys/campaigns/{quick.pk}/").content.decode()
    assert (
        f'data-testid="takes-over"><a href="/surveys/campaigns/{sipas_2026.pk}/">SIPAS 2026</a>'
        in detail
    )
    detail = staff.get(f"/surveys/campaigns/{sipas_2026.pk}/").content.decode()
    assert (
        f'data-testid="taken-over-by"><a href="/surveys/campaigns/{quick.pk}/">'
        "Đánh giá nhanh một cửa</a>"
    ) in detail
    served = served_at_point_a(staff, org)
    assert (served.count("Đánh giá nhanh một cửa"), served.count("SIPAS 2026")) == (2, 0)
    _device, token = kiosk_device_register(point=org.point_a, name="Ki-ốt A", actor=admin_user)
    config = client.get("/kiosk/api/config", HTTP_AUTHORIZATION=f"Device {token}").json()
    assert config["campaign"] == "Đánh giá nhanh một cửa"
    # Unit B, outside the new campaign, is still SIPAS's.
    served_b = staff.get(f"/surveys/service-points/{org.point_b.pk}/").content.decode()
    assert (served_b.count("SIPAS 2026"), served_b.count("Đánh giá nhanh một cửa")) == (2, 0)


def test_editing_an_open_campaign_into_an_overlap_is_refused(
    client_for, secretary, org, nhanh, sipas_2026
):
    quick = Campaign.objects.create(
        name="Đánh giá nhanh một cửa",
        version=nhanh,
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 1, 31),
        channels=["web", "kiosk"],
        status="open",
    )
    quick.units.set([org.unit_a])
    client = client_for(secretary)
    response = client.post(f"/surveys/campaigns/{quick.pk}/edit/", quick_form(org, nhanh))
    assert response.status_code == 200
    assert response.context["form"].errors["take_over"] == [REFUSED]
    quick.refresh_from_db()
    assert (quick.starts_on, list(quick.takes_over.all())) == (date(2027, 1, 1), [])
    # Ticked, the same change is taken and recorded.
    response = client.post(
        f"/surveys/campaigns/{quick.pk}/edit/", quick_form(org, nhanh, take_over="on")
    )
    assert response.status_code == 302
    quick.refresh_from_db()
    assert (quick.starts_on, list(quick.takes_over.all())) == (date(2026, 12, 1), [sipas_2026])


def test_campaigns_that_do_not_compete_open_without_a_question(
    client_for, secretary, org, nhanh, sipas_2026
):
    client = client_for(secretary)
    # Paper only (paper entry names its campaign), and the kiosk only at unit B after SIPAS.
    client.post("/surveys/campaigns/new/", quick_form(org, nhanh, name="Giấy", channels=["paper"]))
    client.post(
        "/surveys/campaigns/new/",
        quick_form(org, nhanh, name="Sang năm", starts_on="2027-01-01", units=[org.unit_b.pk]),
    )
    for name in ("Giấy", "Sang năm"):
        campaign = Campaign.objects.get(name=name)
        client.post(f"/surveys/campaigns/{campaign.pk}/status/", {"status": "open"})
        campaign.refresh_from_db()
        assert (name, campaign.status) == (name, "open")
