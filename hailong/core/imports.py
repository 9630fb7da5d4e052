"""Table imports, one path for every kind of file (survey results, dossiers, regular
customers, the procedures catalogue): upload, a background check, confirmation, a background
import, cancellable at any time.

The file is read twice, row by row, and never held as a list: the check keeps only counts and
the first rows with problems (`ProblemLog`); the import reads the file again and stores the
good rows chunk by chunk. A `TableImporter` says, for one kind of file, which columns it needs,
what is wrong with a row and how a chunk of good rows is stored. Between rows the job reports
progress and looks for a cancel (at most once a second: each look is a cache read), so a
cancel stops it within seconds; the page says "Cancelling…" until it has.

An import is all or nothing: the rows go in one transaction, or, for survey results (many rows,
and citizens must not be locked out of SQLite meanwhile), chunk by chunk with the importer
deleting what it stored when it is cancelled or fails.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BinaryField
from django.db.models.functions import Length, Substr
from django.utils import translation
from django.utils.translation import gettext as _

from hailong.core.audit import audit_record
from hailong.core.jobs import JobCancelled, job_cancel, job_enqueue, job_handler
from hailong.core.models import FileImport, ImportStatus, JobStatus, TableUpload, UploadedContent
from hailong.core.tabular import HeaderKeys, Problem, ProblemLog, Row, TableError, read_table
from hailong.core.text import join_sentences


class RowRejected(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(join_sentences(p.message for p in problems))
        self.problems = problems


def errors_kept() -> int:
    return settings.HAILONG_IMPORT_ERRORS_KEPT


class TableImporter:
    """One kind of table. A new instance reads each pass (check, then import), so it may keep
    what it learns along the file (codes seen, for duplicates) in attributes."""

    kind = ""
    # The roles that may upload this kind and see its imports (a set of Role values).
    roles: set[str] = set()

    @classmethod
    def may_use(cls, user) -> bool:
        """Whether this person may upload this kind and see its imports. The app that defines
        the importer answers (organisation.permissions.has_role), so core knows no roles."""
        raise TypeError(f"{cls.__name__} must define may_use")

    title = ""  # what the page calls it ("Import dossiers")
    back_url = ""  # the page the upload came from (a URL name)
    audit_action = ""  # written when the import is done ("dossier.import")
    # One transaction for the whole import; False: chunks commit and `undo` removes them.
    whole_transaction = True
    chunk = 500

    def __init__(self, *, actor, upload: TableUpload | None = None):
        self.actor = actor
        self.upload = upload
        self.filename = ""
        self.warnings = ProblemLog(keep=errors_kept())

    def columns(self, keys: HeaderKeys) -> None:
        """Check the header row's keys (keys.as_written(key) names a column as the file does);
        raise TableError (its message for the user)."""

    def skip_row(self, row: Row) -> bool:
        """True for a row that is no data (e.g. an export's label row)."""
        return False

    def check_row(self, row: Row):
        """The row's item to store, or RowRejected with its problems."""
        raise TypeError(f"{type(self).__name__} must define check_row")

    def check_chunk(self, numbered: list[tuple[int, object]], report: CheckReport) -> None:
        """What storing would do with a chunk of the rows `check_row` accepted ((row number,
        item) pairs), counted into `report` without storing anything. By default every one is
        good; an importer whose store path refuses or skips rows by rules beyond the row itself
        (duplicates, a campaign's dates) asks it here, so the numbers shown before confirming
        are what storing will do."""
        report.good += len(numbered)

    def check_fields(self, report: CheckReport) -> dict:
        """Fields of the upload to set from the check, beyond the common ones."""
        return {}

    def store(self, items: list) -> None:
        """Store one chunk of checked items (inside a transaction)."""
        raise TypeError(f"{type(self).__name__} must define store")

    def undo(self) -> None:
        """Remove what the committed chunks stored (only when not `whole_transaction`)."""

    def summary(self) -> dict:
        """The counts of the import, once stored (JSON-ready)."""
        return {}

    def empty_message(self) -> str:
        return _("The file has a header row but no rows.")

    def done_message(self, result: dict) -> str:
        return ""

    def warn(self, number: int, reason: str, message: str) -> None:
        self.warnings.add(number, [Problem(reason, message)])


@dataclass
class CheckReport:
    total: int = 0
    good: int = 0
    problems: ProblemLog = field(default_factory=lambda: ProblemLog(keep=errors_kept()))
    warnings: ProblemLog | None = None
    file_error: str = ""
    already: int = 0  # rows stored before (an earlier import of the same rows): skipped


class _Ticker:
    """Progress and cancellation between rows, at most once a second: each costs a cache read
    (and, outside a transaction, a database write), each row a clock read."""

    every = 1.0  # seconds

    def __init__(self, progress, check_cancelled):
        self.progress, self.check_cancelled = progress, check_cancelled
        self.last = time.monotonic()
        if check_cancelled:
            check_cancelled()

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        if self.check_cancelled:
            self.check_cancelled()
        if self.progress:
            self.progress(done, total)


def _estimate(done: int, stream: io.BytesIO, size: int) -> int:
    """Rows in the file, guessed from how far into it the reader is (for the progress bar)."""
    position = stream.tell()
    return max(done, round(done * size / position)) if position else done


def _opened(source: bytes | memoryview | Callable[[], io.BufferedIOBase]) -> io.BufferedIOBase:
    return source() if callable(source) else io.BytesIO(source)


def table_check(
    importer: TableImporter,
    source,
    *,
    filename: str,
    progress: Callable[[int, int], None] | None = None,
    check_cancelled: Callable[[], None] | None = None,
) -> CheckReport:
    """Read and check every row; nothing is stored. `source` is the file's bytes or a function
    opening it (a binary file); `progress(done, total)` gets an estimated total."""
    report = CheckReport()
    stream = _opened(source)
    stream.seek(0, 2)
    size = stream.tell() or 1
    stream.seek(0)
    tick = _Ticker(progress, check_cancelled)
    try:
        keys, rows = read_table(stream, filename=filename)
        importer.filename = filename
        importer.columns(keys)
        pending: list[tuple[int, object]] = []
        for row in rows:
            if importer.skip_row(row):
                continue
            report.total += 1
            tick(report.total, _estimate(report.total, stream, size))
            try:
                pending.append((row.number, importer.check_row(row)))
            except RowRejected as rejected:
                report.problems.add(row.number, rejected.problems)
            if len(pending) >= importer.chunk:
                importer.check_chunk(pending, report)
                pending = []
        if pending:
            importer.check_chunk(pending, report)
        # A chunk's refusals are told after the rows read meanwhile: listed in the file's order.
        report.problems.first.sort(key=lambda entry: entry[0])
    except TableError as exc:
        # The file is refused as a whole: what its first rows had is beside the point.
        report.file_error = str(exc)
        report.good, report.already = 0, 0
        report.problems = ProblemLog(keep=errors_kept())
    if not report.file_error and not report.total:
        report.file_error = importer.empty_message()
    report.warnings = importer.warnings
    if progress:
        progress(report.total, report.total)
    return report


def _good_chunks(importer: TableImporter, rows: Iterator[Row], tick, total) -> Iterator[list]:
    chunk, done = [], 0
    for row in rows:
        if importer.skip_row(row):
            continue
        done += 1
        tick(done, total)
        try:
            chunk.append(importer.check_row(row))
        except RowRejected:
            continue
        if len(chunk) >= importer.chunk:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def table_store(
    importer: TableImporter,
    source,
    *,
    filename: str,
    total: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    check_cancelled: Callable[[], None] | None = None,
) -> dict:
    """Read the file again and store its good rows (rows with problems are left out): all of
    them, or none when cancelled or failing half-way. The importer's summary."""
    keys, rows = read_table(_opened(source), filename=filename)
    importer.filename = filename
    importer.columns(keys)
    tick = _Ticker(progress, check_cancelled)
    whole = transaction.atomic() if importer.whole_transaction else contextlib.nullcontext()
    try:
        with whole:
            for chunk in _good_chunks(importer, rows, tick, total):
                with transaction.atomic():
                    importer.store(chunk)
            if check_cancelled:  # the last look: a cancel asked during the last chunk wins
                check_cancelled()
    except BaseException:
        if not importer.whole_transaction:
            importer.undo()
        raise
    if progress:
        progress(total or 0, total or 0)
    return importer.summary()


def print_problems(stream, problems: ProblemLog) -> None:
    """For commands: the first rows with problems, then how many rows had each kind."""
    for number, problem in problems.first:
        stream.write(f"row {number}: {problem}")
    if problems.rows > len(problems.first):
        stream.write(f"... and {problems.rows - len(problems.first)} more rows with problems")
    for reason, rows in problems.reasons():
        stream.write(f"  {rows} rows: {reason}")


# The background path, shared by ResponseImport and FileImport (both TableUpload).


def upload_create(model, *, data: bytes, filename: str, actor, check_kind: str, **fields):
    upload = model.objects.create(
        filename=filename[:255],
        content=UploadedContent.objects.create(data=data),
        sha256=hashlib.sha256(data).hexdigest(),
        created_by=actor,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        **fields,
    )
    upload.job = job_enqueue(check_kind, payload={"import": upload.pk}, actor=actor)
    upload.save(update_fields=["job"])
    return upload


def upload_confirm(upload: TableUpload, *, run_kind: str, actor) -> TableUpload:
    """Start the import of a checked file; a second click starts nothing more."""
    model = type(upload)
    with transaction.atomic():
        upload = model.objects.select_for_update().get(pk=upload.pk)
        if upload.status != ImportStatus.CHECKED or not upload.good_rows:
            return upload
        upload.status = ImportStatus.IMPORTING
        upload.job = job_enqueue(run_kind, payload={"import": upload.pk}, actor=actor)
        upload.save(update_fields=["status", "job"])
    return upload


def upload_cancel(upload: TableUpload, *, actor, action: str) -> bool:
    """Stop an import that has not finished; False when it had finished already. A file
    waiting for confirmation or a job not started yet is cancelled at once; a running job is
    "cancelling" until it notices (within seconds) and undoes what it stored."""
    model = type(upload)
    with transaction.atomic():
        upload = (
            model.objects.select_for_update(of=("self",)).select_related("job").get(pk=upload.pk)
        )
        if upload.status not in (
            ImportStatus.CHECKING,
            ImportStatus.CHECKED,
            ImportStatus.IMPORTING,
        ):
            return False
        stopped = True
        if upload.job and not upload.job.is_finished:
            job_cancel(upload.job)
            upload.job.refresh_from_db(fields=["status"])
            stopped = upload.job.status == JobStatus.CANCELLED  # it had not started
        upload.status = ImportStatus.CANCELLED if stopped else ImportStatus.CANCELLING
        upload.save(update_fields=["status"])
        audit_record(actor=actor, action=action, target=upload)
    return True


class StoredFile(io.RawIOBase):
    """An uploaded file read from its database column 1 MB at a time, so a job never holds the
    whole file: SQLite's incremental blob reading (SUBSTR would load the whole value for each
    slice), PostgreSQL's SUBSTRING. Readers ask for 8 KB at a time; one slice serves many."""

    SLICE = 1024 * 1024

    def __init__(self, upload: TableUpload):
        self.pk = upload.content_id
        self.rows = UploadedContent.objects.filter(pk=self.pk)
        self.size = self.rows.annotate(n=Length("data")).values_list("n", flat=True).get()
        self.position = 0
        self.slice_start, self.slice = 0, b""
        self.blob = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def readinto(self, buffer) -> int:
        if self.position >= self.size:
            return 0
        offset = self.position - self.slice_start
        if not 0 <= offset < len(self.slice):
            wanted = min(self.SLICE, self.size - self.position)
            self.slice_start, offset = self.position, 0
            self.slice = (
                self._sqlite(wanted) if connection.vendor == "sqlite" else self._substring(wanted)
            )
        part = self.slice[offset : offset + len(buffer)]
        buffer[: len(part)] = part
        self.position += len(part)
        return len(part)

    def _substring(self, wanted: int) -> bytes:
        return bytes(
            self.rows.annotate(
                part=Substr("data", self.position + 1, wanted, output_field=BinaryField())
            )
            .values_list("part", flat=True)
            .get()
        )

    def _sqlite(self, wanted: int) -> bytes:
        import sqlite3

        for attempt in (1, 2):
            try:
                if self.blob is None:
                    connection.ensure_connection()
                    self.blob = connection.connection.blobopen(
                        UploadedContent._meta.db_table, "data", self.pk, readonly=True
                    )
                self.blob.seek(self.position)
                return self.blob.read(wanted)
            except sqlite3.Error:
                # SQLite expires a handle whose row changes; try once more with a new one.
                self.blob = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.blob is not None:
            with contextlib.suppress(Exception):
                self.blob.close()
            self.blob = None
        super().close()


def upload_content(upload: TableUpload):
    """A function opening the stored file, read 1 MB at a time when a job needs it (the pages
    never load it)."""
    return lambda: io.BufferedReader(StoredFile(upload))


def _finish_cancelled(model, pk) -> None:
    model.objects.filter(pk=pk, status__in=TableUpload.WORKING).update(
        status=ImportStatus.CANCELLED
    )


@contextlib.contextmanager
def _job_outcome(upload: TableUpload):
    """The upload's status when its job stops early: cancelled, or failed on any error."""
    model = type(upload)
    try:
        yield
    except JobCancelled:
        _finish_cancelled(model, upload.pk)
        raise
    except Exception:
        model.objects.filter(pk=upload.pk, status__in=TableUpload.WORKING).update(
            status=ImportStatus.FAILED
        )
        raise


def upload_check_run(upload: TableUpload, importer: TableImporter, context) -> dict:
    """The check job's work for any kind of upload."""
    model = type(upload)
    with _job_outcome(upload), translation.override(upload.language):
        report = table_check(
            importer,
            upload_content(upload),
            filename=upload.filename,
            progress=context.progress,
            check_cancelled=context.check_cancelled,
        )
    fields = {
        "total_rows": report.total,
        "good_rows": report.good,
        "file_error": report.file_error,
        "errors": [list(e) for e in report.problems.first],
        "error_count": report.problems.rows,
        "error_reasons": report.problems.reasons(),
        **importer.check_fields(report),
    }
    if model is FileImport and report.warnings is not None:
        fields["warnings"] = [list(w) for w in report.warnings.first]
        fields["warning_count"] = report.warnings.rows
    status = ImportStatus.FAILED if report.file_error else ImportStatus.CHECKED
    model.objects.filter(pk=upload.pk, status=ImportStatus.CHECKING).update(status=status, **fields)
    # Asked to stop after the last look: the check is done, but the person said no.
    model.objects.filter(pk=upload.pk, status=ImportStatus.CANCELLING).update(
        status=ImportStatus.CANCELLED, **fields
    )
    return {"good": report.good, "bad": report.problems.rows}


def upload_store_run(upload: TableUpload, importer: TableImporter, context) -> dict:
    """The import job's work for any kind of upload; the importer's summary."""
    with _job_outcome(upload), translation.override(upload.language):
        return table_store(
            importer,
            upload_content(upload),
            filename=upload.filename,
            total=upload.total_rows,
            progress=context.progress,
            check_cancelled=context.check_cancelled,
        )


# Files other than survey results: FileImport, its kind naming the importer.

IMPORTERS: dict[str, type[TableImporter]] = {}
FILE_CHECK, FILE_RUN = "file_import.check", "file_import.import"


def table_importer(cls: type[TableImporter]) -> type[TableImporter]:
    """Register an importer for FileImport uploads of its kind."""
    IMPORTERS[cls.kind] = cls
    return cls


def file_imports_visible_to(user, kind: str):
    """The uploads of one kind a person may open: their own (administrators: all), without the
    stored files and the lists of problems (pages list them by the dozen)."""
    uploads = FileImport.objects.filter(kind=kind).defer("errors", "warnings")
    return uploads if user.is_administrator else uploads.filter(created_by=user)


def file_import_start(*, kind: str, data: bytes, filename: str, actor) -> FileImport:
    if kind not in IMPORTERS:
        raise ValueError(f"no importer for {kind!r}")
    with transaction.atomic():
        return upload_create(
            FileImport, data=data, filename=filename, actor=actor, check_kind=FILE_CHECK, kind=kind
        )


def file_import_confirm(*, upload: FileImport, actor) -> FileImport:
    return upload_confirm(upload, run_kind=FILE_RUN, actor=actor)


def file_import_cancel(*, upload: FileImport, actor) -> bool:
    return upload_cancel(upload, actor=actor, action="file_import.cancel")


def _file_import(job) -> FileImport:
    return FileImport.objects.select_related("created_by").get(pk=job.payload["import"])


@job_handler(FILE_CHECK)
def file_check_job(job, context):
    upload = _file_import(job)
    importer = IMPORTERS[upload.kind](actor=upload.created_by, upload=upload)
    return upload_check_run(upload, importer, context)


@job_handler(FILE_RUN)
def file_import_job(job, context):
    upload = _file_import(job)
    importer = IMPORTERS[upload.kind](actor=upload.created_by, upload=upload)
    result = upload_store_run(upload, importer, context)
    with transaction.atomic():
        FileImport.objects.filter(pk=upload.pk, status__in=TableUpload.WORKING).update(
            status=ImportStatus.DONE, result=result
        )
        audit_record(
            actor=upload.created_by,
            action=importer.audit_action,
            target=upload,
            after={**result, "file": upload.filename, "sha256": upload.sha256},
        )
    return result
