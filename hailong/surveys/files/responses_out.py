"""Responses out to CSV/XLSX in the import format (export → import is a round trip).

Row 1 names the columns by code (id, submitted_at, unit, service, channel, dossier_code, one
per question code, comment), as `file_import` reads them. Row 2 says in words what each column
is; its first cell starts with "#", which marks a note row that the import skips. An XLSX file
also has a legend sheet: what each code and each answer code means, the channels, units and
procedures of the export.

Rows are read a few thousand responses at a time as plain tuples (`values_list`), item and
option codes coming from the cached schema of each version, and written as they are read: CSV
and XLSX both stream (`hailong.core.xlsx_stream`), so the first byte leaves at once and memory
stays flat whatever the number of responses. In XLSX numbers are numbers and times are times;
text is always text, never a formula. In CSV, text that a spreadsheet would take for a formula
gets a quote in front (`hailong.core.formula_guard`), which the import takes off again.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import ExpressionWrapper, F, Field, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from hailong.core.formula_guard import formula_guard
from hailong.core.periods import LOCAL_TZ
from hailong.core.xlsx_stream import Sheet, Styled, xlsx_stream
from hailong.organisation.models import Service, Unit
from hailong.surveys.models import Answer, Channel, QuestionnaireVersion, Response
from hailong.surveys.models.questionnaires import bilingual
from hailong.surveys.schema import ItemSpec, schema_for

FIXED_HEAD = ["id", "submitted_at", "unit", "service", "channel", "dossier_code"]
# A row whose id cell starts with this is a note for people: the import skips it.
NOTE_MARK = "#"
CHUNK = 2000
XLSX_MAX_RESPONSES = 1_048_576 - 2  # Excel's rows per sheet, less the two heading rows
# How an answer of each kind is written: its number, its text, or its option's code.
_VALUE_KINDS = {"scale5", "number"}


@dataclass
class ExportPlan:
    """The columns of an export and what fills them, worked out once before the rows."""

    codes: list[str]
    items: dict[str, ItemSpec]  # the first version's question for each code (labels, legend)
    # item id -> (column, kind): every version's items map to the one column of their code.
    columns: dict[int, tuple[int, str]]
    # option id -> the cell: the number for a scale's options (code "4", value 4), else the code.
    option_cells: dict[int, int | str]
    units: dict[int, tuple[str, str]]  # id -> (code, name)
    services: dict[int, tuple[str, str]]
    last_pk: int  # the newest response when the export began
    total: int
    width: int = field(init=False)

    def __post_init__(self):
        self.width = len(FIXED_HEAD) + len(self.codes) + 1


def export_plan(responses: QuerySet[Response]) -> ExportPlan:
    # Responses stored from now on (with perhaps a new version or unit) wait for the next export.
    last = responses.order_by("-pk").values_list("pk", flat=True).first() or 0
    responses = responses.filter(pk__lte=last).order_by()
    version_ids = set(responses.values_list("version_id", flat=True).distinct())
    codes: list[str] = []
    items: dict[str, ItemSpec] = {}
    columns: dict[int, tuple[int, str]] = {}
    option_cells: dict[int, int | str] = {}
    for version in QuestionnaireVersion.objects.filter(pk__in=version_ids).order_by("pk"):
        for item in schema_for(version).items:
            if item.code not in items:
                items[item.code] = item
                codes.append(item.code)
            kind = "value" if item.kind in _VALUE_KINDS else item.kind
            columns[item.id] = (len(FIXED_HEAD) + codes.index(item.code), kind)
            for option in item.options:
                is_number = option.value is not None and option.code == str(option.value)
                option_cells[option.id] = option.value if is_number else option.code
    unit_ids = responses.values_list("unit_id", flat=True).distinct()
    service_ids = responses.values_list("service_id", flat=True).distinct()
    units = {
        pk: (code, name)
        for pk, code, name in Unit.objects.filter(pk__in=unit_ids)
        .order_by("path")
        .values_list("pk", "code", "name")
    }
    services = {
        pk: (code, name)
        for pk, code, name in Service.objects.filter(pk__in=service_ids)
        .order_by("code")
        .values_list("pk", "code", "name")
    }
    total = responses.count()
    return ExportPlan(codes, items, columns, option_cells, units, services, last, total)


def _fixed_labels() -> list[str]:
    return [
        NOTE_MARK + " " + _("Response id"),
        _("Submitted at (Vietnam time)"),
        _("Unit code"),
        _("Procedure code"),
        _("Channel"),
        _("Dossier code"),
    ]


def export_head(plan: ExportPlan) -> tuple[list[str], list[str]]:
    """The codes row (for the import) and the labels row (for people)."""
    codes = [*FIXED_HEAD, *plan.codes, "comment"]
    labels = [
        *_fixed_labels(),
        *(bilingual(plan.items[c].text_vi, plan.items[c].text_en) for c in plan.codes),
        _("Comment"),
    ]
    return codes, labels


def export_rows(
    plan: ExportPlan,
    responses: QuerySet[Response],
    *,
    times_as_text: bool,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[list]:
    """One list of cells per response (None where empty), CHUNK responses per query pair."""
    width = plan.width
    units = {pk: code for pk, (code, _name) in plan.units.items()}
    services = {pk: code for pk, (code, _name) in plan.services.items()}
    columns, option_cells = plan.columns, plan.option_cells
    base = (
        responses.filter(pk__lte=plan.last_pk)
        .order_by("pk")
        .values_list(
            "pk", "submitted_at", "unit_id", "service_id", "channel", "dossier_code", "comment"
        )
    )
    done, last = 0, 0
    while True:
        chunk = list(base.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        last = chunk[-1][0]
        rows: dict[int, list] = {}
        for pk, submitted_at, unit_id, service_id, channel, dossier_code, comment in chunk:
            local = submitted_at.astimezone(LOCAL_TZ).replace(microsecond=0, tzinfo=None)
            row = [None] * width
            row[0] = f"hl-{pk}"
            row[1] = local.isoformat(" ") if times_as_text else local
            row[2] = units[unit_id]
            row[3] = services.get(service_id)
            row[4] = channel
            row[5] = dossier_code
            row[-1] = comment
            rows[pk] = row
        for response_id, item_id, option_id, value, not_applicable, text in _answers(chunk):
            row = rows.get(response_id)
            if row is None:
                continue  # a response in the id range that the filters leave out
            column, kind = columns[item_id]
            if not_applicable:
                cell = 0
            elif kind == "value":
                cell = value
            elif kind == "text":
                cell = text
            elif option_id is not None:
                cell = option_cells[option_id]
            else:
                cell = value
            if row[column] is None:
                row[column] = cell
            elif kind == "multi":
                row[column] = f"{row[column]};{cell}"
        yield from rows.values()
        done += len(chunk)
        if progress:
            progress(done, plan.total)


# Read as the database gives it (SQLite's 0/1, PostgreSQL's bool): an untyped field has no
# converter, and Django's per-value conversion, millions of times, took a third of the time.
_NOT_APPLICABLE = ExpressionWrapper(F("not_applicable"), output_field=Field())


def _answers(chunk: list[tuple]):
    """The answers of a chunk of responses (pk first in each tuple), by response then in the
    order given. When the chunk fills most of its id range (a whole-scope export), a range
    scan of the response index is cheapest, and the few answers of responses outside the
    filters are skipped by the caller; a sparse chunk (one unit of many) names its ids."""
    first, last = chunk[0][0], chunk[-1][0]
    if last - first < 2 * len(chunk):
        answers = Answer.objects.filter(response_id__gte=first, response_id__lte=last)
    else:
        answers = Answer.objects.filter(response_id__in=[r[0] for r in chunk])
    return (
        answers.annotate(na=_NOT_APPLICABLE)
        .order_by("response_id", "id")
        .values_list("response_id", "item_id", "option_id", "value", "na", "text")
    )


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value):
    # Numbers, negative ones included, are never formulas: only text is guarded.
    return formula_guard(value) if type(value) is str else value


def export_csv_stream(
    responses: QuerySet[Response], *, plan: ExportPlan | None = None, progress=None
) -> Iterator[str]:
    yield "\ufeff"  # a BOM, so Excel opens the Vietnamese text as UTF-8
    plan = plan or export_plan(responses)
    writer = csv.writer(_Echo())
    codes, labels = export_head(plan)
    # Every cell, the column codes too (a question's code is typed by staff, free text).
    yield writer.writerow([_csv_cell(c) for c in codes]) + writer.writerow(
        [_csv_cell(c) for c in labels]
    )
    pending: list[str] = []
    for row in export_rows(plan, responses, times_as_text=True, progress=progress):
        pending.append(writer.writerow([_csv_cell(c) for c in row]))
        if len(pending) == 500:
            yield "".join(pending)
            pending.clear()
    yield "".join(pending)


def _legend_rows(plan: ExportPlan) -> Iterator[list | Styled]:
    yield Styled([_("Column"), _("Meaning"), _("Values")], "bold")
    fixed = dict(zip(FIXED_HEAD, _fixed_labels(), strict=True))
    fixed["id"] = _(
        "Response id in Hài Lòng: keep it, so that importing the file again stores nothing twice"
    )
    for code in FIXED_HEAD:
        values = {
            "submitted_at": _("dd/mm/yyyy hh:mm:ss"),
            "unit": _("see the units below"),
            "service": _("see the procedures below"),
            "channel": "; ".join(f"{value} = {label}" for value, label in Channel.choices),
        }.get(code)
        yield [code, fixed[code], values]
    for code in plan.codes:
        item = plan.items[code]
        yield [code, bilingual(item.text_vi, item.text_en), _item_values(item)]
    yield ["comment", _("Comment"), None]
    yield []
    yield [
        _(
            "The first sheet can be imported again as it is: its first row names the columns, "
            "the second (starting with #) explains them and is skipped."
        )
    ]
    if plan.units:
        yield []
        yield Styled([_("Unit code"), _("Unit")], "bold")
        yield from ([code, name] for code, name in plan.units.values())
    if plan.services:
        yield []
        yield Styled([_("Procedure code"), _("Procedure")], "bold")
        yield from ([code, name] for code, name in plan.services.values())


def _item_values(item: ItemSpec) -> str:
    if item.kind == "number":
        return _("a whole number")
    if item.kind == "text":
        return _("free text")
    parts = [f"{o.code} = {bilingual(o.label_vi, o.label_en)}" for o in item.options]
    if item.allow_na:
        parts.append("0 = " + _("Not applicable"))
    text = "; ".join(parts)
    if item.kind == "multi":
        text += " " + _("(several codes separated by ;)")
    return text


def export_xlsx_stream(
    responses: QuerySet[Response], *, plan: ExportPlan | None = None, progress=None
) -> Iterator[bytes]:
    def sheets():
        nonlocal plan
        plan = plan or export_plan(responses)
        codes, labels = export_head(plan)

        def rows():
            yield Styled(codes, "bold")
            yield Styled(labels, "note")
            yield from export_rows(plan, responses, times_as_text=False, progress=progress)

        widths = [12, 19, 10, 12, 10, 14, *([8] * len(plan.codes)), 40]
        yield Sheet(rows(), widths=widths, frozen_rows=2)
        yield Sheet(_legend_rows(plan), widths=[14, 60, 80], frozen_rows=1)

    return xlsx_stream([_("Responses"), _("Legend")], sheets())


def in_language(stream: Iterator, language: str) -> Iterator:
    """A stream is read after its view has returned: its labels keep the person's language."""
    with translation.override(language):
        yield from stream


def export_filename(file_format: str, moment: datetime) -> str:
    return f"phieu-tra-loi-{moment.astimezone(LOCAL_TZ):%Y%m%d-%H%M}.{file_format}"
