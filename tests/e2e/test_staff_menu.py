"""The staff menu at a laptop's 1366 px and a phone's 360 px: every entry is on screen, none
cut off or hidden behind a sideways scroll (the administrator has the longest menu)."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.e2e.conftest import new_context, shoot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# For each menu link: is it inside both the menu and the window (not clipped, not scrolled
# away)? Measured by the browser, so the CSS as shipped is what is tested.
CLIPPED = """() => {
  const list = document.querySelector('.mainnav ul');
  const box = list.getBoundingClientRect();
  return [...list.querySelectorAll('a')].filter((a) => {
    const r = a.getBoundingClientRect();
    return r.width === 0 || r.left < box.left - 0.5 || r.right > box.right + 0.5
      || r.right > window.innerWidth + 0.5 || r.left < -0.5;
  }).map((a) => a.textContent.trim());
}"""


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("quantri")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Điều hướng chính")).to_be_visible()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (360, 740)])
def test_every_menu_entry_is_visible_at_laptop_and_phone_widths(
    browser, live_server, admin_user, width, height
):
    context = new_context(browser, viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server)
        nav = page.get_by_role("navigation", name="Điều hướng chính")
        links = nav.get_by_role("link")
        toggle = nav.get_by_role("button", name="Menu")
        if width == 360:  # folded behind "Menu" (test_the_phone_menu_folds_behind_a_button)
            toggle.click()
        else:
            expect(toggle).to_be_hidden()
        expect(links).to_have_count(15)
        for name in ("Nhập dữ liệu", "Sổ theo dõi hồ sơ", "Khách hàng thường xuyên", "Cán bộ"):
            expect(nav.get_by_role("link", name=name, exact=True)).to_be_in_viewport()
        expect(nav.get_by_role("link", name="Quản trị", exact=True)).to_be_in_viewport()
        assert page.evaluate(CLIPPED) == []
        shoot(page, f"staff-menu-{width}")
    finally:
        context.close()


def test_the_phone_menu_folds_behind_a_button_and_opens_with_it(browser, live_server, admin_user):
    context = new_context(browser, viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server)
        nav = page.get_by_role("navigation", name="Điều hướng chính")
        toggle = nav.get_by_role("button", name="Menu")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(nav.get_by_role("link", name="Nhập dữ liệu", exact=True)).to_be_hidden()
        # The folded menu is one line: the page starts under it, not ~300 px down.
        assert page.evaluate("document.querySelector('.mainnav').offsetHeight") == page.evaluate(
            "document.querySelector('.mainnav__toggle').offsetHeight"
        )
        assert page.evaluate("document.querySelector('.mainnav').offsetHeight") <= 48
        shoot(page, "staff-menu-folded-360")
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(nav.get_by_role("link", name="Nhập dữ liệu", exact=True)).to_be_visible()
        toggle.click()
        expect(nav.get_by_role("link", name="Nhập dữ liệu", exact=True)).to_be_hidden()
    finally:
        context.close()
