"""Back, then Send again, in a browser that keeps no page in its back/forward cache (the
in-app browsers of Zalo or Facebook): the page is fetched again, the browser puts back what
was typed, and the second press of "Send" must not store a second response or open a second
follow-up case for the same person."""

import pytest
from playwright.sync_api import expect

from hailong.feedback.deadlines import install_default_rules
from hailong.feedback.models import Case
from hailong.surveys.models import Response
from hailong.surveys.schema import schema_for
from tests.e2e.conftest import new_context, on_its_part, send_form

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _no_store(route):
    """Serve every page with `Cache-Control: no-store`: Chromium then keeps it out of the
    back/forward cache and fetches it again on Back, as those in-app browsers do."""
    answer = route.fetch()
    route.fulfill(response=answer, headers={**answer.headers, "cache-control": "no-store"})


def test_back_then_send_again_stores_one_response_and_one_case(
    browser, live_server, org, campaign, sipas
):
    install_default_rules()  # normally by migration; transactional tests flush it
    context = new_context(browser, viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    page.route("**/danh-gia/**", _no_store)
    page.goto(f"{live_server.url}/danh-gia/{org.point_a.code}/?dv={org.service_a.code}")
    for item in schema_for(sipas).items:
        if item.kind == "scale5":
            on_its_part(page, f'#item-{item.code} input[value="1"]').check(force=True)
    on_its_part(page, '#item-HL input[value="1"]').check(force=True)
    on_its_part(page, "#id_contact_name").fill("Phạm Văn D")
    on_its_part(page, "#id_contact_phone").fill("0912 000 111")
    on_its_part(page, 'input[name="consent"]').check()
    send_form(page)
    expect(page.get_by_test_id("thanks")).to_be_visible()

    page.go_back()
    expect(page.locator("#id_contact_phone")).to_have_value("0912 000 111")  # put back
    send_form(page)
    expect(page.get_by_test_id("thanks")).to_be_visible()
    assert Response.objects.count() == 1
    assert Case.objects.filter(channel="survey").count() == 1
    context.close()
