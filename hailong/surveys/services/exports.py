"""Large exports of the response list as background jobs: the file is written by the worker,
kept under MEDIA_ROOT for a few days, and downloaded by the person who asked for it. Small
exports stream straight from the view (export.py holds the format)."""

from __future__ import annotations

import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hailong.core.audit import audit_record
from hailong.core.jobs import job_enqueue, job_handler
from hailong.organisation.models import Staff
from hailong.surveys.files.responses_out import (
    XLSX_MAX_RESPONSES,
    export_csv_stream,
    export_filename,
    export_plan,
    export_xlsx_stream,
)
from hailong.surveys.forms import response_filter_form
from hailong.surveys.models import ExportFormat, ResponseExport

EXPORT = "responses.export"


def export_query(params) -> dict[str, str]:
    """The response list's filters from a query string (not the file format or the page)."""
    return {k: v for k, v in params.items() if k not in ("format", "page") and v}


def responses_for_query(user: Staff, query: dict):
    """The responses the response list shows this person for these filters."""
    return response_filter_form(user, query).responses(user)


@transaction.atomic
def response_export_start(*, query: dict, file_format: str, actor: Staff) -> ResponseExport:
    export = ResponseExport.objects.create(
        file_format=file_format,
        query=query,
        language=translation.get_language() or "vi",
        filename=export_filename(file_format, timezone.now()),
        created_by=actor,
    )
    export.job = job_enqueue(EXPORT, payload={"export": export.pk}, actor=actor)
    export.save(update_fields=["job"])
    audit_record(
        actor=actor,
        action="response.export",
        after={"filters": query, "format": file_format, "background": True},
    )
    return export


def response_exports_purge(*, now=None) -> int:
    """Delete the files older than HAILONG_EXPORT_KEEP_DAYS (they hold citizens' answers)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.HAILONG_EXPORT_KEEP_DAYS)
    old = list(ResponseExport.objects.filter(created_at__lt=cutoff))
    for export in old:
        if export.file:
            export.file.delete(save=False)
        export.delete()
    return len(old)


@job_handler(EXPORT)
def export_job(job, context):
    response_exports_purge()
    export = ResponseExport.objects.select_related("created_by").get(pk=job.payload["export"])
    with translation.override(export.language):
        responses = responses_for_query(export.created_by, export.query)
        plan = export_plan(responses)
        if export.file_format == ExportFormat.XLSX and plan.total > XLSX_MAX_RESPONSES:
            message = _(
                "%(n)s responses do not fit in one Excel sheet (at most %(max)s): export CSV "
                "or narrow the filters."
            ) % {"n": plan.total, "max": XLSX_MAX_RESPONSES}
            ResponseExport.objects.filter(pk=export.pk).update(error=message)
            return {"rows": 0, "error": "too many rows for XLSX"}
        context.progress(0, plan.total)
        stream = export_csv_stream if export.file_format == ExportFormat.CSV else export_xlsx_stream
        with tempfile.TemporaryFile() as handle:
            for piece in stream(responses, plan=plan, progress=context.progress):
                handle.write(piece.encode() if isinstance(piece, str) else piece)
            handle.seek(0)
            export.file.save(export.filename, File(handle), save=False)
    ResponseExport.objects.filter(pk=export.pk).update(file=export.file.name, rows=plan.total)
    return {"rows": plan.total}
