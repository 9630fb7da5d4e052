import codecs
import contextlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from hailong.core.imports import RowRejected
from hailong.core.jobs import run_pending_jobs
from hailong.core.models import AuditEntry, FileImport
from hailong.core.tabular import read_table
from hailong.organisation.catalogue_import import CatalogueTable, catalogue_check, catalogue_import
from hailong.organisation.models import Service

HEADER = "code,name,field,units,time_limit_days,time_limit_kind"
GOOD = [
    "1.000894,Đăng ký kết hôn,Hộ tịch,UA1,0,working",
    '1.013225,"Cấp giấy phép xây dựng mới, nhà ở riêng lẻ",Xây dựng,UB,15,working',
    "1.012783,Đăng ký biến động đất đai (sửa tên),Đất đai,UB;UA,10,calendar",
]
BAD = [
    ",Thiếu mã,Hộ tịch,UA,1,working",
    "1.000001,Đơn vị lạ,Hộ tịch,KHONGCO,1,working",
    "1.000002,Thời hạn sai,Hộ tịch,UA,mười,working",
]


def csv_bytes(lines, encoding="utf-8"):
    text = "\r\n".join([HEADER, *lines]) + "\r\n"
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    if encoding == "utf-16":
        return text.encode("utf-16")  # with BOM, as Excel's "Unicode text"
    return text.encode(encoding)


def xlsx_bytes(lines):
    import csv

    book = Workbook()
    sheet = book.active
    for row in csv.reader([HEADER, *lines]):
        sheet.append([int(c) if c.isdigit() else c for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class Parsed:
    """The check's report, and the good rows as the import would store them."""

    def __init__(self, data, filename="tthc.csv"):
        report = catalogue_check(data, filename=filename)
        self.file_error = report.file_error
        self.errors = report.problems.first
        self.warnings = report.warnings.first
        self.ok = not self.file_error and not report.problems.rows
        self.rows = []
        if not self.file_error:
            importer = CatalogueTable(actor=None)
            keys, rows = read_table(data, filename=filename)
            importer.columns(keys)
            for row in rows:
                with contextlib.suppress(RowRejected):
                    self.rows.append(importer.check_row(row))


def catalogue_parse(data, filename="tthc.csv"):
    return Parsed(data, filename)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_it_reads_csv_in_the_encodings_offices_save(org, encoding):
    report = catalogue_parse(csv_bytes(GOOD, encoding), filename="tthc.csv")
    assert report.ok, report.errors
    assert [r.code for r in report.rows] == ["1.000894", "1.013225", "1.012783"]
    assert report.rows[1].name == "Cấp giấy phép xây dựng mới, nhà ở riêng lẻ"


def test_it_reads_semicolon_csv_and_xlsx(org):
    semicolon = "\n".join(
        [HEADER.replace(",", ";"), "1.000894;Đăng ký kết hôn;Hộ tịch;UA1;0;working"]
    )
    assert catalogue_parse(semicolon.encode(), filename="a.csv").rows[0].unit_codes == ["UA1"]
    report = catalogue_parse(xlsx_bytes(GOOD), filename="tthc.xlsx")
    assert report.ok, report.errors
    assert report.rows[2].time_limit_days == 10 and report.rows[2].time_limit_kind == "calendar"


def test_bad_rows_are_reported_in_vietnamese_with_their_row_numbers(org):
    with translation.override("vi"):
        report = catalogue_parse(csv_bytes(GOOD + BAD), filename="tthc.csv")
    assert len(report.rows) == 3
    errors = dict(report.errors)
    assert set(errors) == {5, 6, 7}
    assert "thiếu mã" in errors[5].lower()
    assert "KHONGCO" in errors[6] and "đơn vị" in errors[6].lower()
    assert "mười" in errors[7]


def test_a_file_without_the_required_columns_is_refused(org):
    with translation.override("vi"):
        report = catalogue_parse(b"ma so,ghi chu\n1,2\n", filename="x.csv")
    assert report.file_error and "Thiếu cột" in report.file_error
    assert catalogue_parse(b"", filename="x.csv").file_error


def test_importing_twice_changes_nothing_the_second_time(org):
    data = csv_bytes(GOOD)
    first = catalogue_import(data, filename="tthc.csv", actor=None)
    assert (first["created"], first["updated"]) == (2, 1)  # 1.012783 existed in the fixture
    second = catalogue_import(data, filename="tthc.csv", actor=None)
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 3)
    land = Service.objects.get(code="1.012783")
    assert land.name == "Đăng ký biến động đất đai (sửa tên)"
    assert sorted(u.code for u in land.units.all()) == ["UA", "UB"]
    assert Service.objects.count() == 4


def test_the_secretary_uploads_checks_and_confirms(client_for, secretary, org):
    client = client_for(secretary)
    upload = SimpleUploadedFile("tthc.csv", csv_bytes(GOOD + BAD), content_type="text/csv")
    response = client.post("/org/procedures/import/", {"file": upload})
    assert response.status_code == 302
    detail = response["Location"]
    assert not FileImport.objects.get().good_rows  # the request only stored the file
    run_pending_jobs()
    page = client.get(detail).content.decode()
    assert "3 dòng sẵn sàng để nhập." in page
    assert "KHONGCO" in page
    assert not Service.objects.filter(code="1.000894").exists()  # nothing before confirming
    client.post(detail + "confirm/")
    run_pending_jobs()
    page = client.get(detail).content.decode()
    assert "2 thủ tục mới, 1 thủ tục được cập nhật" in page
    assert Service.objects.filter(code="1.000894").exists()
    assert not Service.objects.filter(code="1.000001").exists()
    assert AuditEntry.objects.filter(action="service.import", actor=secretary).count() == 1
    # Confirming again (e.g. a double click) imports nothing twice and says so.
    again = client.post(detail + "confirm/", follow=True).content.decode()
    assert "đang được nhập hoặc không có gì để nhập" in again
    assert run_pending_jobs() == 0 and Service.objects.count() == 4
    assert "tthc.csv" in client.get("/org/procedures/import/").content.decode()


def test_a_wrong_file_type_is_refused_clearly(client_for, secretary):
    client = client_for(secretary)
    upload = SimpleUploadedFile("anh.png", b"\x89PNG....", content_type="image/png")
    page = client.post("/org/procedures/import/", {"file": upload}).content.decode()
    assert "Vui lòng chọn tệp .csv hoặc .xlsx." in page


def test_overlong_names_are_reported_not_crashed_on(org):
    long_name = "Thủ tục " + "rất dài " * 200
    with translation.override("vi"):
        report = catalogue_parse(csv_bytes([f"1.000003,{long_name},Đất đai,UB,1,working"]))
    assert report.rows == []
    assert "1000" in report.errors[0][1]


def test_the_command_refuses_a_file_with_bad_rows_unless_told(org, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    path = tmp_path / "tthc.csv"
    path.write_bytes(csv_bytes(GOOD + BAD))
    with pytest.raises(CommandError):
        call_command("import_services", str(path), stdout=StringIO(), stderr=StringIO())
    assert not Service.objects.filter(code="1.000894").exists()
    call_command("import_services", str(path), "--dry-run", stdout=StringIO(), stderr=StringIO())
    assert not Service.objects.filter(code="1.000894").exists()
    out = StringIO()
    call_command("import_services", str(path), "--skip-bad-rows", stdout=out, stderr=StringIO())
    assert "2 created, 1 updated" in out.getvalue()


def test_new_fields_and_missing_units_are_flagged_before_confirming(org):
    with translation.override("vi"):
        report = catalogue_parse(csv_bytes(["1.000894,Đăng ký kết hôn,Hộ tịchh,,0,working"]))
    assert report.rows and not report.errors
    warnings = " ".join(w for _n, w in report.warnings)
    assert "Hộ tịchh" in warnings and "đơn vị" in warnings


def test_codes_must_look_like_national_codes(org):
    report = catalogue_parse(
        csv_bytes(
            [
                "1.2345,Sai mã,Hộ tịch,UA,0,working",
                "1.001193.000.00.00.H12,Mã địa phương,Hộ tịch,UA,0,working",
            ]
        )
    )
    assert [r.code for r in report.rows] == ["1.001193.000.00.00.H12"]
    assert report.errors[0][0] == 2


def test_a_semicolon_file_from_excel_with_quoted_semicolons(org):
    text = (
        HEADER.replace(",", ";")
        + "\r\n"
        + '1.000894;"Đăng ký kết hôn; có yếu tố nước ngoài";Hộ tịch;UA1;0;working\r\n'
    )
    report = catalogue_parse(text.encode("utf-8-sig"), filename="a.csv")
    assert report.ok and report.rows[0].name == "Đăng ký kết hôn; có yếu tố nước ngoài"
