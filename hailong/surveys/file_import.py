"""Survey results from files (CSV as offices save them, or XLSX), in the wide format: one row
per response, one column per question code.

Columns: submitted_at (ISO 8601 or dd/mm/yyyy [HH:MM]), unit (unit code), service (procedure
code, optional), channel (optional, default "import"), dossier_code (optional), one column per
question code (1–5 for the 5-point scale, 0 or blank = không áp dụng / no answer; a choice's
code for other questions, several separated by ";"), comment (optional), id (optional: the
response's id in an export, so that export → import is a round trip).

`import_check` reads the file row by row and says what is wrong with the bad rows (the first
ones, and a count per kind of problem); `import_run` reads it again and stores the good rows,
skipping rows already imported (same content, same id). Both stream (hailong.core.imports).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from hailong.core.formula_guard import formula_unguard
from hailong.core.imports import CheckReport, RowRejected, TableImporter, table_check, table_store
from hailong.core.moments import moment_refusal
from hailong.core.tabular import Problem, Row, TableError, header_key
from hailong.organisation.models import Service, Staff, Unit
from hailong.organisation.selectors import units_visible_to
from hailong.surveys.models import Campaign, Channel, QuestionnaireVersion, Response
from hailong.surveys.schema import schema_for
from hailong.surveys.services.responses import (
    RESPONSE_OLDEST,
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


class ResponsesTable(TableImporter):
    """Survey results in the wide format (see the module's docstring)."""

    kind = "responses"

    def __init__(self, *, actor, version, campaign, upload=None, chunk: int = 500):
        super().__init__(actor=actor, upload=upload)
        # From a background job, chunks commit as they go (citizens' forms are not locked out
        # of SQLite meanwhile) and carry the upload, so a cancel or failure deletes them.
        self.whole_transaction = upload is None
        self.chunk = chunk
        self.version, self.campaign = version, campaign
        self.schema = schema_for(version)
        visible = units_visible_to(actor) if actor is not None else Unit.objects.all()
        self.units = {u.code.upper(): u for u in visible.filter(is_active=True)}
        self.covered = None
        if campaign is not None:
            paths = list(campaign.units.values_list("path", flat=True))
            self.covered = {
                code for code, u in self.units.items() if any(u.path.startswith(p) for p in paths)
            }
        self.services = {s.code: s for s in Service.objects.filter(is_active=True)}
        self.seen: dict[int, int] = {}  # content digest -> rows with it so far
        self.result = RunResult()
        self.version_checked = False

    def columns(self, keys: list[str]) -> None:
        missing = [c for c in REQUIRED if c not in keys]
        if missing:
            raise TableError(
                _(
                    "Missing column(s): %(columns)s. The first row must name the columns "
                    "submitted_at, unit, service, channel, dossier_code, the question codes and "
                    "comment."
                )
                % {"columns": ", ".join(missing)}
            )
        item_keys = {header_key(i.code) for i in self.schema.items}
        unknown = [k for k in keys if k and k not in FIXED and k not in item_keys]
        if unknown:
            raise TableError(
                _(
                    "Column(s) %(columns)s are neither standard columns nor questions of this "
                    "questionnaire."
                )
                % {"columns": ", ".join(unknown[:20])}
            )

    def empty_message(self) -> str:
        return _("The file has a header row but no responses.")

    def skip_row(self, row: Row) -> bool:
        return row.get("id").startswith("#")  # an export's row of Vietnamese labels

    def check_row(self, row: Row) -> Submission:
        if not self.filename.lower().endswith(".xlsx"):
            # A CSV export guards text that a spreadsheet would run as a formula with a quote
            # (core.formula_guard); undone exactly once here. XLSX text is never guarded.
            row = Row(row.number, {k: formula_unguard(v) for k, v in row.values.items()})
        campaign = self.campaign
        problems = []
        moment = parse_moment(row.get("submitted_at"))
        if moment is None:
            problems.append(
                Problem(
                    _("date not readable"),
                    _("“%(value)s” is not a date (use 31/03/2026 08:30 or 2026-03-31)")
                    % {"value": row.get("submitted_at")[:40]},
                )
            )
        elif implausible := moment_refusal(moment, oldest=RESPONSE_OLDEST):
            # The write path refuses it too; said here, with the other problems of the row.
            problems.append(Problem(_("date not plausible"), implausible))
            moment = None
        unit_code = row.get("unit").upper()
        unit = self.units.get(unit_code)
        if unit is None:
            problems.append(
                Problem(
                    _("unit unknown or outside your scope"),
                    _("unit “%(code)s” is unknown or outside your scope")
                    % {"code": row.get("unit")[:40]},
                )
            )
        elif self.covered is not None and unit_code not in self.covered:
            problems.append(
                Problem(
                    _("unit not covered by the campaign"),
                    _("unit %(code)s is not covered by the campaign") % {"code": unit_code},
                )
            )
        service = None
        if row.get("service"):
            service = self.services.get(row.get("service"))
            if service is None:
                problems.append(
                    Problem(
                        _("procedure not in the catalogue"),
                        _("procedure “%(code)s” is not in the catalogue")
                        % {"code": row.get("service")[:40]},
                    )
                )
        channel = row.get("channel").lower() or Channel.IMPORT
        if channel not in Channel.values:
            problems.append(
                Problem(
                    _("unknown channel"),
                    _("channel “%(value)s” is not one of %(choices)s")
                    % {
                        "value": row.get("channel")[:40],
                        # The file holds the code; the label says which one the person meant.
                        "choices": ", ".join(
                            f"{code} ({label})" for code, label in Channel.choices
                        ),
                    },
                )
            )
        if (
            campaign is not None
            and moment is not None
            and not (campaign.starts_on <= moment.astimezone(LOCAL_TZ).date() <= campaign.ends_on)
        ):
            problems.append(
                Problem(
                    _("date outside the campaign"),
                    _("the date is outside the campaign (%(start)s – %(end)s)")
                    % {
                        "start": campaign.starts_on.strftime("%d/%m/%Y"),
                        "end": campaign.ends_on.strftime("%d/%m/%Y"),
                    },
                )
            )
        content = f"v={self.version.pk}\x1f" + "\x1f".join(
            f"{k}={v}" for k, v in sorted(row.values.items()) if k != "id"
        )
        raw_digest = hashlib.sha256(content.encode()).digest()
        digest = raw_digest.hex()[:40]
        # Counted by the digest's first 8 bytes as a number: a third of the memory of the text.
        seen_key = int.from_bytes(raw_digest[:8], "big")
        self.seen[seen_key] = self.seen.get(seen_key, 0) + 1
        submission = Submission(
            version=self.version,
            unit=unit,
            channel=channel,
            answers=_answers(self.schema, row.values),
            campaign=campaign,
            service=service,
            dossier_code=row.get("dossier_code"),
            comment=row.get("comment"),
            submitted_at=moment,
            idempotency_key=_row_key(digest, self.seen[seen_key], row.get("id")),
            export_of=_export_of(row.get("id")),
        )
        try:
            validated_answers(submission)
        except SubmissionRejected as refused:
            problems += [
                Problem(
                    _("answer to %(code)s not accepted") % {"code": code},
                    f"{code}: {message}",
                )
                for code, message in refused.errors.items()
            ]
        if problems:
            raise RowRejected(problems)
        return submission

    def store(self, items: list[Submission]) -> None:
        if not self.version_checked:
            check_version(self.version)
            self.version_checked = True
        stored = _store_chunk(items, actor=self.actor, source=self.upload)
        self.result.imported += stored
        self.result.duplicates += len(items) - stored

    def undo(self) -> None:
        if self.upload is not None:
            responses_delete(
                responses=Response.objects.filter(source_import=self.upload),
                actor=self.actor,
                reason="import cancelled or failed",
                target=self.upload,
            )

    def summary(self) -> dict:
        return {"imported": self.result.imported, "duplicates": self.result.duplicates}


def _row_key(digest: str, occurrence: int, external_id: str) -> str:
    """What makes a row "the same row" when a file is imported again: its id when it has one
    (an export of this system or another), else its content (and, for rows repeated in one
    file, which repetition it is). So a file imported again after its bad rows were corrected
    stores only the corrected rows."""
    if external_id:
        return f"import:id:{external_id.strip()[:60]}"
    return f"import:{digest}:{occurrence}"


def _export_of(external_id: str) -> int | None:
    own = EXPORT_ID.match(external_id.strip())
    return int(own.group(1)) if own else None


@dataclass
class RunResult:
    imported: int = 0
    duplicates: int = 0


def import_check(
    *,
    data,
    filename: str,
    version: QuestionnaireVersion,
    campaign: Campaign | None,
    actor: Staff | None,
    progress=None,
    check_cancelled=None,
) -> CheckReport:
    """Read and check every row, keeping counts and the first rows with problems; nothing is
    stored. `data` is the file's bytes or a function opening it."""
    importer = ResponsesTable(actor=actor, version=version, campaign=campaign)
    return table_check(
        importer, data, filename=filename, progress=progress, check_cancelled=check_cancelled
    )


def import_run(
    *,
    data,
    filename: str,
    version: QuestionnaireVersion,
    campaign: Campaign | None,
    actor: Staff | None,
    progress=None,
    check_cancelled=None,
    chunk: int = 500,
    upload=None,
    total: int | None = None,
) -> RunResult:
    """Read the file again and store its good rows: all of them or, if cancelled or failing
    half-way, none. Rows seen before (same content, an exported response's own id, or a
    dossier already answered in the campaign) are counted as duplicates, not stored again.

    Without `upload` the whole file is one transaction. With `upload` (the ResponseImport of a
    background import) each chunk commits on its own, so that on SQLite the citizens' forms are
    not locked out for the length of a big import; the rows carry the import, and a cancelled
    or failed import deletes them all again."""
    importer = ResponsesTable(
        actor=actor, version=version, campaign=campaign, upload=upload, chunk=chunk
    )
    summary = table_store(
        importer,
        data,
        filename=filename,
        total=total,
        progress=progress,
        check_cancelled=check_cancelled,
    )
    return RunResult(**summary)


def _store_chunk(batch: list[Submission], *, actor, source) -> int:
    """Store one chunk through the write path; rows seen before (same row key, an export's own
    id, a dossier already answered in the campaign, a serial already entered) are skipped."""
    result = responses_store(batch, actor=actor, source=source)
    return result.stored_count
