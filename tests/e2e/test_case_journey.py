"""A complaint from a phone to its rating: the citizen files it and keeps the code, the desk
accepts and assigns it, the unit officer answers, the citizen looks it up and rates the
handling."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_staff
from hailong.feedback.deadlines import install_default_rules
from hailong.feedback.models import Case
from hailong.organisation.models import Role
from tests.e2e.conftest import new_context, shoot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN", "is_mobile": True}


def sign_in(browser, live_server, username):
    context = new_context(browser, viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.get_by_test_id("logout")).to_be_attached()
    return context, page


def test_a_complaint_from_phone_to_rating(browser, live_server, org):
    install_default_rules()
    make_staff("tiepnhan", Role.CLERK, [org.root], "Lê Thị Hồng Nhung")
    officer_a = make_staff("canbo_a", Role.OFFICER, [org.unit_a], "Võ Thanh Tùng")
    make_staff("canbo_b", Role.OFFICER, [org.unit_b], "Đặng Thị Mai")

    # 1. The citizen, on a phone, files a complaint and gets a code.
    phone = new_context(browser, **PHONE)
    citizen = phone.new_page()
    citizen.goto(f"{live_server.url}/phan-anh/?don-vi=UA")
    expect(citizen.locator("html")).to_have_attribute("lang", "vi")
    citizen.get_by_test_id("case-submit").click()  # empty: every problem listed, nothing lost
    expect(citizen.locator(".pub-alert")).to_be_visible()
    # The "second complaint" box is offered under a complaint only.
    citizen.locator("input[name=kind][value=pakn]").check()
    expect(citizen.get_by_test_id("second-instance")).to_be_hidden()
    citizen.locator("input[name=kind][value=complaint]").check()
    expect(citizen.get_by_test_id("second-instance")).to_be_visible()
    citizen.locator("#id_title").fill("Thu phí sai quy định")
    citizen.locator("#id_content").fill("Tôi bị thu 200.000 đồng khi đăng ký khai sinh cho con.")
    citizen.locator("#id_remedy_sought").fill("Hoàn trả khoản phí đã thu.")
    citizen.locator("#id_contact_name").fill("Hoàng Thị Em")
    citizen.locator("#id_contact_phone").fill("0912 345 678")
    citizen.locator("#id_consent").check()
    shoot(citizen, "case-form-phone")
    citizen.get_by_test_id("case-submit").click()
    code = citizen.get_by_test_id("tracking-code").inner_text().strip()
    assert len(code) == 8
    shoot(citizen, "case-filed-phone")
    phone.close()
    assert Case.objects.get(code=code).kind == "complaint"

    # 2. The desk accepts it and assigns it to unit A's officer.
    context, desk = sign_in(browser, live_server, "tiepnhan")
    desk.goto(f"{live_server.url}/cases/?view=unassigned")
    desk.get_by_role("link", name=code).click()
    expect(desk.get_by_test_id("case-code")).to_have_text(code)
    form = desk.get_by_test_id("form-accept")
    # Picking the unit swaps in its officers (htmx). Waiting for the response is not
    # enough: the swap comes after it and resets a choice made in between.
    desk.evaluate(
        "() => { window.officersSwapped = new Promise((done) =>"
        " document.body.addEventListener('htmx:afterSettle', done, {once: true})); }"
    )
    form.locator("select[name=unit]").select_option(str(org.unit_a.pk))
    desk.evaluate("() => window.officersSwapped.then(() => true)")
    form.locator("select[name=officer]").select_option(str(officer_a.pk))
    form.locator("button[type=submit]").click()
    expect(desk.get_by_test_id("assignee")).to_have_text("Võ Thanh Tùng")
    expect(desk.get_by_test_id("handling-unit")).to_have_text(org.unit_a.name)
    shoot(desk, "case-detail-desk")
    context.close()

    # 3. The officer finds it in "my cases" and answers.
    context, officer = sign_in(browser, live_server, "canbo_a")
    officer.goto(f"{live_server.url}/cases/?view=mine")
    officer.get_by_role("link", name=code).click()
    officer.get_by_test_id("form-start").locator("button").click()
    officer.get_by_test_id("form-answer").locator("textarea").fill(
        "Khoản phí thu sai đã được hoàn trả. Xin lỗi Ông/Bà vì sự bất tiện."
    )
    officer.get_by_test_id("form-answer").locator("button").click()
    expect(officer.get_by_test_id("timeline")).to_contain_text("Khoản phí thu sai")
    shoot(officer, "case-detail-officer")
    context.close()

    # 4. The citizen, on another phone session, looks it up and rates the handling.
    phone = new_context(browser, **PHONE)
    citizen = phone.new_page()
    citizen.goto(f"{live_server.url}/tra-cuu/")
    citizen.locator("#id_code").fill(code.lower())
    citizen.locator("#id_phone_last4").fill("5678")
    citizen.locator("#id_phone_last4").press("Enter")
    expect(citizen.get_by_test_id("public-events")).to_contain_text("Khoản phí thu sai")
    expect(citizen.get_by_test_id("public-case")).not_to_contain_text("Võ Thanh Tùng")
    shoot(citizen, "case-status-phone")
    citizen.locator("input[name=rating][value='3']").check()
    citizen.get_by_test_id("rating-form").locator("button").click()
    expect(citizen.get_by_test_id("rated")).to_be_visible()
    shoot(citizen, "case-rated-phone")
    phone.close()
    case = Case.objects.get(code=code)
    assert case.rating == 3 and case.status == "closed"
