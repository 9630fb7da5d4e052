"""Background exports of the response list: start one, watch it, download the file. Each
person sees only the exports they asked for."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hailong.core.jobs import job_progress
from hailong.core.models import JobStatus
from hailong.organisation.permissions import role_required
from hailong.surveys.files.responses_out import XLSX_MAX_RESPONSES
from hailong.surveys.forms import response_filter_form
from hailong.surveys.models import ExportFormat, ResponseExport
from hailong.surveys.permissions import ALL_STAFF
from hailong.surveys.services.exports import (
    export_query,
    response_export_start,
    responses_for_query,
)


def _exports_of(user):
    return ResponseExport.objects.filter(created_by=user).select_related("job")


def _export(request, pk: int) -> ResponseExport:
    export = _exports_of(request.user).filter(pk=pk).first()
    if export is None:
        raise Http404
    return export


@role_required(ALL_STAFF)
@require_http_methods(["GET", "POST"])
def export_list(request):
    """The person's recent exports; a POST (from the export page) starts one with the list's
    filters, given in the query string."""
    if request.method == "POST":
        file_format = request.POST.get("file_format")
        if file_format not in ExportFormat.values:
            file_format = ExportFormat.CSV
        query = export_query(request.GET)
        if response_filter_form(request.user, query).rejected:
            return redirect(f"{reverse('surveys:response_list')}?{urlencode(query)}")
        count = responses_for_query(request.user, query).count()
        if file_format == ExportFormat.XLSX and count > XLSX_MAX_RESPONSES:
            messages.error(request, _("Too many responses for one Excel sheet: export CSV."))
            return redirect("surveys:response_list")
        export = response_export_start(query=query, file_format=file_format, actor=request.user)
        return redirect("surveys:export_detail", pk=export.pk)
    return render(
        request,
        "surveys/export_list.html",
        {"exports": _exports_of(request.user)[:20], "keep_days": settings.HAILONG_EXPORT_KEEP_DAYS},
    )


@role_required(ALL_STAFF)
@require_GET
def export_detail(request, pk: int):
    export = _export(request, pk)
    status = export.job.status if export.job else JobStatus.FAILED
    done, total = job_progress(export.job) if export.job else (0, 0)
    context = {
        "export": export,
        "done": done,
        "total": total,
        "percent": min(100, round(100 * done / total)) if total else 0,
        "working": status in (JobStatus.QUEUED, JobStatus.RUNNING),
        "ready": status == JobStatus.DONE and bool(export.file),
        "keep_days": settings.HAILONG_EXPORT_KEEP_DAYS,
    }
    template = (
        "surveys/_export_status.html"
        if request.headers.get("HX-Request")
        else "surveys/export_detail.html"
    )
    return render(request, template, context)


@role_required(ALL_STAFF)
@require_GET
def export_download(request, pk: int):
    export = _export(request, pk)
    if not export.file:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type=(
            "text/csv; charset=utf-8"
            if export.file_format == ExportFormat.CSV
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
    )
