"""The survey form's rough edges on a phone and a desktop: the optional "about you" section
looks like something to open, the links of the error list put the cursor in the question, the
comment's limit is said and counted as people count, and the anonymous form explains why it
asks for a name."""

import pytest
from playwright.sync_api import expect

from hailong.surveys.models import Response
from hailong.surveys.schema import TEXT_ANSWER_MAX
from tests.e2e.conftest import new_context, on_its_part, send_form, shoot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1366, "height": 900}}


@pytest.mark.parametrize("size", SIZES)
def test_the_form_says_what_each_part_is_for(browser, live_server, org, campaign, size):
    context = new_context(browser, viewport=SIZES[size], locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/danh-gia/{org.point_a.code}/")
    about = page.locator("details.pub-profile summary")
    expect(about).to_contain_text("Thông tin về Ông/Bà")
    expect(about).to_contain_text("Bấm để mở")  # a collapsed section says it opens
    contact = page.locator("fieldset.pub-contact")
    expect(contact).to_contain_text("Phiếu khảo sát không cần ghi tên")
    expect(page.locator("#hint-YK")).to_have_text("Tối đa 4.000 ký tự.")
    shoot(page, f"public-form-{size}")
    if size == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_a_link_of_the_error_list_puts_the_cursor_in_the_question(
    browser, live_server, org, campaign
):
    context = new_context(browser, viewport=SIZES["phone"], locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/danh-gia/{org.point_a.code}/")
    send_form(page)
    page.locator('#refusal a[href="#item-HL"]').click()
    assert page.evaluate("document.activeElement.name") == "q_HL"
    expect(page.locator("#item-HL legend")).to_be_in_viewport()
    shoot(page, "public-form-phone-error-link")
    context.close()


def test_a_comment_over_the_limit_is_counted_said_and_kept(browser, live_server, org, campaign):
    context = new_context(browser, viewport=SIZES["phone"], locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/danh-gia/{org.point_a.code}/")
    # Typed on a Mac, Vietnamese arrives decomposed (NFD): "ệ" is three code units for the
    # browser's maxlength, one letter for the person and for the count.
    word = "Nghệ "  # 5 letters
    comment = word * (TEXT_ANSWER_MAX // 5) + "x"
    on_its_part(page, "#item-HL").get_by_text("Hài lòng", exact=True).click()
    on_its_part(page, "#item-YK textarea").fill("Chờ lâu")
    expect(page.locator("#hint-YK")).to_have_text("Còn 3.993 ký tự.")  # grouped as Vietnamese
    on_its_part(page, "#item-YK textarea").fill(comment.replace("ệ", "e\u0323\u0302"))
    expect(page.locator("#hint-YK")).to_have_text("Quá 1 ký tự (tối đa 4.000).")
    send_form(page)
    expect(page.locator("#item-YK .pub-error")).to_have_text(
        "Xin viết tối đa 4.000 ký tự (hiện có 4.001)."
    )
    kept = page.locator("#item-YK textarea").input_value()
    assert kept == comment  # nothing cut (given back composed, NFC)
    shoot(page, "public-form-phone-comment-limit")
    on_its_part(page, "#item-YK textarea").press("Control+End")
    on_its_part(page, "#item-YK textarea").press("Backspace")
    expect(page.locator("#hint-YK")).to_have_text("Còn 1 ký tự.")  # the last space is not kept
    send_form(page)
    expect(page.get_by_test_id("thanks")).to_be_visible()
    assert len(Response.objects.get().answers.get(item__code="YK").text) == TEXT_ANSWER_MAX - 1
    context.close()
