"""Responses out to CSV/XLSX in the import format (export → import is a round trip).

Rows are written as they are read, a few thousand at a time, so a million responses do not
need a million rows of memory: CSV streams straight to the client; XLSX goes through
openpyxl's write-only mode into a temporary file that is then streamed."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator

from django.db.models import QuerySet

from hailong.core.periods import LOCAL_TZ
from hailong.surveys.models import Answer, Item, Response

FIXED_HEAD = ["id", "submitted_at", "unit", "service", "channel", "dossier_code"]
CHUNK = 2000


def export_columns(responses: QuerySet[Response]) -> list[str]:
    """Question codes of the versions in the export, in questionnaire order (union)."""
    version_ids = list(responses.order_by().values_list("version_id", flat=True).distinct())
    codes: list[str] = []
    for code in (
        Item.objects.filter(version_id__in=version_ids)
        .order_by("version_id", "order")
        .values_list("code", flat=True)
    ):
        if code not in codes:
            codes.append(code)
    return codes


def _cell(kind: str, answers: list[Answer]) -> str:
    if not answers:
        return ""
    if answers[0].not_applicable:
        return "0"
    if kind == "text":
        return answers[0].text
    if kind in ("scale5", "number"):
        return str(answers[0].value)
    return ";".join(a.option.code if a.option else str(a.value) for a in answers)


def export_rows(responses: QuerySet[Response]) -> Iterator[list[str]]:
    """The header, then one row per response, read in chunks of CHUNK responses."""
    codes = export_columns(responses)
    yield [*FIXED_HEAD, *codes, "comment"]
    responses = responses.select_related("unit", "service").order_by("pk")
    last = 0
    while True:
        chunk = list(responses.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        last = chunk[-1].pk
        by_response: dict[int, dict[str, list[Answer]]] = {}
        kinds: dict[str, str] = {}
        for answer in (
            Answer.objects.filter(response__in=chunk)
            .select_related("item", "option")
            .order_by("id")
        ):
            by_response.setdefault(answer.response_id, {}).setdefault(answer.item.code, []).append(
                answer
            )
            kinds[answer.item.code] = answer.item.kind
        for response in chunk:
            answers = by_response.get(response.pk, {})
            yield [
                f"hl-{response.pk}",
                response.submitted_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S"),
                response.unit.code,
                response.service.code if response.service else "",
                response.channel,
                response.dossier_code,
                *[_cell(kinds.get(code, ""), answers.get(code, [])) for code in codes],
                response.comment,
            ]


class _Echo:
    def write(self, value):
        return value


def export_csv_stream(responses: QuerySet[Response]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so Excel opens the Vietnamese text as UTF-8
    for row in export_rows(responses):
        yield writer.writerow(row)


def export_xlsx_file(responses: QuerySet[Response]):
    """A temporary file holding the workbook (deleted when closed)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("responses")
    for row in export_rows(responses):
        sheet.append(row)
    # Closed (and so deleted) by the FileResponse once it has been sent.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle
