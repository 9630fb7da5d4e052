"""The service-point list names the campaign each counter's QR form and kiosk serve today (the
same rule as the point's collection page), in a number of queries that does not grow with the
points."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hailong.organisation.models import ServicePoint
from hailong.surveys.models import Campaign

WEB, KIOSK = "Biểu mẫu trực tuyến (mã QR)", "Ki-ốt đánh giá tại quầy"

pytestmark = pytest.mark.time_machine("2026-12-01 09:00 +07:00", tick=False)


@pytest.fixture
def campaigns(org, sipas, nhanh):
    whole = Campaign.objects.create(
        name="SIPAS 2026",
        version=sipas,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        channels=["web", "paper"],
        status="open",
    )
    whole.units.set([org.root])
    quick = Campaign.objects.create(
        name="Đánh giá nhanh B",
        version=nhanh,
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 12, 31),
        channels=["kiosk"],
        status="open",
    )
    quick.units.set([org.unit_b])
    closed = Campaign.objects.create(
        name="Đánh giá nhanh A đã đóng",
        version=nhanh,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        channels=["kiosk"],
        status="closed",
    )
    closed.units.set([org.unit_a])


def served_cells(page: str) -> dict[str, str]:
    rows = re.findall(
        r"<tr[^>]*><td><code>(\w+)</code>.*?<td data-testid=\"served\">(.*?)</td>", page, re.S
    )
    return {code: re.sub(r"<[^>]+>", "", cell) for code, cell in rows}


@pytest.mark.usefixtures("campaigns")
def test_the_list_names_the_campaign_each_counter_serves(client_for, secretary):
    page = client_for(secretary).get("/org/service-points/").content.decode()
    assert '<th scope="col">Đợt khảo sát phục vụ hôm nay</th>' in page
    assert served_cells(page) == {
        "qa": f"{WEB}: SIPAS 2026{KIOSK}: không có đợt đang mở",
        "qb": f"{WEB}: SIPAS 2026{KIOSK}: Đánh giá nhanh B",
    }


@pytest.mark.usefixtures("campaigns")
def test_the_query_count_does_not_grow_with_the_points(client_for, secretary, org):
    client = client_for(secretary)
    client.get("/org/service-points/")  # the session and the like, once
    with CaptureQueriesContext(connection) as two:
        client.get("/org/service-points/")
    for i in range(6):
        ServicePoint.objects.create(
            unit=[org.unit_a, org.unit_a1, org.unit_b][i % 3], code=f"q{i}", name=f"Quầy {i}"
        )
    with CaptureQueriesContext(connection) as eight:
        page = client.get("/org/service-points/").content.decode()
    assert len(served_cells(page)) == 8
    assert len(eight) == len(two)
