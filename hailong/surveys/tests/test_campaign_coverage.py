"""Issue 10 §3 on the staff and citizens' paths: a campaign covering only unit B takes no
response about unit A, neither a paper sheet typed in nor the QR form of A's counter. (The API
and the file import: hailong/api/tests/test_api_dossier_scope.py and test_dossier_scope.py.)"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hailong.public.tests.test_survey_form import form_data
from hailong.surveys.models import Campaign, Response
from hailong.surveys.services.paper import paper_batch_allocate
from hailong.surveys.tests.test_paper import keys

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.time_machine(datetime(2026, 4, 15, 9, tzinfo=HANOI))


@pytest.fixture
def only_b(org, sipas):
    today = datetime(2026, 4, 15).date()
    campaign = Campaign.objects.create(
        name="Khảo sát riêng B",
        version=sipas,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=60),
        channels=["web", "paper"],
        status="open",
    )
    campaign.units.set([org.unit_b])
    return campaign


def test_a_sheet_printed_for_a_cannot_be_typed_into_bs_campaign(
    client_for, secretary, campaign, only_b, sipas, org
):
    paper_batch_allocate(
        version=sipas, count=5, campaign=campaign, unit=org.unit_a, actor=secretary
    )
    response = client_for(secretary).post(
        f"/surveys/paper/{only_b.pk}/entry/", keys(serial="000001", unit=org.unit_a.pk)
    )
    assert response.status_code == 400
    assert response.context["errors"] == {
        "serial": "Chưa có phiếu số 000001 nào được in cho mẫu phiếu này."
    }
    assert not Response.objects.exists()


def test_the_qr_form_of_as_counter_does_not_take_answers_for_bs_campaign(client, org, only_b):
    page = client.post(f"/danh-gia/{org.point_a.code}/", form_data())
    assert page.status_code == 200
    assert 'data-testid="no-campaign"' in page.content.decode()
    assert not Response.objects.exists()
