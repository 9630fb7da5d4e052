"""The Django admin under the Content-Security-Policy: the administrator adds an API key (the
two-list unit picker is admin JavaScript) and a kiosk tablet (the service point search box),
sees the secret once, and the browser reports no violation (the conftest fails on any)."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from hailong.api.models import ApiToken
from tests.e2e.conftest import shoot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_administrator_adds_a_key_and_a_kiosk_under_the_policy(page, live_server, admin_user):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Tên đăng nhập").fill(admin_user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/api/apitoken/add/")
    page.get_by_label("Hệ thống").fill("Một cửa điện tử")
    page.get_by_label("Gửi phiếu trả lời").check()
    # The admin's SelectFilter: the unit list becomes two lists with a filter box (JavaScript).
    page.locator("#id_units_input").fill("Tư pháp")
    page.locator("#id_units_from").select_option(label="Phòng Tư pháp A")
    page.locator("#id_units_add").click()
    page.locator("input[name=_save]").click()
    key = page.get_by_test_id("secret").inner_text()
    assert key[:8] == ApiToken.objects.get().prefix
    shoot(page, "admin-api-key-shown-once")

    page.goto(f"{live_server.url}/admin/surveys/kioskdevice/add/")
    page.locator(".select2-selection").first.click()  # the admin's autocomplete (select2)
    page.locator(".select2-search__field").fill("Quầy A")
    page.locator(".select2-results__option", has_text="Quầy A").click()
    page.get_by_label("Tên").fill("Máy tính bảng sảnh")
    page.locator("input[name=_save]").click()
    expect(page.get_by_test_id("secret")).to_contain_text("/kiosk/#token=")
    shoot(page, "admin-kiosk-link-shown-once")
