"""The leaders' dashboard in Chromium: a leader filters to a quarter and a unit, sees the
figures change, downloads the units table as XLSX and finds the page's numbers in it; a unit
officer sees only their scope. Screenshots at 1366 px and on a phone (360 px) are kept for
people to look at (hailong/analytics/tests/story.py tells the story)."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from hailong.analytics.tests.story import build_story
from hailong.core.periods import LOCAL_TZ
from tests.e2e.conftest import ARTIFACTS, new_context, shoot

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.time_machine(datetime(2026, 11, 20, 10, 0, tzinfo=LOCAL_TZ)),
]


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next=/analytics/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Bảng tổng hợp sự hài lòng")).to_be_visible()


@pytest.fixture
def story(org, sipas, nhanh, settings):
    settings.HAILONG_MIN_SAMPLE = 3
    return build_story(org, sipas, nhanh)


def test_a_leader_filters_the_dashboard_and_downloads_what_the_page_shows(
    browser, live_server, story, leader, tmp_path
):
    context = new_context(
        browser, viewport={"width": 1366, "height": 900}, locale="vi-VN", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server, "lanhdao")
    page.get_by_label("Khoảng thời gian").fill("Quý III/2026")
    page.get_by_test_id("dash-show").click()
    expect(page.get_by_test_id("dash-period")).to_have_text("Quý III/2026")
    expect(page.get_by_test_id("tile-sipas-value")).to_have_text("75,00%")
    expect(page.get_by_test_id("tile-responses-value")).to_have_text("12")
    shoot(page, "dash-leader-1366")

    page.get_by_label("Đơn vị", exact=True).select_option(label="\u2003Phòng Tư pháp A")
    page.get_by_test_id("dash-show").click()
    expect(page.get_by_test_id("dash-period")).to_have_text("Quý III/2026 · Phòng Tư pháp A")
    expect(page.get_by_test_id("tile-sipas-value")).to_have_text("83,33%")
    units = page.get_by_test_id("dash-units").locator("tbody tr")
    expect(units).to_have_count(2)
    shown = [
        (
            row.locator("th").inner_text(),
            row.get_by_test_id("index").inner_text(),
            row.get_by_test_id("responses").inner_text(),
        )
        for row in units.all()
    ]
    assert shown == [("Tổ hộ tịch A1", "100,00%", "3"), ("Phòng Tư pháp A", "66,67%", "3")]

    with page.expect_download() as info:
        page.get_by_test_id("download-units-xlsx").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "tong-hop-units-2026-Q3.xlsx"
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    in_file = [(r[1], f"{r[4]:.2f}".replace(".", ",") + "%", str(r[2])) for r in rows[2:]]
    assert in_file == shown
    context.close()


def test_the_dashboard_on_a_phone(browser, live_server, story, leader):
    context = new_context(browser, viewport={"width": 360, "height": 780}, locale="vi-VN")
    page = context.new_page()
    sign_in(page, live_server, "lanhdao")
    page.goto(f"{live_server.url}/analytics/?period=Q3/2026")
    expect(page.get_by_test_id("tile-sipas-value")).to_have_text("75,00%")
    # Nothing wider than the screen but the tables' own scrolling cards.
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 360
    shoot(page, "dash-leader-360")
    context.close()


def test_the_years_trend_fits_a_phones_width_with_its_numbers_table(
    browser, live_server, story, leader
):
    context = new_context(browser, viewport={"width": 360, "height": 780}, locale="vi-VN")
    page = context.new_page()
    sign_in(page, live_server, "lanhdao")
    # A month's trend shows the 12 months to it: the widest trend the page draws.
    page.goto(f"{live_server.url}/analytics/?period=2026-11")
    trend = page.get_by_role("img", name="Chỉ số SIPAS và số phiếu theo tháng")
    expect(trend).to_have_count(1)  # the phone's drawing; the wide one is not shown
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = page.locator("#trend-title + .chartbox")
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth")
    drawn = trend.bounding_box()
    assert drawn["x"] >= 0 and drawn["x"] + drawn["width"] <= 360
    # Every other month is labelled; every month keeps its row in the numbers table.
    labels = trend.locator("text").all_text_contents()
    assert [t for t in labels if "/" in t] == ["12/25", "02/26", "04/26", "06/26", "08/26", "10/26"]
    expect(page.get_by_test_id("dash-trend").locator("tbody tr")).to_have_count(12)
    page.locator("#trend-title").scroll_into_view_if_needed()
    page.screenshot(path=_artifact("dash-trend-360"))
    context.close()


def _artifact(name: str) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / f"{name}.png")


def test_a_unit_officer_sees_only_their_scope(browser, live_server, story, officer_a):
    context = new_context(browser, viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    sign_in(page, live_server, "canbo_a")
    page.goto(f"{live_server.url}/analytics/?period=Q3/2026")
    expect(page.get_by_test_id("tile-sipas-value")).to_have_text("83,33%")
    units = page.get_by_test_id("dash-units").locator("tbody th")
    expect(units).to_have_text(["Tổ hộ tịch A1", "Phòng Tư pháp A"])
    options = page.get_by_label("Đơn vị", exact=True).locator("option").all_inner_texts()
    assert [o.strip() for o in options] == [
        "Mọi đơn vị trong phạm vi của bạn",
        "Phòng Tư pháp A",
        "Tổ hộ tịch A1",
    ]
    expect(page.get_by_text("Thái độ chưa tốt")).to_have_count(0)
    shoot(page, "dash-officer-1366")
    context.close()
