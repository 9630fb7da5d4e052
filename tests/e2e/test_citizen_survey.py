"""A citizen scans the QR code at a counter and fills in the form on a phone."""

import pytest
from playwright.sync_api import expect

from hailong.surveys.models import Response
from tests.e2e.conftest import new_context, on_its_part, send_form, shoot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CRITERIA = [
    f"{e}{n}"
    for e, k in (("TC", 4), ("TT", 4), ("CC", 5), ("KQ", 3), ("PA", 3))
    for n in range(1, k + 1)
]


def test_the_public_form_on_a_phone_from_the_qr_link(browser, live_server, org, campaign):
    context = new_context(
        browser,
        viewport={"width": 360, "height": 740},
        locale="vi-VN",
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/danh-gia/{org.point_a.code}/?dv=1.001193")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_contain_text("PHIẾU KHẢO SÁT")
    expect(page.locator("#id_service")).to_have_value("1.001193")
    shoot(page, "public-form-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Send too early: the overall question is required; nothing typed is lost.
    on_its_part(page, "#item-TC1").get_by_text("Hài lòng", exact=True).click()
    send_form(page)
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.locator("#item-HL")).to_contain_text("Vui lòng trả lời câu hỏi này")
    expect(page.locator('#item-TC1 input[value="4"]')).to_be_checked()
    shoot(page, "public-form-phone-error")

    for code in CRITERIA[1:]:
        on_its_part(page, f"#item-{code}").get_by_text("Rất hài lòng", exact=True).click()
    on_its_part(page, "#item-PA3").get_by_text("Không áp dụng").click()
    on_its_part(page, "#item-HL").get_by_text("Hài lòng", exact=True).click()
    on_its_part(page, "#item-YK textarea").fill("Cán bộ hướng dẫn rất tận tình.")
    send_form(page)

    expect(page.get_by_test_id("thanks")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cảm ơn")
    shoot(page, "public-form-thanks")
    response = Response.objects.get()
    assert response.channel == "web" and response.service.code == "1.001193"
    assert response.answers.get(item__code="YK").text == "Cán bộ hướng dẫn rất tận tình."
    context.close()
