"""The quality secretary imports an Excel file with two bad rows, reads why, confirms, and
finds the responses in the list."""

import pytest
from django.test import override_settings
from openpyxl import Workbook
from playwright.sync_api import expect

from conftest import PASSWORD, make_staff
from hailong.core.jobs import run_pending_jobs
from hailong.core.tests.files import raw_xlsx, text_row
from hailong.organisation.models import Role, Unit
from hailong.surveys.file_import import import_run
from hailong.surveys.models import Dossier, Response
from hailong.surveys.tests.test_file_import import HEADER
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


def sign_in_as_secretary(page, live_server):
    make_staff("thuky", Role.SECRETARY, [Unit.objects.get(code="ROOT")], "Nguyễn Thị Thu Hà")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("thuky")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("home-secretary")).to_be_visible()


@override_settings(HAILONG_IMPORT_MAX_ROWS=10_000)
def test_a_hostile_file_ends_with_a_clear_message(page, live_server, org, sipas, tmp_path):
    sign_in_as_secretary(page, live_server)
    path = tmp_path / "nhieu-dong.xlsx"
    # A full header (a header lacking columns is refused before any row is read).
    path.write_bytes(raw_xlsx(text_row(*HEADER) + text_row("x") * 300_000))
    page.goto(f"{live_server.url}/surveys/imports/")
    page.get_by_label("Bộ câu hỏi").select_option(label="Khảo sát sự hài lòng (SIPAS) – v1")
    page.get_by_label("Tệp CSV hoặc Excel").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    wait_for_jobs(page)
    expect(page.get_by_test_id("import-error")).to_contain_text("hơn 10.000 dòng", timeout=15_000)
    shoot(page, "import-too-many-rows")


def test_a_dossier_file_is_checked_in_the_background_then_imported(
    page, live_server, org, tmp_path
):
    sign_in_as_secretary(page, live_server)
    path = tmp_path / "ho-so.csv"
    path.write_text(
        "ma_ho_so,don_vi,ngay_tiep_nhan\nHS-1,UA,02/03/2026\nHS-2,KHONG-CO,02/03/2026\n",
        encoding="utf-8",
    )
    page.goto(f"{live_server.url}/surveys/dossiers/")
    page.get_by_label("Tệp hồ sơ (CSV hoặc Excel)").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    wait_for_jobs(page)
    expect(page.get_by_test_id("import-errors")).to_contain_text("KHONG-CO", timeout=15_000)
    assert not Dossier.objects.exists()
    page.get_by_role("button", name="Nhập 1 dòng hợp lệ").click()
    wait_for_jobs(page)
    expect(page.get_by_test_id("import-done")).to_contain_text("1 hồ sơ", timeout=15_000)
    shoot(page, "import-dossiers-done")
    assert Dossier.objects.filter(code="HS-1").exists()


def test_a_file_imported_before_is_told_before_confirming(page, live_server, org, sipas, tmp_path):
    """Issue 11: the check says how many rows are stored already, and what the header lacks."""
    path = tmp_path / "ket-qua-khao-sat-quy-1.xlsx"
    workbook(path)
    import_run(data=path.read_bytes(), filename=path.name, version=sipas, campaign=None, actor=None)
    sign_in_as_secretary(page, live_server)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/surveys/imports/")
    page.get_by_label("Bộ câu hỏi").select_option(label="Khảo sát sự hài lòng (SIPAS) – v1")
    page.get_by_label("Tệp CSV hoặc Excel").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    wait_for_jobs(page)
    expect(page.get_by_test_id("import-already")).to_have_text(
        "4 dòng đã có trong hệ thống (đã nhập trước đây) và sẽ được bỏ qua.", timeout=15_000
    )
    expect(page.get_by_test_id("import-summary")).to_contain_text("0 dòng sẵn sàng để nhập.")
    expect(page.get_by_role("button", name="Nhập 0 dòng hợp lệ")).to_have_count(0)
    shoot(page, "import-already-stored-1366")
    page.set_viewport_size({"width": 360, "height": 800})
    shoot(page, "import-already-stored-360")

    headless = tmp_path / "thieu-cot.csv"
    headless.write_text("submitted_at,unit,TC1\n05/03/2026,UA,4\n", encoding="utf-8")
    page.goto(f"{live_server.url}/surveys/imports/")
    page.get_by_label("Bộ câu hỏi").select_option(label="Khảo sát sự hài lòng (SIPAS) – v1")
    page.get_by_label("Tệp CSV hoặc Excel").set_input_files(str(headless))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    wait_for_jobs(page)
    expect(page.get_by_test_id("import-error")).to_contain_text(
        "Thiếu cột của câu hỏi bắt buộc trả lời trong bộ câu hỏi này: HL.", timeout=15_000
    )
    shoot(page, "import-missing-columns-360")
    page.set_viewport_size({"width": 1366, "height": 900})
    shoot(page, "import-missing-columns-1366")
