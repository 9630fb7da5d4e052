"""XLSX written as it goes: a workbook whose bytes can be sent while its rows are still being
read from the database.

openpyxl's write-only mode keeps memory flat but only produces bytes at `save()`, after the
last row, so a large export would wait minutes before its first byte. Here the zip archive is
written to a sink that is emptied after every few rows (`zipfile` writes a data descriptor
after each part when its output cannot seek), and the SpreadsheetML is the small subset a
table needs: inline strings, numbers, dates, bold headings, frozen heading rows, widths.

Text is always written as text (an inline string): a cell never holds a formula, whatever the
text starts with, so `=HYPERLINK(…)` typed into a comment stays words in Excel.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.sax.saxutils import quoteattr

# What Excel can hold: rows per sheet, characters per cell.
MAX_ROWS = 1_048_576
MAX_CELL_CHARS = 32_767

_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug folded in)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Cell styles, in the order of <cellXfs> below.
_DATETIME, _DATE, _BOLD, _NOTE = 1, 2, 3, 4
STYLES = {"bold": _BOLD, "note": _NOTE}

_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm:ss"/>'
    '<numFmt numFmtId="165" formatCode="dd/mm/yyyy"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font>'
    '<font><i/><sz val="11"/><color rgb="FF555555"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


@dataclass
class Styled:
    """A row written in a style: "bold" for column names, "note" for a line of explanations."""

    cells: Sequence[object]
    style: str


@dataclass
class Sheet:
    rows: Iterable[Sequence[object] | Styled]
    widths: Sequence[float] = ()
    frozen_rows: int = 0  # the first rows stay in view when scrolling
    _letters: list[str] = field(default_factory=list, repr=False)


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# Codes repeat on every row (units, channels, answer codes): their XML is worked out once.
_SHORT_TEXT: dict[str, str] = {}


def _text(value: str) -> str:
    known = _SHORT_TEXT.get(value)
    if known is not None:
        return known
    text = _escape(value)
    if len(value) <= 40:
        if len(_SHORT_TEXT) >= 20_000:
            _SHORT_TEXT.clear()
        _SHORT_TEXT[value] = text
    return text


def _escape(value: str) -> str:
    if len(value) > MAX_CELL_CHARS:
        value = value[:MAX_CELL_CHARS]
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")  # kept, not folded into "\n" by XML readers
    if _ILLEGAL_XML.search(value):
        value = _ILLEGAL_XML.sub("", value)
    return value


def _row_xml(number: int, cells: Sequence[object], letters: list[str], style: int) -> str:
    row = str(number)
    parts = [f'<row r="{row}">']
    styled = f' s="{style}"' if style else ""
    while len(letters) < len(cells):
        letters.append(column_letter(len(letters)))
    for index, value in enumerate(cells):
        if value is None or value == "":
            continue
        ref = letters[index] + row
        kind = type(value)
        if kind is str:
            parts.append(
                f'<c r="{ref}" t="inlineStr"{styled}><is><t xml:space="preserve">'
                f"{_text(value)}</t></is></c>"
            )
        elif kind is int or kind is float:
            parts.append(f'<c r="{ref}"{styled}><v>{value!r}</v></c>')
        elif kind is bool:
            parts.append(f'<c r="{ref}" t="b"{styled}><v>{int(value)}</v></c>')
        elif isinstance(value, datetime):
            if value.tzinfo is not None:
                raise ValueError("Excel has no time zones: pass local naive times")
            serial = (value - _EPOCH).total_seconds() / 86400
            parts.append(f'<c r="{ref}" s="{_DATETIME}"><v>{serial!r}</v></c>')
        elif isinstance(value, date):
            serial = (value - _EPOCH.date()).days
            parts.append(f'<c r="{ref}" s="{_DATE}"><v>{serial}</v></c>')
        else:
            parts.append(
                f'<c r="{ref}" t="inlineStr"{styled}><is><t xml:space="preserve">'
                f"{_text(str(value))}</t></is></c>"
            )
    parts.append("</row>")
    return "".join(parts)


def _sheet_head(sheet: Sheet) -> str:
    frozen = sheet.frozen_rows
    view = (
        f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{frozen}" '
        f'topLeftCell="A{frozen + 1}" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews>"
        if frozen
        else ""
    )
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
        for i, width in enumerate(sheet.widths, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{view}{f'<cols>{cols}</cols>' if cols else ''}<sheetData>"
    )


def _package_parts(names: Sequence[str]) -> dict[str, str]:
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{main}.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    sheets = "".join(
        f'<sheet name={quoteattr(_sheet_name(name))} sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, 1)
    )
    links = "".join(
        f'<Relationship Id="rId{i}" Target="worksheets/sheet{i}.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        for i in range(1, len(names) + 1)
    )
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return {
        "[Content_Types].xml": head
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{main}.styles+xml"/>'
        f"{overrides}</Types>",
        "_rels/.rels": head
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/officeDocument"/></Relationships>',
        "xl/workbook.xml": head
        + '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{sheets}</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": head
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'{links}<Relationship Id="rId{len(names) + 1}" Target="styles.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/>'
        "</Relationships>",
        "xl/styles.xml": _STYLES,
    }


def _sheet_name(name: str) -> str:
    # Excel refuses these characters in a sheet name, and more than 31 of any.
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31]


class _Sink:
    """Where the zip archive is written; emptied by the generator after every few rows."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return data


def xlsx_stream(
    names: Sequence[str], sheets: Iterable[Sheet], *, flush_bytes: int = 64 * 1024
) -> Iterator[bytes]:
    """The workbook's bytes, in pieces of about `flush_bytes`, as the rows are produced.

    The sheets' names come first: the parts that name them go out at once, before `sheets`
    (which may be a generator that prepares its rows) is read."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in _package_parts(names).items():
            archive.writestr(name, text)
        yield sink.take()
        for index, sheet in enumerate(sheets, 1):
            if index > len(names):
                raise ValueError("more sheets than names")
            with archive.open(f"xl/worksheets/sheet{index}.xml", "w") as part:
                part.write(_sheet_head(sheet).encode())
                pending: list[str] = []
                for number, cells in enumerate(sheet.rows, 1):
                    if type(cells) is Styled:
                        row = _row_xml(number, cells.cells, sheet._letters, STYLES[cells.style])
                    else:
                        row = _row_xml(number, cells, sheet._letters, 0)
                    pending.append(row)
                    if len(pending) == 200:
                        part.write("".join(pending).encode("utf-8", "replace"))
                        pending.clear()
                        if sink.size >= flush_bytes:
                            yield sink.take()
                part.write("".join(pending).encode("utf-8", "replace"))
                part.write(b"</sheetData></worksheet>")
            yield sink.take()
    yield sink.take()
