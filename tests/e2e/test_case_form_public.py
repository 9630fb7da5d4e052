"""The public case form (/phan-anh/) in the browser (acceptance trial of issue 11): every link of
its error list puts the cursor in its field, and Back then Send again, in a browser that keeps
no page in its back/forward cache, opens one case, not two."""

import pytest
from playwright.sync_api import expect

from hailong.feedback.deadlines import install_default_rules
from hailong.feedback.models import Case
from tests.e2e.conftest import new_context, shoot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN", "is_mobile": True}


def _no_store(route):
    """Every page with `Cache-Control: no-store`: Chromium keeps it out of the back/forward
    cache and fetches it again on Back, as the in-app browsers of Zalo or Facebook do."""
    answer = route.fetch()
    route.fulfill(response=answer, headers={**answer.headers, "cache-control": "no-store"})


def test_every_link_of_the_error_list_puts_the_cursor_in_its_field(browser, live_server, org):
    context = new_context(browser, **PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/phan-anh/?don-vi=UA")
    page.get_by_test_id("case-submit").click()  # empty: the kind and the content are missing
    expect(page.locator("#refusal")).to_be_focused()
    links = page.locator("#refusal a")
    assert links.count() >= 2
    for i in range(links.count()):
        link = links.nth(i)
        href = link.get_attribute("href")
        assert href not in ("", "#"), f"“{link.inner_text()}” goes nowhere"
        link.click()
        target = page.locator(href)
        focused = page.evaluate("document.activeElement.id")
        assert target.evaluate(
            "(t, id) => t.id === id || t.contains(document.getElementById(id))", focused
        ), f"“{link.inner_text()}” left the cursor on #{focused}"
    page.locator('#refusal a:has-text("Loại")').click()
    assert page.evaluate("document.activeElement.name") == "kind"
    expect(page.locator("#id_kind legend")).to_be_in_viewport()
    shoot(page, "case-form-phone-error-link")
    context.close()


def test_back_then_send_again_opens_one_case_with_the_same_code(browser, live_server, org):
    install_default_rules()  # normally by migration; transactional tests flush it
    context = new_context(browser, **PHONE)
    page = context.new_page()
    page.route("**/phan-anh/**", _no_store)
    page.goto(f"{live_server.url}/phan-anh/?don-vi=UA")
    page.locator("input[name=kind][value=pakn]").check()
    page.locator("#id_content").fill("Quầy một cửa đông, chờ hơn một giờ mới đến lượt.")
    page.locator("#id_contact_name").fill("Phạm Văn D")
    page.locator("#id_contact_phone").fill("0912 000 111")
    page.locator("#id_consent").check()
    page.get_by_test_id("case-submit").click()
    first = page.get_by_test_id("tracking-code").inner_text().strip()

    page.go_back()
    expect(page.locator("#id_contact_phone")).to_have_value("0912 000 111")  # put back
    page.get_by_test_id("case-submit").click()
    expect(page.get_by_test_id("tracking-code")).to_have_text(first)
    assert list(Case.objects.values_list("code", flat=True)) == [first]
    context.close()
