import csv
import html
import io
import re
from io import StringIO
from unittest.mock import patch

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from hailong.core.jobs import JobCancelled, run_pending_jobs
from hailong.surveys.file_import import import_check, import_run
from hailong.surveys.models import Answer, Response, ResponseImport
from hailong.surveys.services.responses import responses_delete

CRITERIA = [
    f"{e}{n}"
    for e, k in (("TC", 4), ("TT", 4), ("CC", 5), ("KQ", 3), ("PA", 3))
    for n in range(1, k + 1)
]
HEADER = [
    "submitted_at",
    "unit",
    "service",
    "channel",
    "dossier_code",
    *CRITERIA,
    "HL",
    "MM",
    "comment",
]


def row(
    when="10/03/2026 08:30", unit="UA", score="4", hl="5", dossier="", mm="CC;TT", comment="Tốt"
):
    return [when, unit, "1.001193", "", dossier, *([score] * 18), "0", hl, mm, comment]


GOOD = [
    row(),
    row(when="2026-03-11", score="5", dossier="HS-01"),
    row(when="12/03/2026", unit="UA1", hl="2", comment="Chờ lâu"),
]
BAD = [row(unit="KHONGCO"), row(when="32/13/2026"), row(score="7")]


def csv_bytes(rows, encoding="utf-8", delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([HEADER, *rows])
    text = buffer.getvalue()
    if encoding == "utf-8-sig":
        return "\ufeff".encode() + text.encode("utf-8")
    return text.encode(encoding)


def xlsx_bytes(rows):
    book = Workbook()
    for r in [HEADER, *rows]:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def check(data, *, filename="phieu.csv", version, actor=None, campaign=None):
    return import_check(
        data=data, filename=filename, version=version, campaign=campaign, actor=actor
    )


def run(data, *, filename="phieu.csv", version, actor=None, campaign=None, **options):
    return import_run(
        data=data, filename=filename, version=version, campaign=campaign, actor=actor, **options
    )


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("utf-16", "\t"), ("utf-8", ";")],
)
def test_it_reads_csv_as_offices_save_it(org, sipas, encoding, delimiter):
    data = csv_bytes(GOOD, encoding, delimiter)
    report = check(data, version=sipas)
    assert (report.file_error, report.problems.first, report.good) == ("", [], 3)
    assert run(data, version=sipas).imported == 3
    first = Response.objects.get(dossier_code="", local_date="2026-03-10")
    assert first.submitted_at.isoformat() == "2026-03-10T01:30:00+00:00"  # 08:30 in Vietnam
    answers = first.answers.select_related("item", "option")
    assert {a.item.code: a.not_applicable for a in answers}["PA3"] is True
    assert sorted(a.option.code for a in answers if a.item.code == "MM") == ["CC", "TT"]


def test_it_reads_xlsx(org, sipas):
    report = check(xlsx_bytes(GOOD), filename="phieu.xlsx", version=sipas)
    assert report.good == 3 and not report.problems.rows


def test_bad_rows_get_vietnamese_reasons(org, sipas):
    with translation.override("vi"):
        report = check(csv_bytes(GOOD + BAD), version=sipas)
    reasons = dict(report.problems.first)
    assert sorted(reasons) == [5, 6, 7]
    assert "KHONGCO" in reasons[5] and "Đơn vị" in reasons[5]
    assert "32/13/2026" in reasons[6] and "ngày" in reasons[6]
    assert reasons[7].startswith("Cột TC1:")
    assert report.good == 3


def test_an_officer_cannot_import_into_another_units_results(org, sipas, officer_b):
    report = check(csv_bytes(GOOD), version=sipas, actor=officer_b)
    assert report.problems.rows == 3 and not report.good


def test_the_same_file_twice_imports_nothing_twice(org, sipas):
    data = csv_bytes(GOOD)
    first = run(data, version=sipas)
    again = run(data, version=sipas)
    assert (first.imported, first.duplicates) == (3, 0)
    assert (again.imported, again.duplicates) == (0, 3)
    assert Response.objects.filter(channel="import").count() == 3


def test_a_cancelled_import_leaves_nothing(org, sipas):
    calls = []

    def cancel_on_second_chunk():
        calls.append(1)
        if len(calls) == 2:
            raise JobCancelled

    with (
        pytest.raises(JobCancelled),
        override_settings(HAILONG_IMPORT_MAX_ROWS=100),
        patch("hailong.core.imports._Ticker.every", 0),
    ):
        run(csv_bytes(GOOD), version=sipas, chunk=1, check_cancelled=cancel_on_second_chunk)
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_the_secretary_uploads_reads_the_reasons_and_confirms(client_for, secretary, org, sipas):
    client = client_for(secretary)
    upload = SimpleUploadedFile("phieu.xlsx", xlsx_bytes(GOOD + BAD))
    response = client.post("/surveys/imports/", {"version": sipas.pk, "file": upload})
    assert response.status_code == 302
    detail = response["Location"]
    run_pending_jobs()
    page = client.get(detail).content.decode()
    summary = re.search(r'data-testid="import-summary">(.*?)</p>', page, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", "", summary).split()) == "3 dòng sẵn sàng để nhập."
    assert _text(page, "import-problems") == "3 dòng có lỗi và sẽ không được nhập:"
    assert "KHONGCO" in page
    assert Response.objects.count() == 0  # nothing before confirming
    client.post(detail + "confirm/")
    client.post(detail + "confirm/")  # a double click starts nothing more
    run_pending_jobs()
    done = client.get(detail).content.decode()
    assert 'data-testid="import-done"' in done
    assert Response.objects.filter(channel="import").count() == 3
    upload = ResponseImport.objects.get()
    assert (upload.status, upload.imported) == ("done", 3)


def test_export_then_import_is_a_round_trip(client_for, secretary, org, sipas):
    run(csv_bytes(GOOD), filename="a.csv", version=sipas)
    client = client_for(secretary)
    exported = b"".join(client.get("/surveys/responses/export/?channel=import").streaming_content)
    assert exported.startswith("\ufeff".encode())
    header = next(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert header[:6] == ["id", "submitted_at", "unit", "service", "channel", "dossier_code"]
    before = sorted(Answer.objects.values_list("item__code", "value", "not_applicable"))
    # Importing the export into the same system stores nothing twice...
    again = run(exported, filename="export.csv", version=sipas)
    assert (again.imported, again.duplicates) == (0, 3)
    # ...and into a system without them gives the same answers back.
    responses_delete(responses=Response.objects.all(), actor=None, reason="another system")
    restored = run(exported, filename="export.csv", version=sipas)
    assert restored.imported == 3
    assert sorted(Answer.objects.values_list("item__code", "value", "not_applicable")) == before


def test_the_xlsx_export_opens_in_excel_format(client_for, secretary, org, sipas):
    run(csv_bytes(GOOD), filename="a.csv", version=sipas)
    response = client_for(secretary).get("/surveys/responses/export/?format=xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    # The column codes, their labels (a note row the import skips), the three responses.
    assert (rows[0][0], rows[1][0], len(rows)) == ("id", "# Mã phiếu", 5)


def test_the_command_checks_and_imports(org, sipas, tmp_path):
    path = tmp_path / "phieu.csv"
    path.write_bytes(csv_bytes(GOOD + BAD))
    with pytest.raises(CommandError):
        call_command(
            "import_responses",
            str(path),
            "--questionnaire",
            "sipas",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    out = StringIO()
    call_command(
        "import_responses",
        str(path),
        "--questionnaire",
        "sipas",
        "--dry-run",
        stdout=out,
        stderr=StringIO(),
    )
    assert "3 good rows, 3 rows with problems" in out.getvalue()
    assert Response.objects.count() == 0
    out = StringIO()
    call_command(
        "import_responses",
        str(path),
        "--questionnaire",
        "sipas",
        "--skip-bad-rows",
        stdout=out,
        stderr=StringIO(),
    )
    assert "3 imported" in out.getvalue() and Response.objects.count() == 3


def test_a_cancelled_background_import_deletes_the_chunks_it_committed(org, sipas, secretary):
    data = csv_bytes(GOOD)
    source = ResponseImport.objects.create(
        version=sipas, filename="a.csv", sha256="x", created_by=secretary
    )

    def cancel_after_two_chunks():
        if Response.objects.count() == 2:  # two chunks were committed meanwhile
            raise JobCancelled

    with pytest.raises(JobCancelled), patch("hailong.core.imports._Ticker.every", 0):
        run(data, version=sipas, chunk=1, check_cancelled=cancel_after_two_chunks, upload=source)
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_a_corrected_file_imported_again_stores_only_the_corrected_rows(org, sipas):
    first = run(csv_bytes(GOOD + BAD), filename="a.csv", version=sipas)
    corrected = [*GOOD, row(unit="UA"), row(when="12/03/2026"), row(score="3")]
    second = run(csv_bytes(corrected), filename="a.csv", version=sipas)
    assert (first.imported, second.imported, second.duplicates) == (3, 3, 3)
    assert Response.objects.count() == 6


def test_a_csv_holding_a_nul_is_refused_with_the_row(client_for, secretary, org, sipas):
    # Stored as it was, PostgreSQL refuses the row and the whole import fails with no reason.
    client = client_for(secretary)
    data = csv_bytes([*GOOD, row(comment="Tốt\x00")])
    upload = SimpleUploadedFile("phieu.csv", data)
    detail = client.post("/surveys/imports/", {"version": sipas.pk, "file": upload})["Location"]
    run_pending_jobs()
    page = client.get(detail).content.decode()
    assert (
        "Dòng 5 chứa ký tự NUL (\\u0000), không thể lưu: đây có đúng là tệp cần nhập, "
        "lưu dạng văn bản (CSV) không?"
    ) in page
    assert Response.objects.count() == 0


# --- the check says once what the header lacks, and exactly what storing will do (issue 11) ---


def _upload(client, data, **fields):
    upload = SimpleUploadedFile("phieu.csv", data)
    response = client.post("/surveys/imports/", {"file": upload, **fields})
    assert response.status_code == 302
    run_pending_jobs()
    return response["Location"], client.get(response["Location"]).content.decode()


def _text(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</p>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", "", found).split())


def test_a_file_without_a_required_column_is_told_once_in_staff_wording(
    client_for, secretary, org, sipas
):
    buffer = io.StringIO()
    header = [h for h in HEADER if h != "HL"] + ["GHI_CHU"]
    rows = [[v for h, v in zip(HEADER, r, strict=True) if h != "HL"] + [""] for r in GOOD * 50]
    csv.writer(buffer).writerows([header, *rows])
    _detail, page = _upload(client_for(secretary), buffer.getvalue().encode(), version=sipas.pk)
    assert _text(page, "import-error") == (
        "Thiếu cột của câu hỏi bắt buộc trả lời trong bộ câu hỏi này: HL. "
        "Cột không xác định: GHI_CHU "
        "(không phải cột chuẩn cũng không phải câu hỏi của bộ câu hỏi này). Chưa kiểm tra dòng "
        "nào. Dòng đầu tiên phải ghi tên các cột submitted_at, unit, service, channel, "
        "dossier_code, các mã câu hỏi và comment."
    )
    assert "Vui lòng trả lời câu hỏi này" not in page and "Ông/Bà" not in page
    assert ResponseImport.objects.get().status == "failed"


def test_unknown_columns_are_named_as_the_file_writes_them(client_for, secretary, org, sipas):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[*HEADER, "ABC", "Ghi chú thêm"], *[[*r, "", ""] for r in GOOD]])
    _detail, page = _upload(client_for(secretary), buffer.getvalue().encode(), version=sipas.pk)
    assert _text(page, "import-error").startswith(
        "Cột không xác định: ABC, Ghi chú thêm (không phải cột chuẩn cũng không phải câu hỏi "
        "của bộ câu hỏi này). Chưa kiểm tra dòng nào."
    )


def test_the_import_page_speaks_to_staff_not_to_a_citizen(client_for, secretary, org, sipas):
    page = client_for(secretary).get("/surveys/imports/").content.decode()
    assert "chưa có gì được lưu cho đến khi bạn xác nhận." in page
    assert "Ông/Bà" not in page


def test_the_check_says_how_many_rows_are_stored_already_and_storing_does_exactly_that(
    client_for, secretary, org, sipas
):
    run(csv_bytes(GOOD), version=sipas)  # imported last month
    client = client_for(secretary)
    new = row(when="13/03/2026", comment="Dòng mới")
    detail, page = _upload(client, csv_bytes([*GOOD, new]), version=sipas.pk)
    assert _text(page, "import-summary") == "1 dòng sẵn sàng để nhập."
    assert _text(page, "import-already") == (
        "3 dòng đã có trong hệ thống (đã nhập trước đây) và sẽ được bỏ qua."
    )
    assert ">Nhập 1 dòng hợp lệ</button>" in page
    client.post(detail + "confirm/")
    run_pending_jobs()
    upload = ResponseImport.objects.get()
    assert (upload.status, upload.imported, upload.duplicates) == ("done", 1, 3)
    assert Response.objects.filter(channel="import").count() == 4


def test_rows_the_campaign_refuses_are_problems_before_confirming_not_duplicates(
    client_for, secretary, org, sipas, campaign
):
    campaign.channels = ["import"]  # the rows say they were given on the web form
    campaign.save()
    client = client_for(secretary)
    today = timezone.localdate().strftime("%d/%m/%Y")
    web = [[*r[:3], "web", *r[4:]] for r in (row(when=today), row(when=today, hl="3"))]
    detail, page = _upload(
        client, csv_bytes([row(when=today), *web]), version=sipas.pk, campaign=campaign.pk
    )
    assert _text(page, "import-summary") == "1 dòng sẵn sàng để nhập."
    assert _text(page, "import-problems") == "2 dòng có lỗi và sẽ không được nhập:"
    assert 'data-testid="import-already"' not in page
    assert (
        page.count("Đợt khảo sát này không nhận ý kiến qua kênh “Biểu mẫu trực tuyến (mã QR)”.")
        == 2
    )
    client.post(detail + "confirm/")
    run_pending_jobs()
    upload = ResponseImport.objects.get()
    assert (upload.status, upload.imported, upload.duplicates) == ("done", 1, 0)


def test_the_columns_every_import_needs_are_told_apart_from_the_questionnaires(
    client_for, secretary, org, sipas
):
    buffer = io.StringIO()
    keep = [i for i, h in enumerate(HEADER) if h not in ("submitted_at", "HL")]
    csv.writer(buffer).writerows([[HEADER[i] for i in keep], *[[r[i] for i in keep] for r in GOOD]])
    _detail, page = _upload(client_for(secretary), buffer.getvalue().encode(), version=sipas.pk)
    assert _text(page, "import-error") == (
        "Thiếu cột mà tệp nhập nào cũng phải có: submitted_at. "
        "Thiếu cột của câu hỏi bắt buộc trả lời trong bộ câu hỏi này: HL. Chưa kiểm tra dòng "
        "nào. Dòng đầu tiên phải ghi tên các cột submitted_at, unit, service, channel, "
        "dossier_code, các mã câu hỏi và comment."
    )


def test_every_problem_of_a_row_is_listed_not_only_the_first(client_for, secretary, org, sipas):
    fax = row(hl="7")
    fax[3] = "fax"
    _detail, page = _upload(client_for(secretary), csv_bytes([*GOOD, fax]), version=sipas.pk)
    errors = re.findall(
        r'<tr><td class="num">(\d+)</td><td>(.*?)</td></tr>',
        page[page.index('data-testid="import-errors"') :],
    )
    assert [(n, html.unescape(text)) for n, text in errors] == [
        (
            "5",
            "Kênh “fax” không thuộc các kênh web (Biểu mẫu trực tuyến (mã QR)), kiosk (Ki-ốt "
            "đánh giá tại quầy), paper (Phiếu giấy), import (Nhập từ tệp), api (Hệ thống kết "
            "nối (API)), invitation (Thư mời khách hàng thường xuyên). Cột HL: “7” không có "
            "trong các lựa chọn.",
        )
    ]


def test_the_problem_sentence_is_followed_by_its_table_and_the_stored_sentence_stands_alone(
    client_for, secretary, org, sipas
):
    run(csv_bytes(GOOD), version=sipas)  # imported last month
    _detail, page = _upload(
        client_for(secretary), csv_bytes([*GOOD, row(unit="KHONGCO")]), version=sipas.pk
    )
    assert _text(page, "import-summary") == "0 dòng sẵn sàng để nhập."
    assert _text(page, "import-already") == (
        "3 dòng đã có trong hệ thống (đã nhập trước đây) và sẽ được bỏ qua."
    )
    problems = page.index('data-testid="import-problems"')
    assert page.index('data-testid="import-already"') < problems
    after = page[page.index("</p>", problems) + len("</p>") :].lstrip()
    assert after.startswith('<table class="table" data-testid="import-errors">')


def test_row_messages_name_the_channel_and_the_column_in_staff_wording_one_sentence_each(
    client_for, secretary, org, sipas, campaign
):
    """Acceptance trial of issue 11: the channel refused by the campaign is named by its label,
    a required answer left empty says its column (not the citizen's "Vui lòng trả lời câu hỏi
    này."), and the messages of a row are sentences, each with its capital and full stop."""
    campaign.channels = ["import"]
    campaign.save()
    today = timezone.localdate().strftime("%d/%m/%Y")
    paper = row(when=today, hl="")
    paper[3] = "paper"
    empty = row(when=today, hl="")
    _detail, page = _upload(
        client_for(secretary),
        csv_bytes([row(when=today), paper, empty]),
        version=sipas.pk,
        campaign=campaign.pk,
    )
    errors = re.findall(
        r'<tr><td class="num">(\d+)</td><td>(.*?)</td></tr>',
        page[page.index('data-testid="import-errors"') :],
    )
    assert [(n, html.unescape(text)) for n, text in errors] == [
        (
            "3",
            "Đợt khảo sát này không nhận ý kiến qua kênh “Phiếu giấy”. "
            "Cột HL: chưa có câu trả lời (câu hỏi bắt buộc).",
        ),
        ("4", "Cột HL: chưa có câu trả lời (câu hỏi bắt buộc)."),
    ]
    assert "Vui lòng trả lời" not in page
