"""An e-mailed case link past HAILONG_CASE_LINK_DAYS: the page says so and offers the lookup by
code and digits, the code already filled in (never an error page)."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from hailong.feedback.deadlines import install_default_rules
from hailong.feedback.intake import CaseIntake
from hailong.feedback.notifications import case_link_token
from hailong.feedback.services import case_receive
from tests.e2e.conftest import new_context, shoot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1366, "height": 900}}


@pytest.mark.parametrize("size", SIZES)
def test_an_expired_link_offers_the_lookup(browser, live_server, org, size):
    install_default_rules()
    case, _created = case_receive(
        CaseIntake(
            kind="pakn",
            channel="web",
            unit=org.unit_a,
            title="Giờ làm việc",
            content="Góp ý về giờ làm việc.",
            contact_name="Hoàng Thị Em",
            contact_phone="0912 345 678",
            consent_given=True,
        )
    )
    link = f"{live_server.url}/tra-cuu/l/{case_link_token(case.code)}/"
    later = timezone.now() + timedelta(days=settings.HAILONG_CASE_LINK_DAYS + 1)
    with time_machine.travel(later, tick=True):
        context = new_context(browser, viewport=SIZES[size], locale="vi-VN")
        page = context.new_page()
        page.goto(link)
        expect(page.get_by_test_id("link-expired")).to_contain_text("đã hết hạn")
        expect(page.locator("#id_code")).to_have_value(case.code)
        shoot(page, f"case-link-expired-{size}")
        page.locator("#id_phone_last4").fill("5678")
        page.locator("[data-testid=lookup-form] button[type=submit]").click()
        expect(page).to_have_url(f"{live_server.url}/tra-cuu/{case.code}/")
        context.close()
