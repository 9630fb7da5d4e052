"""The quality secretary imports an Excel file with two bad rows, reads why, confirms, and
finds the responses in the list."""

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from conftest import PASSWORD, make_staff
from hailong.core.jobs import run_pending_jobs
from hailong.organisation.models import Role
from hailong.surveys.models import Response
from tests.e2e.conftest import shoot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CRITERIA = [
    f"{e}{n}"
    for e, k in (("TC", 4), ("TT", 4), ("CC", 5), ("KQ", 3), ("PA", 3))
    for n in range(1, k + 1)
]


def workbook(path):
    book = Workbook()
    sheet = book.active
    sheet.append(["submitted_at", "unit", "service", "dossier_code", *CRITERIA, "HL", "comment"])
    good = [
        [
            "05/03/2026 09:15",
            "UA",
            "1.001193",
            f"HS-{n}",
            *([str(4 + n % 2)] * 19),
            str(4 + n % 2),
            "Cán bộ nhiệt tình",
        ]
        for n in range(4)
    ]
    for r in good[:2]:
        sheet.append(r)
    sheet.append(["05/03/2026", "XA-KHONG-CO", "", "", *(["4"] * 19), "4", ""])  # row 4
    sheet.append(good[2])
    sheet.append(["hôm qua", "UA", "", "", *(["4"] * 19), "9", ""])  # row 6
    sheet.append(good[3])
    book.save(path)


def wait_for_jobs(page):
    for _ in range(20):
        run_pending_jobs()  # the worker `make run` starts; here the test plays it
        page.wait_for_timeout(300)


def test_the_secretary_imports_an_excel_file_with_two_bad_rows(
    page, live_server, org, sipas, tmp_path
):
    make_staff("thuky", Role.SECRETARY, [org.root], "Nguyễn Thị Thu Hà")
    path = tmp_path / "ket-qua-khao-sat-quy-1.xlsx"
    workbook(path)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("thuky")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("home-secretary")).to_be_visible()
    page.goto(f"{live_server.url}/surveys/imports/")
    page.get_by_label("Bộ câu hỏi").select_option(label="Khảo sát sự hài lòng (SIPAS) – v1")
    page.get_by_label("Tệp CSV hoặc Excel").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra tệp").click()

    wait_for_jobs(page)
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_be_visible(timeout=15_000)
    expect(errors).to_contain_text("XA-KHONG-CO")
    expect(errors).to_contain_text("hôm qua")
    expect(page.get_by_test_id("import-summary")).to_contain_text("4")
    shoot(page, "import-report")
    assert Response.objects.count() == 0

    page.get_by_role("button", name="Nhập 4 dòng hợp lệ").click()
    wait_for_jobs(page)
    expect(page.get_by_test_id("import-done")).to_be_visible(timeout=15_000)
    page.get_by_role("link", name="Xem các phiếu trả lời").click()
    expect(page.get_by_test_id("response-count")).to_contain_text("4")
    shoot(page, "import-responses-list")
    assert Response.objects.filter(channel="import").count() == 4
