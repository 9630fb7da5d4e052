"""A clerk signs in in Vietnamese, switches to English and back, and signs out."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_staff
from hailong.organisation.models import Role
from tests.e2e.conftest import new_context, shoot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clerk(org):
    return make_staff("tiepnhan", Role.CLERK, [org.unit_a], "Lê Thị Hồng Nhung")


def test_clerk_signs_in_switches_language_and_signs_out(page, live_server, clerk):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    shoot(page, "login-vi")

    # Keyboard only: type, tab, type, Enter.
    page.get_by_label("Tên đăng nhập").fill("tiepnhan")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Xin chào, Lê Thị Hồng Nhung")).to_be_visible()
    expect(page.get_by_test_id("home-clerk")).to_be_visible()
    expect(page.get_by_test_id("role")).to_contain_text("Cán bộ tiếp nhận")
    shoot(page, "home-clerk-vi")

    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Hello, Lê Thị Hồng Nhung")).to_be_visible()
    expect(page.get_by_test_id("role")).to_contain_text("Reception clerk")
    shoot(page, "home-clerk-en")

    page.get_by_test_id("lang-vi").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", name="Xin chào, Lê Thị Hồng Nhung")).to_be_visible()

    page.locator(".usermenu summary").click()
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")


def test_the_home_page_fits_a_phone(browser, live_server, clerk):
    context = new_context(browser, viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("tiepnhan")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("home-clerk")).to_be_visible()
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(page, "home-clerk-phone")
    context.close()
