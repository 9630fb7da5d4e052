"""The table reader reads what offices save as before, row by row, and stops hostile files
with a message (in the user's language) instead of filling the memory."""

import io
import zipfile
from datetime import date, datetime
from unittest.mock import patch

import pytest
from django.test import override_settings
from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from hailong.core import xlsx
from hailong.core.tabular import TableError, read_table
from hailong.core.tests.files import raw_xlsx, text_row


def book_bytes(rows, *, epoch=None) -> bytes:
    book = Workbook()
    if epoch is not None:
        book.epoch = epoch
    for r in rows:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(data: bytes, filename: str = "a.xlsx"):
    keys, rows = read_table(data, filename=filename)
    return keys, [(r.number, r.values) for r in rows]


def openpyxl_read(data: bytes):
    """What the reader gave before: openpyxl's read-only values, as text."""

    def text(cell):
        if cell is None:
            return ""
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        return cell.isoformat() if hasattr(cell, "strftime") else str(cell)

    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    return [[text(c) for c in r] for r in sheet.iter_rows(values_only=True)]


ROWS = [
    ["submitted_at", "unit", "score", "ratio", "ok", "comment"],
    [datetime(2026, 3, 5, 9, 15), "UA", 4, 1.5, True, "Cán bộ nhiệt tình"],
    [date(2026, 3, 6), "UA1", 5.0, 2, False, None],
    [],
    ["hôm qua", " UB ", 10**12, -0.25, None, "=ghi chú"],
]


@pytest.mark.parametrize("epoch", [None, CALENDAR_MAC_1904], ids=["1900", "1904"])
def test_xlsx_values_read_as_openpyxl_read_them(epoch):
    data = book_bytes(ROWS, epoch=epoch)
    keys, rows = read(data)
    expected = openpyxl_read(data)
    assert keys == ["submitted_at", "unit", "score", "ratio", "ok", "comment"]
    assert [list(values.values()) for _n, values in rows] == [
        [c.strip() for c in r] for r in expected[1:] if any(expected_r for expected_r in r)
    ]
    assert rows[0] == (
        2,
        {
            "submitted_at": "2026-03-05T09:15:00",
            "unit": "UA",
            "score": "4",
            "ratio": "1.5",
            "ok": "True",
            "comment": "Cán bộ nhiệt tình",
        },
    )
    assert [n for n, _values in rows] == [2, 3, 5]  # as Excel numbers them; blank row skipped


def test_csv_in_the_encodings_offices_use():
    text = "mã,tên\r\n1,Hộ tịch\r\n\r\n2,Đất đai\r\n"
    for encoding in ("utf-8", "utf-8-sig", "utf-16"):
        keys, rows = read(text.encode(encoding), "a.csv")
        assert keys == ["ma", "ten"]
        assert rows == [(2, {"ma": "1", "ten": "Hộ tịch"}), (4, {"ma": "2", "ten": "Đất đai"})]
    # Windows-1258 writes tones as combining marks: read back as one letter each (NFC).
    assert read("tên\nHà Tây\n".encode("cp1258"), "a.csv") == (["ten"], [(2, {"ten": "Hà Tây"})])


def test_shared_strings_rich_text_and_phonetic_guides():
    shared = (
        "<si><t>ten</t></si><si><r><t>Hộ </t></r><r><t>tịch</t></r></si>"
        "<si><t>A</t><rPh><t>a-phonetic</t></rPh></si>"
    ).encode()
    sheet = (
        b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        b'<row r="2"><c r="A2" t="s"><v>1</v></c></row>'
        b'<row r="7"><c r="A7" t="s"><v>2</v></c></row>'
    )
    assert read(raw_xlsx(sheet, shared=shared)) == (
        ["ten"],
        [(2, {"ten": "Hộ tịch"}), (7, {"ten": "A"})],
    )


def message(data: bytes, filename: str = "a.xlsx", language: str = "vi") -> str:
    with translation.override(language), pytest.raises(TableError) as refused:
        read(data, filename)
    return str(refused.value)


def test_a_file_in_no_known_encoding_is_refused():
    assert "bảng mã" in message(b"a,b\n\x81\x8d,\x9e\n", "a.csv")


def test_rows_past_the_limit_stop_the_reading_blank_ones_too():
    with override_settings(HAILONG_IMPORT_MAX_ROWS=100):
        assert "100 dòng" in message(b"a,b\n" + b"\n" * 200, "a.csv")
        assert "100 dòng" in message(raw_xlsx(text_row("a") + b"<row/>" * 200))
        read(b"a,b\n" + b"1,2\n" * 99, "a.csv")  # 100 with the header: fine


def test_a_header_naming_too_many_columns_is_refused():
    with override_settings(HAILONG_IMPORT_MAX_COLUMNS=10):
        assert "10 cột" in message(",".join(f"c{i}" for i in range(11)).encode(), "a.csv")
        assert "10 cột" in message(raw_xlsx(text_row(*(f"c{i}" for i in range(11)))))
        # Cells right of the limit in data rows are ignored, not kept.
        _keys, rows = read(raw_xlsx(text_row("a", "b") + text_row(*["x"] * 50)))
        assert rows == [(2, {"a": "x", "b": "x"})]


def test_a_row_of_a_million_cells_is_refused_without_building_it():
    data = raw_xlsx(text_row("a", "b") + b"<row>" + b"<c/>" * 1_000_000 + b"</row>")
    assert len(data) < 20_000
    assert "hỏng" in message(data)


def test_a_declared_dimension_is_not_believed():
    _keys, rows = read(raw_xlsx(text_row("a") + text_row("x"), dimension="A1:XFD1048576"))
    assert rows == [(2, {"a": "x"})]


def test_a_tag_that_never_ends_is_refused():
    data = raw_xlsx(text_row("a") + b'<row><c r="' + b"A" * (3 * 1024 * 1024) + b'"/></row>')
    assert "hỏng" in message(data)


def test_a_cell_longer_than_the_limit_is_refused():
    data = raw_xlsx(text_row("a") + text_row("x" * 200_000))
    assert "131.072" in message(data)
    runs = "".join(f"<r><t>{'x' * 100_000}</t></r>" for _ in range(3)).encode()
    data = raw_xlsx(text_row("a") + b'<row><c t="inlineStr"><is>' + runs + b"</is></c></row>")
    assert "131.072" in message(data)  # counted over the cell, not per run
    long_line = b"a\n" + b"x" * 300_000 + b"\n"
    assert "200.000" in message(long_line, "a.csv")


def test_a_quote_left_open_names_its_row():
    # The quoted cell runs on over many short lines until csv's cell limit stops it.
    data = b"a,b\n1,2\n" + b'3,"' + b"x" * 999 + b"\n" + (b"y" * 999 + b"\n") * 200
    assert "dòng 3" in message(data, "a.csv")


def test_too_much_shared_text_is_refused():
    shared = b"".join(f"<si><t>chuỗi số {n}</t></si>".encode() for n in range(2000))
    data = raw_xlsx(b'<row><c t="s"><v>0</v></c></row>', shared=shared)
    with patch.object(xlsx, "SHARED_STRINGS_MAX_BYTES", 10_000):
        assert "CSV" in message(data)  # "too much text: save it again as CSV"


def test_entities_and_document_types_are_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    data = raw_xlsx(text_row("a") + text_row("&b;"))
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    parts["xl/worksheets/sheet1.xml"] = bomb + parts["xl/worksheets/sheet1.xml"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for name, content in parts.items():
            book.writestr(name, content)
    assert "hỏng" in message(out.getvalue())


def test_an_archive_of_thousands_of_parts_is_refused_before_it_is_listed():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for n in range(20_000):
            book.writestr(f"x/{n}", b"")
    assert "hỏng" in message(out.getvalue())


def test_messages_follow_the_language_of_the_person():
    with override_settings(HAILONG_IMPORT_MAX_ROWS=1000):
        assert "more than 1,000 rows" in message(b"a\n" + b"x\n" * 2000, "a.csv", "en")
        assert "1.000 dòng" in message(b"a\n" + b"x\n" * 2000, "a.csv", "vi")
