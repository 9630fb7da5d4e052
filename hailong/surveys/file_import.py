"""Survey results from files (CSV as offices save them, or XLSX), in the wide format: one row
per response, one column per question code.

Columns: submitted_at (ISO 8601 or dd/mm/yyyy [HH:MM]), unit (unit code), service (procedure
code, optional), channel (optional, default "import"), dossier_code (optional), one column per
question code (1–5 for the 5-point scale, 0 or blank = không áp dụng / no answer; a choice's
code for other questions, several separated by ";"), comment (optional), id (optional: the
response's id in an export, so that export → import is a round trip).

`import_check` reads the whole file and says what is wrong with each bad row; `import_run`
stores the good rows in one transaction, skipping rows already imported (same file, same id).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from hailong.core.formula_guard import formula_unguard
from hailong.core.tabular import Row, TableError, header_key, read_table
from hailong.organisation.models import Service, Staff, Unit
from hailong.organisation.selectors import units_visible_to
from hailong.surveys.models import Campaign, Channel, QuestionnaireVersion, Response
from hailong.surveys.schema import schema_for
from hailong.surveys.services.responses import (
    Submission,
    SubmissionRejected,
    check_version,
    responses_delete,
    responses_store,
    validated_answers,
)

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FIXED = {"submitted_at", "unit", "service", "channel", "dossier_code", "comment", "id"}
REQUIRED = ("submitted_at", "unit")
_DATE_FORMATS = (
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
)
EXPORT_ID = re.compile(r"^hl-(\d+)$")


def parse_moment(text: str) -> datetime | None:
    """A date/time as offices write it; a time without zone is Vietnam time."""
    text = text.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
        for fmt in _DATE_FORMATS:
            try:
                moment = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TZ)


@dataclass
class ParsedRow:
    number: int
    submission: Submission


@dataclass
class CheckReport:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    file_error: str = ""
    total: int = 0


def _answers(schema, values: dict[str, str]) -> dict:
    answers = {}
    for item in schema.items:
        raw = values.get(header_key(item.code), "").strip()
        if not raw:
            continue
        if item.kind == "multi":
            answers[item.code] = [part.strip() for part in re.split(r"[;,]", raw) if part.strip()]
        elif item.kind == "scale5" and raw == "0" and not item.allow_na:
            continue  # "0 or blank": no answer where "not applicable" is not offered
        else:
            answers[item.code] = raw
    return answers


def import_check(
    *,
    data: bytes,
    filename: str,
    version: QuestionnaireVersion,
    campaign: Campaign | None,
    actor: Staff | None,
    progress=None,
) -> CheckReport:
    """Read and check every row; nothing is stored. `progress(done, total)` is called now and
    then (for the progress bar)."""
    report = CheckReport()
    try:
        keys, rows = read_table(data, filename=filename)
    except TableError as exc:
        report.file_error = str(exc)
        return report
    missing = [c for c in REQUIRED if c not in keys]
    if missing:
        report.file_error = _(
            "Missing column(s): %(columns)s. The first row must name the columns submitted_at, "
            "unit, service, channel, dossier_code, the question codes and comment."
        ) % {"columns": ", ".join(missing)}
        return report
    schema = schema_for(version)
    item_keys = {header_key(i.code) for i in schema.items}
    unknown = [k for k in keys if k and k not in FIXED and k not in item_keys]
    if unknown:
        report.file_error = _(
            "Column(s) %(columns)s are neither standard columns nor questions of this "
            "questionnaire."
        ) % {"columns": ", ".join(unknown)}
        return report
    visible = units_visible_to(actor) if actor is not None else Unit.objects.all()
    units = {u.code.upper(): u for u in visible.filter(is_active=True)}
    covered = None
    if campaign is not None:
        paths = list(campaign.units.values_list("path", flat=True))
        covered = {code for code, u in units.items() if any(u.path.startswith(p) for p in paths)}
    services = {s.code: s for s in Service.objects.filter(is_active=True)}
    # A note row of an export (its id starts with "#": the column labels) is skipped; in CSV,
    # the quote the export puts before text a spreadsheet would take for a formula comes off
    # (XLSX holds text as text, unquoted).
    is_csv = not (data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"))
    rows = [
        Row(r.number, {k: formula_unguard(v) for k, v in r.values.items()}) if is_csv else r
        for r in rows
        if not r.get("id").startswith("#")
    ]
    report.total = len(rows)
    seen_content: dict[str, int] = {}
    for index, row in enumerate(rows):
        if progress and index % 200 == 0:
            progress(index, report.total)
        problems = []
        moment = parse_moment(row.get("submitted_at"))
        if moment is None:
            problems.append(
                _("“%(value)s” is not a date (use 31/03/2026 08:30 or 2026-03-31)")
                % {"value": row.get("submitted_at")}
            )
        unit_code = row.get("unit").upper()
        unit = units.get(unit_code)
        if unit is None:
            problems.append(
                _("unit “%(code)s” is unknown or outside your scope") % {"code": row.get("unit")}
            )
        elif covered is not None and unit_code not in covered:
            problems.append(_("unit %(code)s is not covered by the campaign") % {"code": unit_code})
        service = None
        if row.get("service"):
            service = services.get(row.get("service"))
            if service is None:
                problems.append(
                    _("procedure “%(code)s” is not in the catalogue") % {"code": row.get("service")}
                )
        channel = row.get("channel").lower() or Channel.IMPORT
        if channel not in Channel.values:
            problems.append(
                _("channel “%(value)s” is not one of %(choices)s")
                % {"value": row.get("channel"), "choices": ", ".join(Channel.values)}
            )
        if (
            campaign is not None
            and moment is not None
            and not (campaign.starts_on <= moment.astimezone(LOCAL_TZ).date() <= campaign.ends_on)
        ):
            problems.append(
                _("the date is outside the campaign (%(start)s – %(end)s)")
                % {
                    "start": campaign.starts_on.strftime("%d/%m/%Y"),
                    "end": campaign.ends_on.strftime("%d/%m/%Y"),
                }
            )
        content = f"v={version.pk}\x1f" + "\x1f".join(
            f"{k}={v}" for k, v in sorted(row.values.items()) if k != "id"
        )
        seen_content[content] = seen_content.get(content, 0) + 1
        submission = Submission(
            version=version,
            unit=unit,
            channel=channel,
            answers=_answers(schema, row.values),
            campaign=campaign,
            service=service,
            dossier_code=row.get("dossier_code"),
            comment=row.get("comment"),
            submitted_at=moment,
            idempotency_key=_row_key(content, seen_content[content], row.get("id")),
            export_of=_export_of(row.get("id")),
        )
        try:
            validated_answers(submission)
        except SubmissionRejected as refused:
            problems += [f"{code}: {message}" for code, message in refused.errors.items()]
        if problems:
            report.errors.append((row.number, "; ".join(problems)))
        else:
            report.rows.append(ParsedRow(row.number, submission))
    if progress:
        progress(report.total, report.total)
    if not report.total:
        report.file_error = _("The file has a header row but no responses.")
    return report


def _row_key(content: str, occurrence: int, external_id: str) -> str:
    """What makes a row "the same row" when a file is imported again: its id when it has one
    (an export of this system or another), else its content (and, for rows repeated in one
    file, which repetition it is). So a file imported again after its bad rows were corrected
    stores only the corrected rows."""
    if external_id:
        return f"import:id:{external_id.strip()[:60]}"
    digest = hashlib.sha256(content.encode()).hexdigest()[:40]
    return f"import:{digest}:{occurrence}"


def _export_of(external_id: str) -> int | None:
    own = EXPORT_ID.match(external_id.strip())
    return int(own.group(1)) if own else None


@dataclass
class RunResult:
    imported: int = 0
    duplicates: int = 0


def import_run(
    report: CheckReport,
    *,
    actor: Staff | None,
    progress=None,
    check_cancelled=None,
    chunk: int = 500,
    source=None,
) -> RunResult:
    """Store the good rows of a checked file: all of them or, if cancelled or failing half-way,
    none. Rows seen before (same content, an exported response's own id, or a dossier already
    answered in the campaign) are counted as duplicates, not stored again.

    Without `source` the whole file is one transaction. With `source` (the ResponseImport of a
    background import) each chunk commits on its own, so that on SQLite the citizens' forms are
    not locked out for the length of a big import; the rows carry the import, and a cancelled
    or failed import deletes them all again."""
    result = RunResult()
    rows = report.rows
    if rows:
        check_version(rows[0].submission.version)
    whole = transaction.atomic() if source is None else contextlib.nullcontext()
    try:
        with whole:
            for start in range(0, len(rows), chunk):
                if check_cancelled:
                    check_cancelled()
                batch = [r.submission for r in rows[start : start + chunk]]
                with transaction.atomic():
                    stored = _store_chunk(batch, actor=actor, source=source)
                result.duplicates += len(batch) - stored
                result.imported += stored
                if progress:
                    progress(start + len(batch), len(rows))
    except BaseException:
        if source is not None:
            responses_delete(
                responses=Response.objects.filter(source_import=source),
                actor=actor,
                reason="import cancelled or failed",
                target=source,
            )
        raise
    return result


def _store_chunk(batch: list[Submission], *, actor, source) -> int:
    """Store one chunk through the write path; rows seen before (same row key, an export's own
    id, a dossier already answered in the campaign, a serial already entered) are skipped."""
    result = responses_store(batch, actor=actor, source=source)
    return result.stored_count
