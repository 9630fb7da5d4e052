import io
import json
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from conftest import make_staff, make_unit
from hailong.organisation.models import Role, Service
from hailong.surveys.documents.paper_forms import paper_forms_pdf
from hailong.surveys.models import PaperBatch, Response
from hailong.surveys.selectors.paper import paper_batch_for_serial
from hailong.surveys.services.paper import paper_batch_allocate


def test_print_runs_get_consecutive_serials(admin_user, sipas):
    first = paper_batch_allocate(version=sipas, count=50, actor=admin_user)
    second = paper_batch_allocate(version=sipas, count=10, actor=admin_user)
    assert (first.first_serial, first.last_serial) == (1, 50)
    assert (second.first_serial, second.last_serial) == (51, 60)
    assert paper_batch_for_serial(sipas, "000055") == second
    assert paper_batch_for_serial(sipas, "000061") is None
    assert paper_batch_for_serial(sipas, "abc") is None


def test_a_print_run_is_one_pdf_with_every_sheet(admin_user, sipas, org):
    batch = paper_batch_allocate(version=sipas, count=3, actor=admin_user, unit=org.unit_a)
    pdf = paper_forms_pdf(batch)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type /Page\b", pdf))
    assert pages >= 3 and pages % 3 == 0  # every sheet has the same number of pages


@pytest.fixture
def batch(clerk_a, sipas, campaign, org):
    return paper_batch_allocate(
        version=sipas, count=5, campaign=campaign, unit=org.unit_a, actor=clerk_a
    )


def keys(**extra):
    data = {
        f"e_{c}": "4"
        for c in [
            "TC1",
            "TC2",
            "TC3",
            "TC4",
            "TT1",
            "TT2",
            "TT3",
            "TT4",
            "CC1",
            "CC2",
            "CC3",
            "CC4",
            "CC5",
            "KQ1",
            "KQ2",
            "KQ3",
            "PA1",
            "PA2",
        ]
    }
    data.update({"e_PA3": "0", "e_HL": "5", "e_MM": "13", "e_TUOI": "2", "e_YK": "Tốt"})
    data.update(extra)
    return data


def test_a_clerk_types_in_a_sheet(client_for, clerk_a, campaign, batch, org):
    client = client_for(clerk_a)
    url = f"/surveys/paper/{campaign.pk}/entry/"
    assert client.get(url).status_code == 200
    response = client.post(url, keys(serial="000001", unit=org.unit_a.pk), follow=True)
    page = response.content.decode()
    assert (
        "Đã lưu phiếu 000001 của Phòng Tư pháp A. Đợt in 000001–000005: đã nhập 1/5 phiếu." in page
    )
    stored = Response.objects.get()
    assert (stored.channel, stored.paper_serial, stored.entered_by) == ("paper", "000001", clerk_a)
    assert stored.answers.get(item__code="HL").value == 5
    assert sorted(a.option.code for a in stored.answers.filter(item__code="MM")) == ["CC", "TC"]
    assert stored.answers.get(item__code="PA3").not_applicable


def test_a_serial_is_read_as_a_number_so_2_is_sheet_000002(
    client_for, clerk_a, campaign, batch, org
):
    client = client_for(clerk_a)
    url = f"/surveys/paper/{campaign.pk}/entry/"
    assert client.post(url, keys(serial="2")).status_code == 302
    assert client.post(url, keys(serial="000002")).status_code == 409
    assert list(Response.objects.values_list("paper_serial", "unit")) == [("000002", org.unit_a.pk)]


def test_a_serial_typed_twice_is_refused_and_the_typing_kept(
    client_for, clerk_a, campaign, batch, org
):
    client = client_for(clerk_a)
    url = f"/surveys/paper/{campaign.pk}/entry/"
    client.post(url, keys(serial="000002", unit=org.unit_a.pk))
    again = client.post(url, keys(serial="000002", unit=org.unit_a.pk, e_YK="Lần hai"))
    assert again.status_code == 409
    page = again.content.decode()
    assert "đã được nhập" in page and 'value="Lần hai"' in page
    assert Response.objects.count() == 1


def test_a_serial_never_printed_or_a_wrong_key_is_refused(
    client_for, clerk_a, campaign, batch, org
):
    client = client_for(clerk_a)
    url = f"/surveys/paper/{campaign.pk}/entry/"
    assert client.post(url, keys(serial="000999", unit=org.unit_a.pk)).status_code == 400
    wrong = client.post(url, keys(serial="000003", unit=org.unit_a.pk, e_TC1="8"))
    assert wrong.status_code == 400
    assert Response.objects.count() == 0


def test_the_poster_is_a_pdf(client_for, clerk_a, org):
    response = client_for(clerk_a).get(
        f"/surveys/service-points/{org.point_a.pk}/poster.pdf?size=A5"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- the date written on the sheet (issue 11) -------------------------------------------------

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.time_machine(datetime(2026, 10, 3, 9, tzinfo=HANOI))
def test_a_sheet_typed_after_the_quarter_counts_on_the_day_written_on_it(
    client_for, clerk_a, secretary, campaign, batch, org
):
    # The sheets were printed before they were filled in, in September.
    PaperBatch.objects.filter(pk=batch.pk).update(printed_at=datetime(2026, 9, 1, tzinfo=HANOI))
    client = client_for(clerk_a)
    url = f"/surveys/paper/{campaign.pk}/entry/"
    assert 'name="sheet_date" value="03/10/2026"' in client.get(url).content.decode()
    assert client.post(url, keys(serial="1", sheet_date="2026-09-28")).status_code == 302
    stored = Response.objects.get()
    assert stored.local_date == date(2026, 9, 28)  # the third quarter, not the fourth
    assert stored.submitted_at == datetime(2026, 9, 28, 12, tzinfo=HANOI)
    # The next sheet of the stack keeps the date typed; typed by hand as dd/mm/yyyy it is read.
    assert 'name="sheet_date" value="28/09/2026"' in client.get(url).content.decode()
    assert client.post(url, keys(serial="2", sheet_date="27/09/2026")).status_code == 302
    assert sorted(Response.objects.values_list("local_date", flat=True)) == [
        date(2026, 9, 27),
        date(2026, 9, 28),
    ]
    reader = client_for(secretary)
    detail = reader.get(f"/surveys/responses/{stored.pk}/").content.decode()
    assert re.search(r'data-testid="sheet-date">28/09/2026<', detail)
    listing = reader.get("/surveys/responses/").content.decode()
    assert ">28/09/2026</a>" in listing and ">27/09/2026</a>" in listing


@pytest.mark.time_machine(datetime(2026, 10, 3, 9, tzinfo=HANOI))
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-10-04", "Ngày 04/10/2026 nằm trong tương lai."),
        ("31/02/2026", "Nhập ngày ghi trên phiếu theo dạng ngày/tháng/năm (dd/mm/yyyy)."),
        ("hôm qua", "Nhập ngày ghi trên phiếu theo dạng ngày/tháng/năm (dd/mm/yyyy)."),
        (
            "2026-04-05",
            "Ngày ghi trên phiếu trước ngày bắt đầu đợt khảo sát (06/04/2026): kiểm tra lại "
            "ngày hoặc đợt khảo sát.",
        ),
        (
            "2021-01-01",
            "Ngày 01/01/2021 đã quá xa: ngày sớm nhất được chấp nhận là 04/10/2023.",
        ),
    ],
)
def test_a_sheet_date_out_of_bounds_is_refused_at_the_field(
    client_for, clerk_a, campaign, batch, typed, message
):
    response = client_for(clerk_a).post(
        f"/surveys/paper/{campaign.pk}/entry/", keys(serial="1", sheet_date=typed)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'<p class="error" id="sheet-date-error">{message}</p>' in page
    assert Response.objects.count() == 0


# --- the procedure picker, without script too (issue 11) --------------------------------------


@pytest.fixture
def marriage(org):
    """A second procedure of unit A1, so that "dang ky" finds two."""
    service = Service.objects.create(
        code="1.000894", name="Đăng ký kết hôn", field=org.service_a.field, time_limit_days=5
    )
    service.units.set([org.unit_a1])
    return service


def test_the_procedure_is_found_by_words_without_accents_or_by_its_code(
    client_for, clerk_a, campaign, batch, org, marriage
):
    client = client_for(clerk_a)
    url = f"/surveys/paper/{campaign.pk}/entry/"
    assert client.post(url, keys(serial="1", service_search="dang ky khai")).status_code == 302
    assert client.post(url, keys(serial="2", service_search="1.000894")).status_code == 302
    assert client.post(url, keys(serial="3", service="1.001193")).status_code == 302
    assert list(
        Response.objects.order_by("paper_serial").values_list("service__code", flat=True)
    ) == ["1.001193", "1.000894", "1.001193"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"service_search": "dang ky"},
            "Có 2 thủ tục khớp với “dang ky”: gõ thêm tên hoặc mã thủ tục.",
        ),
        (
            {"service_search": "cap phep"},
            "Không có thủ tục nào của phiếu này khớp với “cap phep”.",
        ),
        ({"service": "1.012783"}, "Thủ tục 1.012783 không thuộc phạm vi của phiếu này."),
    ],
)
def test_a_procedure_not_found_is_said_at_the_field(
    client_for, clerk_a, campaign, batch, org, marriage, fields, message
):
    # The campaign names its procedures: the land procedure of unit B is not one of them.
    campaign.services.set([org.service_a, marriage])
    response = client_for(clerk_a).post(
        f"/surveys/paper/{campaign.pk}/entry/", keys(serial="1", **fields)
    )
    assert response.status_code == 400
    assert f'<p class="error" id="service-error">{message}</p>' in response.content.decode()
    assert Response.objects.count() == 0


def test_a_sheet_refused_is_told_to_the_clerk_not_to_the_citizen(
    client_for, clerk_a, campaign, batch
):
    data = keys(serial="1", e_HL="", contact_phone="0912 345 678")
    response = client_for(clerk_a).post(f"/surveys/paper/{campaign.pk}/entry/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        '<div class="message message--error" role="alert">Chưa lưu được phiếu: vui lòng kiểm '
        "tra các ô được đánh dấu.</div>" in page
    )
    assert (
        '<p class="error">Phiếu bắt buộc trả lời câu này: gõ phím ứng với ô được đánh dấu trên '
        "phiếu.</p>" in page
    )
    assert (
        '<p class="error">Đã gõ họ tên hoặc số điện thoại: đánh dấu ô này nếu trên phiếu đã đánh '
        "dấu ô đồng ý, nếu không thì để trống họ tên và số điện thoại.</p>" in page
    )
    assert "Vui lòng trả lời câu hỏi này." not in page
    assert "cần Ông/Bà xem lại" not in page
    assert Response.objects.count() == 0


def test_a_phone_that_is_not_a_number_is_told_at_its_field(client_for, clerk_a, campaign, batch):
    data = keys(serial="1", e_HL="4", contact_phone="abc 0912", consent="yes")
    response = client_for(clerk_a).post(f"/surveys/paper/{campaign.pk}/entry/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        '<p class="error" id="contact-phone-error">Nhập số điện thoại Việt Nam, ví dụ 0912 345 678 '
        "hoặc +84 912 345 678.</p>" in page
    )
    assert 'value="abc 0912" inputmode="tel" aria-invalid="true"' in page
    assert Response.objects.count() == 0


def test_the_print_page_lists_the_units_in_tree_order_indented(
    client_for, secretary, campaign, org
):
    # Created out of order: by primary key (the materialised path) "Phòng Văn hóa" would come
    # before "Phòng Giáo dục", and "Tổ địa chính B1" after them all.
    make_unit("UV", "Phòng Văn hóa", parent=org.root)
    make_unit("UG", "Phòng Giáo dục", parent=org.root)
    make_unit("UB1", "Tổ địa chính B1", parent=org.unit_b)
    page = client_for(secretary).get(f"/surveys/paper/{campaign.pk}/print/").content.decode()
    select = page[page.index('<select name="unit"') : page.index("</select>")]
    level = "\u2003"
    assert re.findall(r"<option [^>]*>([^<]*)</option>", select) == [
        "— Chọn —",
        "Tỉnh Thử nghiệm",
        f"{level}Phòng Đất đai B",
        f"{level * 2}Tổ địa chính B1",
        f"{level}Phòng Giáo dục",
        f"{level}Phòng Tư pháp A",
        f"{level * 2}Tổ hộ tịch A1",
        f"{level}Phòng Văn hóa",
    ]


def test_the_consent_keeps_the_phone_in_its_national_form(client_for, clerk_a, campaign, batch):
    contact = {"contact_name": "Lê Văn C", "contact_phone": "+84 912.345.678", "consent": "yes"}
    data = keys(serial="1", e_HL="4", **contact)
    response = client_for(clerk_a).post(f"/surveys/paper/{campaign.pk}/entry/", data)
    assert response.status_code == 302
    assert Response.objects.get().consent.phone == "0912345678"


def test_the_printed_sheet_has_a_date_line_that_paper_entry_names(
    client_for, clerk_a, campaign, batch
):
    client = client_for(clerk_a)
    response = client.get(f"/surveys/paper/batches/{batch.pk}.pdf")
    assert response["Content-Type"] == "application/pdf"
    first_page = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    lines = first_page.splitlines()
    procedure = next(i for i, line in enumerate(lines) if line.startswith("Thủ tục:"))
    assert lines[procedure + 1] == "Ngày đánh giá: ......../......../20......"
    page = client.get(f"/surveys/paper/{campaign.pk}/entry/").content.decode()
    assert (
        '<p class="help" id="sheet-date-help">Ngày ghi ở dòng “Ngày đánh giá” đầu phiếu, '
        "dưới dòng thủ tục.</p>"
    ) in page


def test_the_picker_offers_what_the_write_path_accepts_not_the_units_own_procedures(
    client, client_for, org, sipas, campaign
):
    """Acceptance of issue 11: the demo's paper campaign covers the district's units, whose own
    lists lack "Đăng ký khai sinh" (a communes' procedure), while the QR form of a district
    counter in the same campaign offers and stores it; paper entry offers it too."""
    campaign.units.set([org.unit_b])
    org.point_b.services.set([org.service_a])
    qr = client.get(f"/danh-gia/{org.point_b.code}/").content.decode()
    assert 'value="1.001193"' in qr
    clerk_b = make_staff("tiepnhan_b", Role.CLERK, [org.unit_b], "Tiếp Nhận B")
    paper_batch_allocate(version=sipas, count=5, campaign=campaign, unit=org.unit_b, actor=clerk_b)
    staff = client_for(clerk_b)
    url = f"/surveys/paper/{campaign.pk}/entry/"
    page = staff.get(url).content.decode()
    data = json.loads(page.split('id="service-data" type="application/json">')[1].split("<")[0])
    assert [(o["code"], o["name"]) for o in data] == [
        ("1.012783", "Đăng ký biến động đất đai B"),
        ("1.001193", "Đăng ký khai sinh"),
    ]
    assert staff.post(url, keys(serial="1", service_search="dang ky khai")).status_code == 302
    assert staff.post(url, keys(serial="2", service_search="1.001193")).status_code == 302
    assert list(Response.objects.order_by("paper_serial").values_list("unit", "service__code")) == [
        (org.unit_b.pk, "1.001193"),
        (org.unit_b.pk, "1.001193"),
    ]
    # A campaign that names its procedures offers those only, whatever its units handle.
    campaign.services.set([org.service_a])
    page = staff.get(url).content.decode()
    assert "1.012783" not in page and "1.001193" in page


@pytest.mark.time_machine(datetime(2026, 12, 5, 9, tzinfo=HANOI))
def test_a_sheet_dated_before_its_run_was_printed_is_refused_at_the_field(
    client_for, clerk_a, campaign, batch
):
    """Acceptance trial of issue 11: sheet 000002 of a run printed on 02/12/2026 was stored as
    of 16/09/2026 (12 and 09 swapped); no sheet is filled in before it is printed."""
    PaperBatch.objects.filter(pk=batch.pk).update(
        printed_at=datetime(2026, 12, 2, 7, 30, tzinfo=HANOI)
    )
    client = client_for(clerk_a)
    url = f"/surveys/paper/{campaign.pk}/entry/"
    response = client.post(url, keys(serial="2", sheet_date="16/09/2026"))
    assert response.status_code == 400
    assert (
        '<p class="error" id="sheet-date-error">Phiếu số 000002 được in ngày 02/12/2026: ngày '
        "ghi trên phiếu (16/09/2026) không thể sớm hơn ngày in. Vui lòng kiểm tra lại ngày (có "
        "nhầm ngày với tháng không?).</p>" in response.content.decode()
    )
    assert Response.objects.count() == 0
    # The day it was printed, and after, are fine.
    assert client.post(url, keys(serial="2", sheet_date="02/12/2026")).status_code == 302
    assert client.post(url, keys(serial="3", sheet_date="04/12/2026")).status_code == 302
    assert sorted(Response.objects.values_list("local_date", flat=True)) == [
        date(2026, 12, 2),
        date(2026, 12, 4),
    ]
