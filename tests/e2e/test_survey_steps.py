"""The long survey form on a 360 px phone, one part per screen: "Phần 2/7", Tiếp and Quay lại,
the reader at the heading of each new part, and after a refusal the part with the error."""

import re

import pytest
from playwright.sync_api import expect

from hailong.surveys.models import Response
from tests.e2e.conftest import new_context, shoot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
SATISFIED = re.compile(r"^Hài lòng$")


def answer_the_part(page, skip=()):
    """Choose "Hài lòng" (or the first choice) in every question of the part on screen."""
    for item in page.locator("fieldset.pub-item:visible").all():
        code = item.get_attribute("id").removeprefix("item-")
        if code in skip or item.locator("input[type=radio]").count() == 0:
            continue
        choice = item.locator("label.pub-choice", has_text=SATISFIED)
        (choice.first if choice.count() else item.locator("label.pub-choice").first).click()


def focused_text(page):
    return page.evaluate("document.activeElement.textContent.trim()")


def open_form(browser, live_server, org):
    context = new_context(browser, viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/danh-gia/{org.point_a.code}/")
    return context, page


def test_a_citizen_walks_the_parts_and_sends_once(browser, live_server, org, campaign):
    context, page = open_form(browser, live_server, org)
    total = int(page.get_by_test_id("survey-form").get_attribute("data-steps"))
    assert total == 7  # "Lần giao dịch" with the first section, six sections, then contact
    progress = page.get_by_test_id("step-progress")
    expect(progress).to_have_text("Phần 1/7")
    expect(page.get_by_role("button", name="Quay lại")).to_be_hidden()
    expect(page.get_by_role("button", name="Gửi ý kiến")).to_be_hidden()
    shoot(page, "public-form-steps-phone-1")

    answer_the_part(page)
    page.get_by_role("button", name="Tiếp").click()
    expect(progress).to_have_text("Phần 2/7")
    heading = page.locator("[data-step='2'] h2").first
    expect(heading).to_be_focused()
    # Back, and the reader is at the first part's heading again, with the answers kept.
    page.get_by_role("button", name="Quay lại").click()
    expect(progress).to_have_text("Phần 1/7")
    expect(page.locator("[data-step='1'] legend").first).to_be_focused()
    assert focused_text(page) == "Lần giao dịch của Ông/Bà"
    page.get_by_role("button", name="Tiếp").click()
    for n in range(2, total):
        expect(progress).to_have_text(f"Phần {n}/7")
        answer_the_part(page)
        page.get_by_role("button", name="Tiếp").click()
    expect(progress).to_have_text("Phần 7/7")
    expect(page.get_by_role("button", name="Tiếp")).to_be_hidden()
    expect(page.locator("fieldset.pub-contact")).to_be_visible()
    shoot(page, "public-form-steps-phone-last")
    page.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.get_by_test_id("thanks")).to_be_visible()
    assert Response.objects.count() == 1
    context.close()


def test_a_refusal_opens_the_part_with_the_error(browser, live_server, org, campaign):
    context, page = open_form(browser, live_server, org)
    hl_part = page.locator("#item-HL").evaluate("e => e.closest('[data-step]').dataset.step")
    for _ in range(1, 7):
        answer_the_part(page, skip={"HL"})  # the overall question is left unanswered
        page.get_by_role("button", name="Tiếp").click()
    page.get_by_role("button", name="Gửi ý kiến").click()

    expect(page.locator("#refusal")).to_be_focused()
    expect(page.get_by_test_id("step-progress")).to_have_text(f"Phần {hl_part}/7")
    expect(page.locator("#item-HL .pub-error")).to_have_text("Vui lòng trả lời câu hỏi này.")
    expect(page.locator("#item-HL")).to_be_visible()
    expect(page.locator("fieldset.pub-contact")).to_be_hidden()
    shoot(page, "public-form-steps-phone-error")
    page.locator('#refusal a[href="#item-HL"]').click()
    assert page.evaluate("document.activeElement.name") == "q_HL"
    page.locator("#item-HL label.pub-choice", has_text=SATISFIED).click()
    for _ in range(int(hl_part), 7):
        page.get_by_role("button", name="Tiếp").click()
    page.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.get_by_test_id("thanks")).to_be_visible()
    assert Response.objects.count() == 1
    context.close()
