"""The case statistics (QĐ 766 per row), the deadline rules with the working calendar and the
desk's new-case form (first or second instance), on a phone and a desktop: nothing spills out
of the page (wide tables scroll in their card)."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_staff
from hailong.feedback.deadlines import install_default_rules
from hailong.feedback.intake import CaseIntake
from hailong.feedback.services import case_receive
from hailong.organisation.models import Role
from tests.e2e.conftest import new_context, shoot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SIZES = {"phone": (360, 740), "desktop": (1366, 800)}


@pytest.mark.parametrize("size", SIZES)
def test_statistics_and_calendar_fit_the_screen(browser, live_server, org, size):
    install_default_rules()
    make_staff("thuky", Role.SECRETARY, [org.root], "Thư Ký")
    for unit in (org.unit_a, org.unit_b):
        case_receive(
            CaseIntake(kind="pakn", channel="desk", unit=unit, title="Chờ lâu", content="Chờ lâu")
        )
    width, height = SIZES[size]
    context = new_context(
        browser, viewport={"width": width, "height": height}, locale="vi-VN", is_mobile=width < 500
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("thuky")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.get_by_test_id("logout")).to_be_attached()
    for name, path in (
        ("case-stats", "/cases/statistics/?by=unit"),
        ("deadline-rules", "/cases/deadline-rules/?year=2026"),
        ("case-new", "/cases/new/"),
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_be_visible()
        shoot(page, f"{name}-{size}")
        spill = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert spill <= 0, f"{name} is {spill}px wider than the {size} screen"
    # The first/second instance choice is for a complaint only (trial of issue 11, finding 11).
    expect(page.get_by_label("Giải quyết lần hai")).to_be_hidden()
    page.locator('input[name="kind"][value="pakn"]').check()
    expect(page.get_by_label("Giải quyết lần hai")).to_be_hidden()
    page.locator('input[name="kind"][value="complaint"]').check()
    expect(page.get_by_label("Giải quyết lần hai")).to_be_visible()
    page.goto(f"{live_server.url}/cases/deadline-rules/?year=2026")
    expect(page.get_by_test_id("calendar-days")).to_contain_text("Ngày Văn hóa Việt Nam")
    context.close()


def test_the_statistics_page_on_a_phone(browser, live_server, org):
    """At 360 px (trial of issue 11, finding 14): the filters stack so each select keeps a
    readable width, the table scrolls in its own wrapper, the page itself never sideways."""
    install_default_rules()
    make_staff("thuky", Role.SECRETARY, [org.root], "Thư Ký")
    case_receive(
        CaseIntake(kind="pakn", channel="desk", unit=org.unit_a, title="Chờ lâu", content="Chờ")
    )
    context = new_context(
        browser, viewport={"width": 360, "height": 740}, locale="vi-VN", is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("thuky")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.get_by_test_id("logout")).to_be_attached()
    page.goto(f"{live_server.url}/cases/statistics/?by=unit")
    expect(page.get_by_test_id("case-stats")).to_be_attached()
    shoot(page, "case-stats-360")
    for select in ("#id_by", "#id_kind"):
        assert page.locator(select).bounding_box()["width"] >= 200, select
    wrapper = page.get_by_test_id("case-stats-scroll")
    assert wrapper.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    assert wrapper.evaluate("e => e.scrollWidth > e.clientWidth")
    assert wrapper.evaluate("e => e.getBoundingClientRect().right") <= 360
    # Only the wrapper scrolls: not the card around it, not the page.
    card = page.locator("section.card", has=wrapper)
    assert card.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert page.evaluate("document.body.scrollWidth - window.innerWidth") <= 0
    context.close()
