"""A counter tablet: taps, including taps made while offline, each counted exactly once."""

import io
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from conftest import PASSWORD, make_staff
from hailong.organisation.models import Role
from hailong.surveys.models import Answer, Campaign, KioskDevice, Response
from hailong.surveys.services.kiosk import kiosk_device_register
from tests.e2e.conftest import ARTIFACTS, new_context, shoot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kiosk_token(org, nhanh):
    campaign = Campaign.objects.create(
        name="Đánh giá nhanh",
        version=nhanh,
        starts_on=timezone.localdate() - timedelta(days=1),
        ends_on=timezone.localdate() + timedelta(days=30),
        channels=["kiosk"],
        status="open",
    )
    campaign.units.set([org.root])
    admin = make_staff("quantri_kiosk", Role.ADMIN, [org.root])
    _device, token = kiosk_device_register(point=org.point_a, name="Tablet A", actor=admin)
    return token


def response_count() -> int | None:
    """The responses stored, or None while the live server is writing: on SQLite the test and
    the server share one in-memory connection, and a read during the tablet's write fails with
    "database table is locked" instead of waiting (tests/e2e/conftest.py)."""
    try:
        return Response.objects.count()
    except OperationalError as exc:
        if "locked" not in str(exc):
            raise
        return None


def wait_for_count(page, n):
    for _ in range(50):
        if response_count() == n:
            return
        page.wait_for_timeout(200)
    assert Response.objects.count() == n


def test_kiosk_taps_online_and_offline(browser, live_server, kiosk_token):
    context = new_context(browser, viewport={"width": 1024, "height": 700}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/kiosk/#token={kiosk_token}")
    expect(page.get_by_role("button", name="Rất hài lòng")).to_be_visible()
    assert "token" not in page.url  # the token leaves the address bar
    shoot(page, "kiosk-faces")

    page.get_by_role("button", name="Rất hài lòng").click()
    expect(page.get_by_role("heading", name="Cảm ơn Ông/Bà đã đánh giá!")).to_be_visible()
    shoot(page, "kiosk-thanks")
    wait_for_count(page, 1)

    # The network goes down: two more taps, one with reasons.
    page.wait_for_timeout(5500)  # the thank-you screen resets by itself
    context.set_offline(True)
    page.get_by_role("button", name="Hài lòng", exact=True).click()
    page.wait_for_timeout(5500)
    page.get_by_role("button", name="Chưa hài lòng").click()
    page.get_by_role("button", name="Phải chờ lâu").click()
    shoot(page, "kiosk-reasons")
    page.get_by_role("button", name="Gửi").click()
    # Said once: where the taps are and what happens to them (not "lưu trên máy này" twice).
    expect(page.get_by_test_id("pending")).to_have_text(
        "Mất kết nối mạng: 2 đánh giá được lưu trên máy này và sẽ được gửi khi có mạng trở lại."
    )
    assert Response.objects.count() == 1

    # The connection returns: the queue empties, each tap stored once.
    context.set_offline(False)
    page.evaluate("window.hailongKiosk.flush()")
    wait_for_count(page, 3)
    expect(page.get_by_test_id("pending")).to_have_text("")

    # A tap whose answer was lost on the way is re-sent: still counted once.
    page.evaluate("""() => {
        const q = [{key: 'resent-1', at: new Date().toISOString(), answers: {DG: '3'}}];
        localStorage.setItem('hailong.kiosk.queue', JSON.stringify(q));
        window.hailongKiosk.flush();
    }""")
    wait_for_count(page, 4)
    page.evaluate("""() => {
        const q = [{key: 'resent-1', at: new Date().toISOString(), answers: {DG: '3'}}];
        localStorage.setItem('hailong.kiosk.queue', JSON.stringify(q));
        window.hailongKiosk.flush();
    }""")
    # Wait for the queue itself to empty (the counter is not redrawn when a test writes the
    # queue directly): a reload with the re-send still in flight would keep it queued.
    page.wait_for_function("() => window.hailongKiosk.queue().length === 0")
    expect(page.get_by_test_id("pending")).to_have_text("")
    assert Response.objects.count() == 4
    ratings = sorted(Answer.objects.filter(item__code="DG").values_list("value", flat=True))
    assert ratings == [1, 2, 3, 3]

    # The tablet reloads while the network is down: the faces still come up (service worker),
    # and a tap made then is sent when the network returns.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # once more online, so the worker controls the page and has cached it
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("button", name="Rất hài lòng")).to_be_visible()
    page.get_by_role("button", name="Rất hài lòng").click()
    expect(page.get_by_test_id("pending")).to_contain_text("1")
    shoot(page, "kiosk-offline-after-reload")
    context.set_offline(False)
    page.evaluate("window.hailongKiosk.flush()")
    wait_for_count(page, 5)
    context.close()


def reasons_by_rating():
    """Each stored tap as (rating, the codes of its reasons), in the order they were stored."""
    stored = []
    for response in Response.objects.order_by("submitted_at", "pk"):
        answers = list(response.answers.select_related("item", "option"))
        rating = next(a.value for a in answers if a.item.code == "DG")
        reasons = sorted(a.option.code for a in answers if a.item.kind == "multi")
        stored.append((rating, reasons))
    return stored


def test_kiosk_reasons_belong_to_one_tap(browser, live_server, kiosk_token):
    context = new_context(browser, viewport={"width": 1024, "height": 700}, locale="vi-VN")
    page = context.new_page()
    page.clock.install()  # the screens reset on timers: run them on at will
    page.goto(f"{live_server.url}/kiosk/#token={kiosk_token}")
    page.get_by_role("button", name="Chưa hài lòng").click()
    chips = page.locator(".chip")
    chips.nth(0).click()
    chips.nth(1).click()
    expect(page.locator('.chip[aria-pressed="true"]')).to_have_count(2)
    page.get_by_role("button", name="Gửi").click()
    expect(page.get_by_role("heading", name="Cảm ơn Ông/Bà đã đánh giá!")).to_be_visible()
    # The tap is queued: no chip stays pressed for the next citizen.
    expect(page.locator('.chip[aria-pressed="true"]')).to_have_count(0)

    page.clock.run_for(5500)  # the thank-you screen resets by itself
    page.get_by_role("button", name="Rất hài lòng").click()
    page.clock.run_for(5500)
    page.get_by_role("button", name="Hài lòng", exact=True).click()
    wait_for_count(page, 3)
    first, second = (c.get_attribute("data-code") for c in chips.all()[:2])
    assert reasons_by_rating() == [(1, sorted([first, second])), (3, []), (2, [])]
    context.close()


def test_a_refused_tap_is_kept_shown_and_reported_never_dropped(browser, live_server, kiosk_token):
    context = new_context(browser, viewport={"width": 1024, "height": 700}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/kiosk/#token={kiosk_token}")
    expect(page.get_by_role("button", name="Rất hài lòng")).to_be_visible()
    # The tablet says which campaign its taps go to.
    expect(page.locator("#place")).to_have_text("Phòng Tư pháp A · Quầy A · Đánh giá nhanh")
    # A tap the server refuses (an answer its questionnaire does not have), then a good one.
    page.evaluate("""() => {
        const q = [{key: 'bad-1', at: new Date().toISOString(), answers: {DG: '9'}}];
        localStorage.setItem('hailong.kiosk.queue', JSON.stringify(q));
        window.hailongKiosk.flush();
    }""")
    expect(page.get_by_test_id("stuck")).to_have_text(
        "1 lượt bị từ chối, đang giữ trên máy: xem trang điểm phục vụ"
    )
    page.get_by_role("button", name="Rất hài lòng").click()
    wait_for_count(page, 1)
    page.wait_for_function("() => window.hailongKiosk.queue().length === 1")
    assert page.evaluate("window.hailongKiosk.queue().map(t => [t.key, t.stuck])") == [
        ["bad-1", "answers"]
    ]
    expect(page.get_by_test_id("pending")).to_have_text("")
    device = KioskDevice.objects.get()
    for _ in range(50):
        device.refresh_from_db()
        if device.stuck_taps:
            break
        page.wait_for_timeout(200)
    assert (device.stuck_taps, device.stuck_error) == (1, "answers")
    shoot(page, "kiosk-stuck-tap")
    # A reload tries it again (staff may have fixed the campaign): still refused, still kept.
    page.reload()
    expect(page.get_by_test_id("stuck")).to_have_text(
        "1 lượt bị từ chối, đang giữ trên máy: xem trang điểm phục vụ"
    )
    assert page.evaluate("window.hailongKiosk.queue().map(t => t.key)") == ["bad-1"]
    assert Response.objects.count() == 1
    context.close()


def test_a_kiosk_campaign_without_faces_is_explained_on_the_tablet(
    browser, live_server, org, sipas
):
    campaign = Campaign.objects.create(
        name="SIPAS cả năm",
        version=sipas,
        starts_on=timezone.localdate() - timedelta(days=1),
        ends_on=timezone.localdate() + timedelta(days=30),
        channels=["kiosk"],
        status="open",
    )
    campaign.units.set([org.root])
    admin = make_staff("quantri_kiosk", Role.ADMIN, [org.root])
    _device, token = kiosk_device_register(point=org.point_a, name="Tablet A", actor=admin)
    for width, height in ((360, 740), (1366, 768)):
        context = new_context(browser, viewport={"width": width, "height": height}, locale="vi-VN")
        page = context.new_page()
        page.goto(f"{live_server.url}/kiosk/#token={token}")
        expect(page.get_by_test_id("unusable")).to_have_text(
            "Đợt khảo sát “SIPAS cả năm” không có câu hỏi đánh giá ba mức nên không thể hỏi "
            "trên ki-ốt. Thư ký ISO cần bỏ kênh ki-ốt khỏi đợt khảo sát này."
        )
        expect(
            page.get_by_role("heading", name="Ki-ốt này hiện chưa nhận được đánh giá.")
        ).to_be_visible()
        shoot(page, f"kiosk-unusable-{width}")
        context.close()


def test_staff_see_the_counter_s_campaign_and_its_stuck_taps(browser, live_server, org, nhanh):
    """The screen staff check: the campaign each channel serves, each tablet's last contact
    and stuck taps (screenshots at phone and desktop widths)."""
    campaign = Campaign.objects.create(
        name="Đánh giá nhanh",
        version=nhanh,
        starts_on=timezone.localdate() - timedelta(days=1),
        ends_on=timezone.localdate() + timedelta(days=30),
        channels=["web", "kiosk"],
        status="open",
    )
    campaign.units.set([org.root])
    admin = make_staff("quantri_kiosk", Role.ADMIN, [org.root])
    device, _token = kiosk_device_register(point=org.point_a, name="Máy tính bảng A", actor=admin)
    KioskDevice.objects.filter(pk=device.pk).update(
        last_seen_at=timezone.now(), stuck_taps=3, stuck_error="answers"
    )
    make_staff("tiepnhan_a", Role.CLERK, [org.unit_a], "Tiếp Nhận A")
    for width, height in ((360, 740), (1366, 768)):
        context = new_context(browser, viewport={"width": width, "height": height}, locale="vi-VN")
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/?next=/org/service-points/{org.point_a.pk}/")
        page.get_by_label("Tên đăng nhập").fill("tiepnhan_a")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.keyboard.press("Enter")
        page.get_by_role("link", name="Đợt khảo sát đang phục vụ, ki-ốt và các lượt bị giữ").click()
        expect(page.get_by_test_id("served")).to_contain_text("Ki-ốt đánh giá tại quầy")
        expect(page.get_by_test_id("tablets").locator("tbody tr td").nth(3)).to_have_text(
            "3 (câu trả lời mà phiếu của đợt khảo sát không có)"
        )
        shoot(page, f"point-collection-{width}")
        context.close()


def _pixels_inside(page, chips) -> list[tuple[int, int, int]]:
    """The colour the screen shows inside each chip, between its top border and its text: what
    a citizen sees, the browser's own tap highlight included (computed styles miss it). One
    full-page capture, taken straight after the taps (the highlight fades)."""
    boxes = [chip.bounding_box() for chip in chips]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
    shot.save(ARTIFACTS / "kiosk-two-chips-pressed.png")
    return [shot.getpixel((int(b["x"] + b["width"] / 2), int(b["y"] + 7))) for b in boxes]


def test_every_pressed_chip_looks_the_same(browser, live_server, kiosk_token):
    # On the tablet the chip tapped last was covered by the browser's grey tap highlight, so
    # two pressed chips looked different (one white, one grey).
    context = new_context(
        browser, viewport={"width": 1024, "height": 700}, locale="vi-VN", has_touch=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/kiosk/#token={kiosk_token}")
    page.get_by_role("button", name="Chưa hài lòng").click()
    chips = page.locator(".chip")
    chips.nth(0).tap()
    chips.nth(1).tap()  # the finger last on this one
    expect(page.locator('.chip[aria-pressed="true"]')).to_have_count(2)
    white, blue = (255, 255, 255), (11, 61, 110)
    assert _pixels_inside(page, [chips.nth(i) for i in range(3)]) == [white, white, blue]
    context.close()
