"""The QR form serving the quick questionnaire on a phone: the reasons question belongs to the
lowest face, shown when it is chosen and hidden (its ticks cleared) when the person changes."""

import pytest
from playwright.sync_api import expect

from hailong.surveys.models import Response
from tests.e2e.conftest import new_context, shoot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_reasons_show_only_with_the_lowest_face(browser, live_server, org, quick_campaign):
    context = new_context(browser, viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/danh-gia/{org.point_a.code}/")
    faces, reasons = page.locator("#item-DG"), page.locator("#item-LD")
    expect(reasons).to_be_hidden()  # no face chosen yet
    shoot(page, "quick-form-phone")

    faces.get_by_text("Hài lòng", exact=True).click()
    expect(reasons).to_be_hidden()
    faces.get_by_text("Chưa hài lòng", exact=True).click()
    expect(reasons).to_be_visible()
    reasons.get_by_text("Phải chờ lâu").click()
    expect(reasons.get_by_label("Phải chờ lâu")).to_be_checked()
    shoot(page, "quick-form-phone-reasons")

    # The person changes their mind: the reasons go away, and do not come back ticked.
    faces.get_by_text("Rất hài lòng", exact=True).click()
    expect(reasons).to_be_hidden()
    expect(reasons.get_by_label("Phải chờ lâu")).not_to_be_checked()
    faces.get_by_text("Chưa hài lòng", exact=True).click()
    expect(reasons.get_by_label("Phải chờ lâu")).not_to_be_checked()
    faces.get_by_text("Rất hài lòng", exact=True).click()

    page.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.get_by_test_id("thanks")).to_be_visible()
    stored = Response.objects.get()
    assert list(stored.answers.values_list("item__code", "option__code")) == [("DG", "3")]
    context.close()
