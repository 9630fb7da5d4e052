"""A unit officer opens the response list: they see the forms given at their unit and those
about their procedures taken at the one-stop desk, the page says so, and the choice narrows."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, make_staff, sipas_answers
from hailong.organisation.models import Role
from hailong.surveys.services.responses import Submission, responses_store
from tests.e2e.conftest import shoot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_officer_sees_the_forms_about_their_procedures(page, live_server, org, campaign):
    make_staff("canbo_a", Role.OFFICER, [org.unit_a], "Trần Văn Bình")
    now = timezone.now()
    responses_store(
        [
            Submission(
                version=campaign.version,
                unit=unit,
                channel="web",
                answers=sipas_answers(),
                campaign=campaign,
                service=service,
                submitted_at=now,
            )
            for unit, service in [
                (org.unit_a1, None),  # given at the officer's unit
                (org.root, org.service_a),  # at the one-stop desk, about their procedure
                (org.root, org.service_b),  # someone else's
            ]
        ]
    )
    page.goto(f"{live_server.url}/accounts/login/?next=/surveys/responses/")
    page.get_by_label("Tên đăng nhập").fill("canbo_a")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("response-count")).to_have_text("2 phiếu trả lời")
    expect(page.get_by_test_id("response-scope")).to_contain_text(
        "phiếu về các thủ tục do đơn vị phụ trách, dù nhận ở đâu"
    )
    shoot(page, "responses-officer-vi")
    page.get_by_label("Phạm vi phiếu").select_option("about")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_test_id("response-count")).to_have_text("1 phiếu trả lời")
