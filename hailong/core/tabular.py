"""Reading tables that offices save: CSV (UTF-8 with or without BOM, UTF-16 as Excel writes
"Unicode text", Windows-1258 from old Vietnamese machines; comma, semicolon or tab) and XLSX.

Rows come out as dicts keyed by normalised header names, with the file's row number, so error
messages can point at the row a person sees in Excel.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from hailong.core.text import fold_for_search, normalize_text


class TableError(ValueError):
    """The file cannot be read as a table; the message is for the user."""


@dataclass
class Row:
    number: int  # the row number as shown by a spreadsheet (header = 1)
    values: dict[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "")


def header_key(text: str) -> str:
    """ "Mã TTHC " -> "ma_tthc": headers compared without case, accents or spacing."""
    return "_".join(fold_for_search(text).replace("-", " ").split())


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise TableError(
            _("The file is not in a known text encoding. Save it as CSV UTF-8 or as XLSX.")
        ) from exc


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = _decode(data)
    # The delimiter is the one the header row uses most (Excel writes ";" where the decimal
    # separator is ",", tabs for "Unicode text"); csv.Sniffer guesses wrong when a quoted
    # field holds another candidate.
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count) if any(c in header for c in ",;\t") else ","
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise TableError(_("The Excel file could not be opened: it may be damaged.")) from exc
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        yield ["" if cell is None else _cell_text(cell) for cell in row]
    workbook.close()


def _cell_text(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "strftime"):
        return cell.isoformat()
    return str(cell)


def read_table(data: bytes, *, filename: str = "") -> tuple[list[str], Iterator[Row]]:
    """The header keys and an iterator of rows. Blank rows are skipped."""
    if not data:
        raise TableError(_("The file is empty."))
    is_xlsx = data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx")
    raw = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    try:
        header = next(raw)
    except StopIteration:
        raise TableError(_("The file is empty.")) from None
    except csv.Error as exc:
        raise TableError(_("The file is not a valid CSV table.")) from exc
    keys = [header_key(h) for h in header]
    if not any(keys):
        raise TableError(_("The first row must hold the column names."))

    def rows() -> Iterator[Row]:
        for number, cells in enumerate(raw, start=2):
            if not any(str(c).strip() for c in cells):
                continue
            values = {
                key: normalize_text(cells[i]) if i < len(cells) else ""
                for i, key in enumerate(keys)
                if key
            }
            yield Row(number, values)

    return keys, rows()
