"""A streaming reader for the first sheet of an XLSX file, with hard limits.

openpyxl's reader (even read-only) trusts the file: it pads every row to the declared
dimension (a 1.6 KB file declaring `A1:XFD100000` is 1.6 billion empty cells), builds each
row's cells in memory before handing it over, and keeps every shared string as a Python
object. Here the XML is fed to expat 64 KB at a time and the limits are checked while
reading: rows and cells present in the file (never the declared dimension), columns kept,
characters per cell, bytes of shared strings, and the length of any one XML token (a tag or
attribute that never ends). A file past a limit stops with a `TableError` saying which.

Only the values are read (formulas give their cached result), with openpyxl's rules for
numbers and dates, so a file reads the same as before.
"""

from __future__ import annotations

import contextlib
import posixpath
import zipfile
from array import array
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import BinaryIO
from xml.parsers import expat

from django.utils.formats import get_format
from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

FEED = 64 * 1024
TOKEN_MAX = 1024 * 1024  # bytes expat may hold for one unfinished tag or attribute
CELL_MAX_CHARS = 131_072  # as csv's default field limit; Excel itself stops at 32,767
SHARED_STRINGS_MAX_BYTES = 64 * 1024 * 1024
SHARED_STRINGS_MAX_COUNT = 2_000_000
ZIP_MAX_ENTRIES = 10_000  # a workbook has a few dozen parts
SMALL_PART_MAX_BYTES = 16 * 1024 * 1024  # workbook, relationships, styles
EXCEL_MAX_COLUMNS = 16_384  # column XFD
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_DOC_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"


class XlsxError(ValueError):
    """The message is for the user (active language)."""


class TooManyRows(XlsxError):
    """More rows (or cells) than the caller allows; the caller words the message."""


def _damaged() -> XlsxError:
    return XlsxError(_("The Excel file could not be opened: it may be damaged."))


def _local(name: str) -> str:
    """ "http://…/main c" -> "c" (expat is told to join namespace and name with a space)."""
    return name.rpartition(" ")[2]


def _parse(
    archive: zipfile.ZipFile,
    name: str,
    *,
    start: Callable[[str, dict], None] | None = None,
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
    max_bytes: int | None = None,
) -> Iterator[None]:
    """Feed one part of the archive to expat, yielding after each 64 KB so the caller can act
    on what the handlers collected (and stop early)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise _damaged() from None
    if max_bytes is not None and info.file_size > max_bytes:
        raise XlsxError(
            _("The Excel file is too large once unpacked (%(part)s). Save it again as CSV.")
            % {"part": posixpath.basename(name)}
        )
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = FEED
    noop = lambda *args: None  # noqa: E731
    parser.StartElementHandler = start or noop
    parser.EndElementHandler = end or noop
    parser.CharacterDataHandler = text or noop
    parser.StartDoctypeDeclHandler = _refuse_doctype
    fed = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(FEED):
                parser.Parse(chunk, False)
                fed += len(chunk)
                # After Parse, CurrentByteIndex is how far expat got: what it holds beyond
                # is one unfinished token (a tag or attribute that never ends).
                if fed - parser.CurrentByteIndex > TOKEN_MAX:
                    raise _damaged()
                yield
            parser.Parse(b"", True)
            yield
    except (expat.ExpatError, zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, XlsxError):
            raise
        raise _damaged() from exc


def _refuse_doctype(*args) -> None:
    # No document type, no entities: a spreadsheet never needs them ("billion laughs").
    raise _damaged()


def _drain(parts: Iterator[None]) -> None:
    for _step in parts:
        pass


class SharedStrings:
    """The shared string table in one bytearray (UTF-8) with offsets: a million short strings
    cost a few megabytes, not a Python object each."""

    def __init__(self):
        self.data = bytearray()
        self.offsets = array("I", [0])  # the text stays under 4 GB

    def append(self, text: str) -> None:
        self.data += text.encode()
        if len(self.data) > SHARED_STRINGS_MAX_BYTES:
            raise XlsxError(
                _("The Excel file holds too much text (over %(mb)d MB). Save it again as CSV.")
                % {"mb": SHARED_STRINGS_MAX_BYTES // (1024 * 1024)}
            )
        self.offsets.append(len(self.data))

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < len(self.offsets) - 1:
            raise _damaged()
        return self.data[self.offsets[index] : self.offsets[index + 1]].decode()


def _shared_strings(archive: zipfile.ZipFile, name: str | None) -> SharedStrings:
    table = SharedStrings()
    if name is None or name not in archive.namelist():
        return table
    state = {"parts": None, "skip": 0, "in_t": False}

    def start(tag, attrs):
        local = _local(tag)
        if local == "si":
            if len(table.offsets) > SHARED_STRINGS_MAX_COUNT:
                raise XlsxError(_("The Excel file has too many different texts."))
            state["parts"], state["size"] = [], 0
        elif local == "rPh":  # phonetic guide (East Asian): not part of the value
            state["skip"] += 1
        elif local == "t":
            state["in_t"] = True

    def end(tag):
        local = _local(tag)
        if local == "si" and state["parts"] is not None:
            table.append("".join(state["parts"]))
            state["parts"] = None
        elif local == "rPh":
            state["skip"] -= 1
        elif local == "t":
            state["in_t"] = False

    def text(data):
        if state["in_t"] and not state["skip"] and state["parts"] is not None:
            state["size"] += len(data)
            if state["size"] > CELL_MAX_CHARS:
                raise _cell_too_long()
            state["parts"].append(data)

    _drain(_parse(archive, name, start=start, end=end, text=text))
    return table


def _cell_too_long() -> XlsxError:
    return XlsxError(
        _("A cell of the file holds more than %(n)s characters.")
        % {"n": f"{CELL_MAX_CHARS:,}".replace(",", get_format("THOUSAND_SEPARATOR"))}
    )


def _date_styles(archive: zipfile.ZipFile, name: str | None) -> tuple[set[int], set[int]]:
    """Which cell style numbers show dates (and durations), as openpyxl decides."""
    if name is None or name not in archive.namelist():
        return set(), set()
    custom: dict[int, str] = {}
    formats: list[int] = []
    where = {"xfs": False}

    def start(tag, attrs):
        local = _local(tag)
        if local == "numFmt":
            with contextlib.suppress(ValueError):
                custom[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            where["xfs"] = True
        elif local == "xf" and where["xfs"]:
            try:
                formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                formats.append(0)

    def end(tag):
        if _local(tag) == "cellXfs":
            where["xfs"] = False

    _drain(_parse(archive, name, start=start, end=end, max_bytes=SMALL_PART_MAX_BYTES))
    dates, durations = set(), set()
    for index, number in enumerate(formats):
        code = custom.get(number, BUILTIN_FORMATS.get(number))
        if code and is_date_format(code):
            dates.add(index)
            if is_timedelta_format(code):
                durations.add(index)
    return dates, durations


def _relationships(archive: zipfile.ZipFile, name: str) -> dict[str, tuple[str, str]]:
    """Id -> (type, target) of a relationships part."""
    found: dict[str, tuple[str, str]] = {}
    if name not in archive.namelist():
        return found

    def start(tag, attrs):
        if _local(tag) == "Relationship":
            found[attrs.get("Id", "")] = (attrs.get("Type", ""), attrs.get("Target", ""))

    _drain(_parse(archive, name, start=start, max_bytes=SMALL_PART_MAX_BYTES))
    return found


def _resolve(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def _rels_of(part: str) -> str:
    return posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")


class _Workbook:
    """Where the first sheet, the shared strings and the styles are, and the date epoch."""

    def __init__(self, archive: zipfile.ZipFile):
        root = _relationships(archive, "_rels/.rels")
        self.part = next(
            (_resolve("", t) for kind, t in root.values() if kind.endswith("/officeDocument")),
            "xl/workbook.xml",
        )
        sheets: list[str] = []
        self.epoch = WINDOWS_EPOCH

        def start(tag, attrs):
            local = _local(tag)
            if local == "workbookPr" and attrs.get("date1904", "").lower() in ("1", "true"):
                self.epoch = MAC_EPOCH
            elif local == "sheet":
                sheets.append(attrs.get(f"{DOC_REL} id") or attrs.get(f"{STRICT_DOC_REL} id") or "")

        _drain(_parse(archive, self.part, start=start, max_bytes=SMALL_PART_MAX_BYTES))
        rels = _relationships(archive, _rels_of(self.part))
        if not sheets or sheets[0] not in rels:
            raise XlsxError(_("The Excel file has no sheet."))
        self.sheet = _resolve(self.part, rels[sheets[0]][1])
        by_kind = {kind.rpartition("/")[2]: target for kind, target in rels.values()}
        self.shared_strings = (
            _resolve(self.part, by_kind["sharedStrings"]) if "sharedStrings" in by_kind else None
        )
        self.styles = _resolve(self.part, by_kind["styles"]) if "styles" in by_kind else None


def _column(reference: str) -> int:
    """ "AB12" -> 28; 0 when the reference is not a cell reference."""
    number = 0
    for char in reference:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        elif char.isdigit():
            break
        else:
            return 0
    return number


def _number_text(raw: str) -> str:
    try:
        if "." in raw or "e" in raw or "E" in raw:
            number = float(raw)
            return str(int(number)) if number.is_integer() else str(number)
        return str(int(raw))
    except (ValueError, OverflowError):
        return raw


def _moment_text(value) -> str:
    if isinstance(value, timedelta):
        return str(value)
    return value.isoformat()


def _check_directory(stream: BinaryIO) -> None:
    """Refuse archives with thousands of parts before zipfile reads its whole directory into
    memory: the count is in the end record (the last 22 bytes, or before a comment)."""
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(max(0, size - 22 - 65_535))
    tail = stream.read()
    stream.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        raise _damaged()
    entries = int.from_bytes(tail[at + 10 : at + 12], "little")
    if entries > ZIP_MAX_ENTRIES:  # 0xFFFF also means "see the ZIP64 record": not a workbook
        raise _damaged()


def read_rows(
    stream: BinaryIO, *, max_rows: int, max_columns: int
) -> Iterator[tuple[int, list[str], bool]]:
    """(row number as Excel shows it, the cell texts of columns 1..max_columns, whether a cell
    further right held a value) for each row present in the first sheet. Rows beyond
    `max_rows` (blank ones included) or more than max_rows × max_columns cells in all stop
    the reading with an XlsxError."""
    _check_directory(stream)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _damaged() from exc
    with archive:
        book = _Workbook(archive)
        shared = _shared_strings(archive, book.shared_strings)
        dates, durations = _date_styles(archive, book.styles)
        yield from _sheet_rows(
            archive, book, shared, dates, durations, max_rows=max_rows, max_columns=max_columns
        )


def _sheet_rows(archive, book, shared, dates, durations, *, max_rows, max_columns):
    ready: list[tuple[int, list[str], bool]] = []
    state = {
        "row": None,  # the cells of the row being read: {column: text}
        "number": 0,
        "rows": 0,
        "cells": 0,
        "row_cells": 0,
        "column": 0,
        "over": False,
        "cell": None,  # (type, style, column) of the cell being read
        "text": None,  # the value's text pieces, when inside <v> or an inline <t>
        "size": 0,
        "rph": 0,
        "in_data": False,
    }
    max_cells = max_rows * max_columns

    def start(tag, attrs):
        local = _local(tag)
        if local == "sheetData":
            state["in_data"] = True
        elif not state["in_data"]:
            return
        elif local == "row":
            state["rows"] += 1
            if state["rows"] > max_rows:
                raise TooManyRows
            try:
                number = int(attrs.get("r", ""))
            except ValueError:
                number = state["number"] + 1
            state["number"] = max(number, state["number"] + 1)
            state["row"], state["column"], state["row_cells"], state["over"] = {}, 0, 0, False
        elif local == "c" and state["row"] is not None:
            state["cells"] += 1
            state["row_cells"] += 1
            if state["cells"] > max_cells:
                raise TooManyRows
            if state["row_cells"] > EXCEL_MAX_COLUMNS:
                raise _damaged()
            column = _column(attrs.get("r", "")) or state["column"] + 1
            state["column"] = column
            try:
                style = int(attrs.get("s", "0") or 0)
            except ValueError:
                style = 0
            state["cell"] = (attrs.get("t", "n"), style, column)
            state["pieces"], state["size"] = [], 0  # the size counts over all runs of a cell
        elif local in ("v", "t") and state["cell"] is not None and not state["rph"]:
            state["text"] = state["pieces"]
        elif local == "rPh":
            state["rph"] += 1

    def end(tag):
        local = _local(tag)
        if not state["in_data"]:
            return
        if local in ("v", "t"):
            state["text"] = None
        elif local == "rPh":
            state["rph"] -= 1
        elif local == "c" and state["cell"] is not None:
            kind, style, column = state["cell"]
            state["cell"] = None
            raw = "".join(state["pieces"])
            if raw == "" and kind != "inlineStr":
                return
            value = _value(kind, style, raw, shared, dates, durations, book.epoch)
            if column <= max_columns:
                state["row"][column] = value
            elif value.strip():
                state["over"] = True
        elif local == "row" and state["row"] is not None:
            cells = state["row"]
            width = max(cells, default=0)
            ready.append(
                (state["number"], [cells.get(i, "") for i in range(1, width + 1)], state["over"])
            )
            state["row"] = None
        elif local == "sheetData":
            state["in_data"] = False
            raise _Done

    def text(data):
        if state["text"] is not None:
            state["size"] += len(data)
            if state["size"] > CELL_MAX_CHARS:
                raise _cell_too_long()
            state["text"].append(data)

    try:
        for _step in _parse(archive, book.sheet, start=start, end=end, text=text):
            yield from ready
            ready.clear()
    except _Done:
        yield from ready


class _Done(Exception):
    """The end of the sheet's data: what follows (merged cells, print settings) is not read."""


def _value(kind, style, raw, shared, dates, durations, epoch) -> str:
    if kind == "s":
        try:
            return shared[int(raw)]
        except ValueError:
            raise _damaged() from None
    if kind == "b":
        return str(raw.strip() in ("1", "true"))
    if kind == "d":
        try:
            return datetime.fromisoformat(raw).isoformat()
        except ValueError:
            return raw
    if kind in ("n", "") and style in dates:
        try:
            return _moment_text(from_excel(float(raw), epoch, timedelta=style in durations))
        except (ValueError, OverflowError):
            return raw
    if kind in ("n", ""):
        return _number_text(raw)
    return raw  # "str" (a formula's text), "inlineStr", "e" (an error such as #N/A)
