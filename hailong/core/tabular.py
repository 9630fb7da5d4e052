"""Reading tables that offices save: CSV (UTF-8 with or without BOM, UTF-16 as Excel writes
"Unicode text", Windows-1258 from old Vietnamese machines; comma, semicolon or tab) and XLSX.

Rows come out as dicts keyed by normalised header names, with the file's row number, so error
messages can point at the row a person sees in Excel. They come out one at a time, read from
the file as they are asked for: nothing keeps the whole table, and limits on rows, columns,
line length and cell size stop a hostile or broken file early with a message for the user
(`TableError`, raised by `read_table` or while iterating its rows).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import BinaryIO, NamedTuple

from django.conf import settings
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from hailong.core import xlsx
from hailong.core.text import fold_for_search, join_sentences, normalize_text

# A CSV line longer than this is not a row of a table (a row of 200 columns with a long
# comment stays far below); csv's own limit of 131,072 characters per cell applies too.
LINE_MAX_CHARS = 200_000
_SNIFF = 1024 * 1024


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


class HeaderKeys(list):
    """The header row's keys (header_key), which rows are read by, and each column's name as
    the file writes it, which messages name: "ABC" in the file is "ABC" in "unknown column",
    not "abc"."""

    def __init__(self, texts: list[str]):
        super().__init__(header_key(t) for t in texts)
        self.written: dict[str, str] = {}
        for key, text in zip(self, texts, strict=True):
            if key:
                self.written.setdefault(key, normalize_text(text))

    def as_written(self, key: str) -> str:
        return self.written.get(key, key)


def grouped(n: int) -> str:
    """12345 -> "12.345" in Vietnamese, "12,345" in English."""
    return f"{n:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


def max_rows() -> int:
    """Rows a file may have, its header and empty rows included (HAILONG_IMPORT_MAX_ROWS)."""
    return settings.HAILONG_IMPORT_MAX_ROWS


def max_columns() -> int:
    return settings.HAILONG_IMPORT_MAX_COLUMNS


def _too_many_rows(limit: int) -> TableError:
    return TableError(
        _(
            "The file has more than %(max)s rows (empty rows included). Split it into files "
            "of at most %(max)s rows, or delete the empty rows at the end."
        )
        % {"max": grouped(limit)}
    )


def _encoding_error() -> TableError:
    return TableError(
        _("The file is not in a known text encoding. Save it as CSV UTF-8 or as XLSX.")
    )


def _decodes(stream: BinaryIO, encoding: str) -> bool:
    """Whether the whole stream decodes, read 1 MB at a time (a few milliseconds for 20 MB)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    stream.seek(0)
    try:
        while chunk := stream.read(_SNIFF):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)
    return True


def _text_stream(stream: BinaryIO) -> io.TextIOWrapper:
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif _decodes(stream, "utf-8"):
        encoding = "utf-8"
    elif _decodes(stream, "cp1258"):
        encoding = "cp1258"
    else:
        raise _encoding_error()
    return io.TextIOWrapper(stream, encoding=encoding, newline="")


def _lines(text: io.TextIOWrapper) -> Iterator[str]:
    while line := text.readline(LINE_MAX_CHARS + 1):
        if len(line) > LINE_MAX_CHARS:
            raise TableError(
                _("A line of the file is longer than %(n)s characters: it is not a table row.")
                % {"n": grouped(LINE_MAX_CHARS)}
            )
        yield line


def _csv_rows(stream: BinaryIO, limit: int) -> Iterator[tuple[int, list[str], bool]]:
    text = _text_stream(stream)
    lines = _lines(text)
    number = 0
    try:
        header = next(lines, "")
        # The delimiter is the one the header row uses most (Excel writes ";" where the
        # decimal separator is ",", tabs for "Unicode text"); csv.Sniffer guesses wrong when a
        # quoted field holds another candidate.
        delimiter = max(",;\t", key=header.count) if any(c in header for c in ",;\t") else ","
        reader = csv.reader(chain([header], lines), delimiter=delimiter)
        number = 0
        for cells in reader:
            number += 1
            if number > limit:
                raise _too_many_rows(limit)
            if any("\x00" in cell for cell in cells):
                # PostgreSQL stores no NUL in text (the import would fail at its first such
                # row); a text file holding one is most often not the file meant. XLSX cannot
                # hold one (XML forbids it; its parser refuses the file as damaged).
                raise TableError(
                    _(
                        "Row %(row)s contains a NUL character (\\u0000), which cannot be "
                        "stored: is this the right file, saved as text (CSV)?"
                    )
                    % {"row": grouped(number)}
                )
            yield number, cells, False
    except csv.Error as exc:
        raise TableError(
            _(
                "Row %(row)s cannot be read as CSV: a quotation mark is left open or a cell is "
                "longer than 131,072 characters."
            )
            % {"row": grouped(number + 1)}
        ) from exc
    except UnicodeDecodeError as exc:
        raise _encoding_error() from exc


def _xlsx_rows(stream: BinaryIO, limit: int, columns: int):
    try:
        yield from xlsx.read_rows(stream, max_rows=limit, max_columns=columns)
    except xlsx.TooManyRows:
        raise _too_many_rows(limit) from None
    except xlsx.XlsxError as exc:
        raise TableError(str(exc)) from exc


def read_table(source: bytes | BinaryIO, *, filename: str = "") -> tuple[HeaderKeys, Iterator[Row]]:
    """The header keys and an iterator of rows, read as they are asked for. Blank rows are
    skipped (they count towards the row limit). `source` is the file's bytes or a seekable
    binary file."""
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray | memoryview) else source
    stream.seek(0, 2)
    if not stream.tell():
        raise TableError(_("The file is empty."))
    stream.seek(0)
    head = stream.read(4)
    stream.seek(0)
    is_xlsx = head == b"PK\x03\x04" or filename.lower().endswith(".xlsx")
    limit, columns = max_rows(), max_columns()
    raw = _xlsx_rows(stream, limit, columns) if is_xlsx else _csv_rows(stream, limit)
    try:
        _number, header, overflow = next(raw)
    except StopIteration:
        raise TableError(_("The file is empty.")) from None
    named = [i for i, h in enumerate(header) if h.strip()]
    if overflow or (named and named[-1] >= columns):
        raise TableError(
            _("The first row names more than %(max)d columns: it is not a table of this kind.")
            % {"max": columns}
        )
    keys = HeaderKeys(header)
    if not any(keys):
        raise TableError(_("The first row must hold the column names."))
    wanted = [(i, key) for i, key in enumerate(keys) if key]

    def rows() -> Iterator[Row]:
        for number, cells, _overflow in raw:
            if not any(c.strip() for c in cells):
                continue
            yield Row(
                number,
                {key: normalize_text(cells[i]) if i < len(cells) else "" for i, key in wanted},
            )

    return keys, rows()


class Problem(NamedTuple):
    reason: str  # the kind of problem, counted over the file ("date not readable")
    message: str  # what is wrong in this row ("“32/13/2026” is not a date …")


@dataclass
class ProblemLog:
    """The bad rows of a file, kept bounded: the first `keep` rows with their messages, and
    how many rows had each kind of problem. A file of a million bad rows costs no more than one
    of a thousand."""

    keep: int = 200
    first: list[tuple[int, str]] = field(default_factory=list)
    by_reason: dict[str, int] = field(default_factory=dict)
    rows: int = 0
    MAX_REASONS = 50

    def add(self, number: int, problems: list[Problem]) -> None:
        self.rows += 1
        if len(self.first) < self.keep:
            self.first.append((number, join_sentences(p.message for p in problems)))
        for reason in dict.fromkeys(p.reason for p in problems):
            if reason not in self.by_reason and len(self.by_reason) >= self.MAX_REASONS:
                reason = _("other problems")
            self.by_reason[reason] = self.by_reason.get(reason, 0) + 1

    def reasons(self) -> list[list]:
        """[[reason, rows], ...], the most frequent first (JSON-ready)."""
        return [[r, n] for r, n in sorted(self.by_reason.items(), key=lambda item: -item[1])]
