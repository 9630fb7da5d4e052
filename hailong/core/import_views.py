"""The pages of a file import after the upload: watch the check, read the problems, confirm,
watch the import, cancel. One status block for every kind (templates/core/_import_status.html);
the pages never load the stored file (it lives in its own table, `UploadedContent`) and poll
every few seconds only while a job runs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hailong.core.imports import (
    IMPORTERS,
    file_import_cancel,
    file_import_confirm,
)
from hailong.core.jobs import job_progress
from hailong.core.models import FileImport, ImportStatus, JobStatus, TableUpload

POLL_SECONDS = 2


def import_status_context(upload: TableUpload, **extra) -> dict:
    """What the status block needs. A job that ended without finishing its upload (its worker
    died) shows as failed rather than "checking" for ever."""
    state = upload.status
    job = upload.job
    if upload.is_working and job is not None and job.is_finished:
        state = ImportStatus.FAILED
    done, total = job_progress(job) if job and upload.is_working else (0, 0)
    return {
        "upload": upload,
        "state": state,
        "state_label": ImportStatus(state).label,
        "working": state in TableUpload.WORKING,
        "queued": bool(job and job.status == JobStatus.QUEUED),
        "done": done,
        "total": total,
        "percent": min(100, round(100 * done / total)) if total else 0,
        "poll_seconds": POLL_SECONDS,
        **extra,
    }


def render_import_status(request, page_template: str, context: dict):
    """The whole page, or only the status block when htmx polls."""
    template = "core/_import_status.html" if request.headers.get("HX-Request") else page_template
    return render(request, template, context)


def _file_import(request, pk: int) -> FileImport:
    upload = FileImport.objects.select_related("job").filter(pk=pk).first()
    if upload is None or upload.kind not in IMPORTERS:
        raise Http404
    if not IMPORTERS[upload.kind].may_use(request.user):
        raise PermissionDenied
    if not request.user.is_administrator and upload.created_by_id != request.user.pk:
        raise Http404
    return upload


@login_required
@require_GET
def file_import_detail(request, pk: int):
    upload = _file_import(request, pk)
    importer = IMPORTERS[upload.kind]
    context = import_status_context(
        upload,
        importer=importer,
        back_url=reverse(importer.back_url),
        status_url=reverse("file_import_detail", args=[upload.pk]),
        confirm_url=reverse("file_import_confirm", args=[upload.pk]),
        cancel_url=reverse("file_import_cancel", args=[upload.pk]),
        done_message=importer(actor=None).done_message(upload.result or {}),
        done_url=reverse(importer.back_url),
        done_label=_("Back to the list"),
    )
    return render_import_status(request, "core/file_import_detail.html", context)


@login_required
@require_POST
def file_import_confirm_view(request, pk: int):
    upload = file_import_confirm(upload=_file_import(request, pk), actor=request.user)
    if upload.status != ImportStatus.IMPORTING:
        messages.info(request, _("This file is already being imported or has nothing to import."))
    return redirect("file_import_detail", pk=upload.pk)


@login_required
@require_POST
def file_import_cancel_view(request, pk: int):
    if file_import_cancel(upload=_file_import(request, pk), actor=request.user):
        messages.info(request, _("The import is being cancelled: nothing of this file will stay."))
    else:
        messages.error(request, _("This import has already finished and cannot be cancelled."))
    return redirect("file_import_detail", pk=pk)
