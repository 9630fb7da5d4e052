"""Survey results from files (CSV as offices save them, or XLSX), in the wide format: one row
per response, one column per question code.

Columns: submitted_at (ISO 8601 or dd/mm/yyyy [HH:MM]), unit (unit code), service (procedure
code, optional), channel (optional, default "import"), dossier_code (optional), one column per
question code (1–5 for the 5-point scale, 0 or blank = không áp dụng / no answer; a choice's
code for other questions, several separated by ";"), comment (optional), id (optional: the
response's id in an export, so that export → import is a round trip).

`import_check` checks the header once, then reads the file row by row: what a row says is read
here (dates, unit and procedure codes, channel), every rule is the write path's, asked for a
dry run a chunk at a time (`responses_check`), so its counts (rows to store, rows already
stored, rows with problems: the first ones, and a count per kind) are what `import_run` then
does: read the file again and store the good rows, skipping rows already imported (same
content, same id). Both stream (hailong.core.imports).
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
from hailong.core.tabular import HeaderKeys, Problem, Row, TableError, header_key
from hailong.organisation.models import Service, Staff, Unit
from hailong.organisation.selectors import units_visible_to
from hailong.surveys.models import (
    Campaign,
    CampaignStatus,
    Channel,
    QuestionnaireVersion,
    Response,
    VersionStatus,
)
from hailong.surveys.schema import schema_for, validate_answers
from hailong.surveys.services.responses import (
    Claims,
    Outcome,
    Submission,
    SubmissionRejected,
    check_version,
    responses_check,
    responses_delete,
    responses_store,
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
# Refusals that mean the row is stored already (this file or another brought it before).
ALREADY_STORED = {"duplicate_serial", "duplicate_dossier"}


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
        self.services = {s.code: s for s in Service.objects.filter(is_active=True)}
        self.seen: dict[int, int] = {}  # content digest -> rows with it so far
        self.result = RunResult()
        self.version_checked = False
        self.claims = Claims()  # what the check's earlier chunks would store

    def columns(self, keys: HeaderKeys) -> None:
        """The header, checked once for the whole file: a missing column would otherwise give
        every row the same error (3,015 times "answer this question"). Also what refuses every
        row alike: a version no longer published, a closed campaign."""
        if self.version.status != VersionStatus.PUBLISHED:
            raise TableError(
                _("This questionnaire version is not in use: import into its published version.")
            )
        if self.campaign is not None and self.campaign.status != CampaignStatus.OPEN:
            raise TableError(
                _("The campaign %(name)s is not open: choose an open campaign or none.")
                % {"name": self.campaign.name}
            )
        # Told apart: the columns every import needs, and those of the questions this
        # questionnaire makes compulsory (a staff member fixes them in different places).
        missing_fixed = [c for c in REQUIRED if c not in keys]
        missing_items = [
            i.code for i in self.schema.items if i.required and header_key(i.code) not in keys
        ]
        item_keys = {header_key(i.code) for i in self.schema.items}
        # Named as the file writes them, so the person finds them in it.
        unknown = [keys.as_written(k) for k in keys if k and k not in FIXED and k not in item_keys]
        problems = []
        if missing_fixed:
            problems.append(
                _("Missing column(s) that every import needs: %(columns)s.")
                % {"columns": ", ".join(missing_fixed)}
            )
        if missing_items:
            problems.append(
                _(
                    "Missing column(s) of questions this questionnaire requires an answer to: "
                    "%(columns)s."
                )
                % {"columns": ", ".join(missing_items)}
            )
        if unknown:
            problems.append(
                _(
                    "Unknown column(s): %(columns)s (neither standard columns nor questions of "
                    "this questionnaire)."
                )
                % {"columns": ", ".join(unknown[:20])}
            )
        if problems:
            problems.append(
                _(
                    "No row was checked. The first row must name the columns submitted_at, "
                    "unit, service, channel, dossier_code, the question codes and comment."
                )
            )
            raise TableError(" ".join(problems))

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
        if problems:
            # Every problem of the row at once: its answers too, so the person corrects the
            # row in one go (the write path is not asked about a row refused here).
            raise RowRejected(problems + self._answer_problems(submission))
        # Every other rule (the date's bounds, the campaign's days, units and procedures, the
        # answers, duplicates) is the write path's: asked for a dry run by `check_chunk`.
        return submission

    def check_chunk(self, numbered: list[tuple[int, Submission]], report: CheckReport) -> None:
        result = responses_check(
            [submission for _number, submission in numbered], actor=self.actor, claims=self.claims
        )
        for (number, submission), outcome in zip(numbered, result.outcomes, strict=True):
            if outcome.created:
                report.good += 1
            elif _already_stored(outcome):
                report.already += 1
            elif outcome.refusal.code == "answers":
                problems = self._answer_problems(submission, outcome.refusal.errors)
                report.problems.add(number, problems)
            else:
                # The write path stops at the first rule a response breaks (a date out of
                # bounds, a campaign's days): the answers are told as well.
                problems = _problems(outcome.refusal) + self._answer_problems(submission)
                report.problems.add(number, problems)

    def _answer_problems(self, submission: Submission, errors=None) -> list[Problem]:
        """The answers' problems in staff wording, by column: the write path's messages
        address the citizen filling in a form ("Please answer this question")."""
        if errors is None:
            errors = validate_answers(self.schema, submission.answers).errors
        required = {item.code for item in self.schema.items if item.required}
        problems = []
        for code, message in errors.items():
            if code in required and code not in submission.answers:
                problems.append(
                    Problem(
                        _("required answer missing in column %(code)s") % {"code": code},
                        _("Column %(code)s: no answer (a required question).") % {"code": code},
                    )
                )
            else:
                problems.append(
                    Problem(
                        _("answer to %(code)s not accepted") % {"code": code},
                        _("Column %(code)s: %(message)s") % {"code": code, "message": message},
                    )
                )
        return problems

    def check_fields(self, report: CheckReport) -> dict:
        # Shown before confirming; the import sets it again to what it skipped.
        return {"duplicates": report.already}

    def store(self, items: list[Submission]) -> None:
        if not self.version_checked:
            check_version(self.version)
            self.version_checked = True
        result = responses_store(items, actor=self.actor, source=self.upload)
        for outcome in result.outcomes:
            if outcome.created:
                self.result.imported += 1
            elif _already_stored(outcome):
                self.result.duplicates += 1
            else:  # refused since the check (e.g. the campaign closed meanwhile)
                self.result.refused += 1

    def undo(self) -> None:
        if self.upload is not None:
            responses_delete(
                responses=Response.objects.filter(source_import=self.upload),
                actor=self.actor,
                reason="import cancelled or failed",
                target=self.upload,
            )

    def summary(self) -> dict:
        return {
            "imported": self.result.imported,
            "duplicates": self.result.duplicates,
            "refused": self.result.refused,
        }


def _already_stored(outcome: Outcome) -> bool:
    """A replay of a row stored before, or a duplicate of one: skipped, not a problem."""
    return outcome.refusal is None or outcome.refusal.code in ALREADY_STORED


def _problems(refused: SubmissionRejected) -> list[Problem]:
    """A write path's refusal (other than of the answers) as the problems of a row."""
    if refused.code == "submitted_at":
        return [Problem(_("date not plausible"), refused.message)]
    if refused.code == "campaign_closed":
        return [Problem(_("not accepted by the campaign"), refused.message)]
    return [Problem(_("not accepted"), refused.message)]


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
    refused: int = 0


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
