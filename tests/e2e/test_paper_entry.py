"""A reception clerk types three printed paper forms in with the keyboard alone."""

import csv
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, make_staff
from hailong.organisation.models import Role, Service
from hailong.surveys.models import Campaign, Response
from hailong.surveys.services.paper import paper_batch_allocate
from tests.e2e.conftest import shoot

DEMO_CATALOGUE = settings.BASE_DIR / "hailong" / "organisation" / "demo" / "services.csv"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What is ticked on each sheet, in the order the screen asks: the 19 criteria, HL, MM, YK,
# then the profile (TUOI, GIOI, NGHE). One key per answer; "" leaves it empty (Tab moves on).
SHEETS = [
    ("000001", "4444444445444444400", "5", "", "", "3", "2", "3"),
    ("000002", "5555555555555555500", "5", "", "", "", "", ""),
    ("000003", "2322122221122312000", "2", "23", "Chờ quá lâu", "5", "1", "6"),
]


def _entry_page(page, live_server, org, sipas):
    """The clerk signed in on the entry screen of an open paper campaign with 3 sheets printed."""
    clerk = make_staff("tiepnhan", Role.CLERK, [org.root], "Lê Thị Hồng Nhung")
    campaign = Campaign.objects.create(
        name="Khảo sát SIPAS",
        version=sipas,
        starts_on=timezone.localdate() - timedelta(days=5),
        ends_on=timezone.localdate() + timedelta(days=30),
        channels=["paper"],
        status="open",
    )
    campaign.units.set([org.root])
    paper_batch_allocate(version=sipas, count=3, campaign=campaign, unit=org.unit_a, actor=clerk)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("tiepnhan")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("home-clerk")).to_be_visible()
    page.goto(f"{live_server.url}/surveys/paper/{campaign.pk}/entry/")
    return clerk


@pytest.mark.parametrize("width", [1366, 360])
def test_a_refused_key_is_shown_and_the_cursor_stays(page, live_server, org, sipas, width):
    page.set_viewport_size({"width": width, "height": 800})
    _entry_page(page, live_server, org, sipas)
    box, refused = page.locator("#e_TC1"), page.get_by_test_id("refused-TC1")
    box.focus()
    expect(refused).to_be_hidden()
    for key in ("7", "a"):
        page.keyboard.type(key)
        expect(box).to_be_focused()
        expect(box).to_have_value("")
        expect(box).to_have_class("entry__key entry__key--refused")
        expect(refused).to_be_visible()
        expect(refused).to_have_text(
            f"Phím “{key}” không dùng được ở câu này: chỉ nhận các phím 0, 1, 2, 3, 4, 5. "
            "Con trỏ vẫn ở câu này."
        )
    shoot(page, f"paper-entry-refused-key-{width}")
    page.keyboard.type("4")  # a key of the question: taken, the message gone, on to TC2
    expect(page.locator("#e_TC2")).to_be_focused()
    expect(box).to_have_value("4")
    expect(refused).to_be_hidden()
    expect(box).to_have_class("entry__key")


def test_the_procedure_picker_finds_by_words_without_accents_and_by_code(
    page, live_server, org, sipas
):
    marriage = Service.objects.create(
        code="1.000894", name="Đăng ký kết hôn", field=org.service_a.field, time_limit_days=5
    )
    marriage.units.set([org.unit_a1])
    _entry_page(page, live_server, org, sipas)
    search, options = (
        page.locator("#id_service_search"),
        page.locator("#service-options [role=option]"),
    )
    search.focus()
    page.keyboard.type("dang ky")
    expect(options).to_have_text(  # all start with the words: the shorter names first
        [
            "Đăng ký kết hôn (1.000894)",
            "Đăng ký khai sinh (1.001193)",
            "Đăng ký biến động đất đai B (1.012783)",
        ]
    )
    page.keyboard.type(" khai")
    expect(options).to_have_text(["Đăng ký khai sinh (1.001193)"])
    shoot(page, "paper-entry-procedure-picker")
    page.keyboard.press("Tab")
    expect(page.locator("#id_dossier_code")).to_be_focused()
    expect(search).to_have_value("Đăng ký khai sinh (1.001193)")
    expect(page.locator("#id_service")).to_have_value("1.001193")
    search.focus()
    page.keyboard.type("1.000894")  # the box's text selected on focus: replaced
    expect(options).to_have_text(["Đăng ký kết hôn (1.000894)"])
    page.keyboard.press("Tab")
    expect(page.locator("#id_service")).to_have_value("1.000894")
    page.locator("#id_serial").fill("1")
    page.locator("#e_HL").fill("4")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Đã lưu phiếu 000001")
    assert Response.objects.get().service == marriage


def test_the_procedure_picker_puts_names_starting_with_the_typed_words_first(
    page, live_server, org, sipas
):
    # The demo catalogue (75 procedures): "dang ky" used to list "Cấp lại Giấy chứng nhận đăng
    # ký hộ kinh doanh" first (it holds the words, and "C" sorts before "Đ"), then 8 names in
    # catalogue order without "Đăng ký khai sinh" and without saying more matched.
    with open(DEMO_CATALOGUE, encoding="utf-8") as catalogue:
        names = {row["code"]: row["name"] for row in csv.DictReader(catalogue)}
    for code, name in names.items():
        if code not in (org.service_a.code, org.service_b.code):  # the fixture's, kept
            service = Service.objects.create(
                code=code, name=name, field=org.service_a.field, time_limit_days=5
            )
            service.units.set([org.unit_a1])
    names.update({s.code: s.name for s in (org.service_a, org.service_b)})
    _entry_page(page, live_server, org, sipas)
    search, options = (
        page.locator("#id_service_search"),
        page.locator("#service-options [role=option]"),
    )
    search.focus()
    page.keyboard.type("dang ky")
    # 25 names start with "Đăng ký": the nearer the start the better (all at word 0 here), the
    # shorter the better, so "Đăng ký khai sinh" is among the 8 shown; the rest are counted.
    shortest = ["1.004837", "1.000894", "1.000656", "1.001193", "1.004746", "1.005461"]
    expect(options).to_have_text(
        [f"{names[code]} ({code})" for code in [*shortest, "1.004884", "1.004845"]]  # at most 8
    )
    expect(page.get_by_test_id("service-more")).to_have_text(
        "… và 17 thủ tục khác: gõ thêm để thu hẹp"
    )
    shoot(page, "paper-entry-procedure-more")
    # No name starts with "ket hon": the names where the typed words start words in order
    # (catalogue order), then the one that only holds them ("kết cấu", "hon" inside "không").
    search.fill("")
    page.keyboard.type("ket hon")
    in_order = ["1.000894", "2.000806", "1.004746", "2.002189", "2.000554"]
    expect(options).to_have_text([f"{names[code]} ({code})" for code in [*in_order, "1.013831"]])
    expect(page.get_by_test_id("service-more")).to_have_count(0)  # all 6 shown
    # "khai sinh" starts words of "Đăng ký khai sinh" at its third word, of "Cấp bản sao Trích
    # lục hộ tịch, bản sao Giấy khai sinh" at its tenth: Enter picks the first.
    search.fill("")
    page.keyboard.type("khai sinh")
    khai_sinh = ["1.001193", "2.000528", "1.000689", "1.004884", "2.000635"]
    expect(options).to_have_text([f"{names[code]} ({code})" for code in khai_sinh])
    page.keyboard.press("Enter")
    expect(page.locator("#id_dossier_code")).to_be_focused()
    expect(search).to_have_value("Đăng ký khai sinh (1.001193)")
    expect(page.locator("#id_service")).to_have_value("1.001193")


def test_a_clerk_enters_three_paper_forms_by_keyboard(page, live_server, org, sipas):
    clerk = make_staff("tiepnhan", Role.CLERK, [org.root], "Lê Thị Hồng Nhung")
    campaign = Campaign.objects.create(
        name="Khảo sát SIPAS",
        version=sipas,
        starts_on=timezone.localdate() - timedelta(days=5),
        ends_on=timezone.localdate() + timedelta(days=30),
        channels=["paper"],
        status="open",
    )
    campaign.units.set([org.root])
    paper_batch_allocate(version=sipas, count=3, campaign=campaign, unit=org.unit_a, actor=clerk)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("tiepnhan")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("home-clerk")).to_be_visible()
    page.goto(f"{live_server.url}/surveys/paper/{campaign.pk}/entry/")

    for serial, scores, overall, improve, comment, age, sex, job in SHEETS:
        expect(page.locator("#id_serial")).to_be_focused()
        page.keyboard.type(serial)
        page.keyboard.press("Tab")  # the date on the sheet (today, kept)
        page.keyboard.press("Tab")  # procedure (left empty)
        page.keyboard.press("Tab")  # dossier code (left empty)
        page.keyboard.press("Tab")
        page.keyboard.type(scores)  # each key jumps to the next criterion
        page.keyboard.type(overall)
        if improve:
            page.keyboard.type(improve)
            page.keyboard.press("Tab") if len(improve) < 6 else None
        else:
            page.keyboard.press("Tab")
        page.keyboard.type(comment)
        page.keyboard.press("Tab")
        for key in (age, sex, job):
            if key:
                page.keyboard.type(key)
            else:
                page.keyboard.press("Tab")
        if serial == "000003":
            shoot(page, "paper-entry-filled")
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_contain_text(f"Đã lưu phiếu {serial}")

    expect(page.get_by_test_id("session-count")).to_contain_text("3")
    shoot(page, "paper-entry-after-three")
    stored = {r.paper_serial: r for r in Response.objects.all()}
    assert sorted(stored) == ["000001", "000002", "000003"]
    third = stored["000003"]
    assert third.answers.get(item__code="HL").value == 2
    assert third.answers.get(item__code="YK").text == "Chờ quá lâu"
    assert sorted(a.option.code for a in third.answers.filter(item__code="MM")) == ["CC", "TT"]
    assert third.answers.get(item__code="NGHE").option.code == "HUU"
    assert stored["000001"].answers.get(item__code="PA2").not_applicable
    assert all(r.entered_by == clerk and r.channel == "paper" for r in stored.values())
    assert all(r.unit == org.unit_a for r in stored.values())  # the unit printed on the sheets


def test_enter_in_the_procedure_picker_picks_and_does_not_send_the_sheet(
    page, live_server, org, sipas
):
    _entry_page(page, live_server, org, sipas)
    search = page.locator("#id_service_search")
    search.focus()
    page.keyboard.type("dang ky khai")
    page.keyboard.press("Enter")
    expect(page.locator("#id_dossier_code")).to_be_focused()
    expect(search).to_have_value("Đăng ký khai sinh (1.001193)")
    expect(page.locator("#id_service")).to_have_value("1.001193")
    expect(page.locator(".message--error")).to_have_count(0)
    assert Response.objects.count() == 0
