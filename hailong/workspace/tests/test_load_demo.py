from io import StringIO

from django.core.management import call_command
from django.db.models import F

from hailong.analytics.rollups import data_range, rollup_differences
from hailong.analytics.tests.recount import python_recount, stored_rollups
from hailong.feedback.models import Case
from hailong.organisation.models import Service, ServiceField, ServicePoint, Staff, Unit


# The demo is loaded once for all the checks of what it holds (a load takes about 20 s).
def test_demo_data_loads_once_and_prints_the_password(db, settings, tmp_path, monkeypatch, client):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    out = StringIO()
    call_command("load_demo", stdout=out)
    password = (tmp_path / "demo-password.txt").read_text().strip()
    assert f"Demo password: {password}" in out.getvalue()
    counts = (
        Unit.objects.count(),
        Service.objects.count(),
        ServicePoint.objects.count(),
        Staff.objects.count(),
    )
    assert counts[0] >= 15 and counts[1] >= 40 and ServiceField.objects.count() >= 8
    assert set(Staff.objects.values_list("role", flat=True)) == {
        "admin",
        "secretary",
        "leader",
        "clerk",
        "officer",
    }
    assert Staff.objects.get(username="tiepnhan").check_password(password)
    # The district desk's counters receive the procedures of their fields.
    land_counter = ServicePoint.objects.get(code="mc-q2")
    assert land_counter.services.count() >= 5
    assert set(land_counter.services.values_list("field__name", flat=True)) == {"Đất đai"}

    # Demo cases are only what the workflow can produce: "in progress" has its officer (who
    # started it), and a transfer after its deadline is recorded late.
    assert Case.objects.count() == 150
    assert Case.objects.filter(status="in_progress", assignee__isnull=True).count() == 0
    assert (
        Case.objects.filter(
            status="transferred", transferred_on__gt=F("transfer_due_on"), missed_deadline=False
        ).count()
        == 0
    )
    # A denunciation about a commune is UBND huyện's, given by the desk to the inspector
    # (Luật Tố cáo 2018 art. 13, 31), whose pages show it.
    about_communes = Case.objects.filter(
        kind="denunciation", unit__kind="commune", handling_unit__code="UBND"
    )
    assert about_communes.exists()
    assert set(about_communes.values_list("assignee__username", flat=True)) == {"thanhtra"}
    client.force_login(Staff.objects.get(username="thanhtra"))
    for case in about_communes:
        assert client.get(f"/cases/{case.code}/").status_code == 200, case.code

    # Its responses went through the write path: the rollups equal a recount, no rebuild needed.
    assert list(rollup_differences(*data_range())) == []
    assert stored_rollups() == python_recount()

    client.logout()
    demo_campaigns_hold_only_what_the_product_can_produce(client)

    settings.HAILONG_PUBLIC_URL = "http://127.0.0.1:8123"  # `make run PORT=8123`
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert "Kiosk tablet demo: http://127.0.0.1:8123/kiosk/#token=" in again.getvalue()
    assert counts == (
        Unit.objects.count(),
        Service.objects.count(),
        ServicePoint.objects.count(),
        Staff.objects.count(),
    )


def test_demo_data_is_refused_in_production(db, settings):
    import pytest
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())


def demo_campaigns_hold_only_what_the_product_can_produce(client):
    """No two open demo campaigns compete for the same responses without a take-over (the
    product's own overlap check), every demo response lies where its campaign serves, and a
    commune counter's QR code opens the quick 3-level form."""
    from hailong.organisation.scope import ancestor_ids
    from hailong.surveys.models import Campaign, Response
    from hailong.surveys.selectors.campaigns import campaigns_overlapping

    for campaign in Campaign.objects.filter(status="open"):
        overlaps = campaigns_overlapping(
            campaign, units=list(campaign.units.all()), services=list(campaign.services.all())
        )
        assert [o.campaign.name for o in overlaps] == [], campaign.name

    campaigns = {c.pk: c for c in Campaign.objects.prefetch_related("units")}
    served = {pk: {u.pk for u in c.units.all()} for pk, c in campaigns.items()}
    outside = []
    for response in Response.objects.select_related("unit").order_by("pk"):
        campaign = campaigns[response.campaign_id]
        if not (
            campaign.starts_on <= response.local_date <= campaign.ends_on
            and response.channel in campaign.channels
            and served[campaign.pk] & set(ancestor_ids(response.unit))
        ):
            outside.append((response.pk, campaign.name, response.channel, response.unit.code))
    assert outside == []
    assert Response.objects.filter(campaign__version__questionnaire__code="nhanh").exists()

    # The README's example: Vĩnh An's one-stop counter shows the quick form, a district
    # counter SIPAS.
    quick = client.get("/danh-gia/va-q1/")
    assert quick.context["version"].questionnaire.code == "nhanh"
    sipas = client.get("/danh-gia/mc-q1/")
    assert sipas.context["version"].questionnaire.code == "sipas"
