"""Imports of survey results from files as background jobs: check, then (on confirmation)
import. The file stays in the database between the two, so any worker on any host runs them."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import translation

from hailong.core.audit import audit_record
from hailong.core.jobs import JobCancelled, job_cancel, job_enqueue, job_handler
from hailong.organisation.models import Staff
from hailong.surveys.file_import import import_check, import_run
from hailong.surveys.models import Campaign, ImportStatus, QuestionnaireVersion, ResponseImport

CHECK, RUN = "responses.check", "responses.import"


@transaction.atomic
def response_import_start(
    *,
    data: bytes,
    filename: str,
    version: QuestionnaireVersion,
    campaign: Campaign | None,
    actor: Staff,
) -> ResponseImport:
    upload = ResponseImport.objects.create(
        version=version,
        campaign=campaign,
        filename=filename[:255],
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        created_by=actor,
        language=translation.get_language() or "vi",
    )
    upload.job = job_enqueue(CHECK, payload={"import": upload.pk}, actor=actor)
    upload.save(update_fields=["job"])
    return upload


@transaction.atomic
def response_import_confirm(*, upload: ResponseImport, actor: Staff) -> ResponseImport:
    upload = ResponseImport.objects.select_for_update().get(pk=upload.pk)
    if upload.status != ImportStatus.CHECKED or not upload.good_rows:
        return upload  # already confirmed (a double click) or nothing to import
    upload.status = ImportStatus.IMPORTING
    upload.job = job_enqueue(RUN, payload={"import": upload.pk}, actor=actor)
    upload.save(update_fields=["status", "job"])
    return upload


def response_import_cancel(*, upload: ResponseImport, actor: Staff) -> bool:
    """Stop an import that has not finished; False when it had finished already."""
    upload.refresh_from_db()
    if upload.status not in (ImportStatus.CHECKING, ImportStatus.CHECKED, ImportStatus.IMPORTING):
        return False
    if upload.job:
        job_cancel(upload.job)
    if upload.status in (ImportStatus.CHECKING, ImportStatus.CHECKED):
        ResponseImport.objects.filter(pk=upload.pk).update(status=ImportStatus.CANCELLED)
    audit_record(actor=actor, action="response_import.cancel", target=upload)
    return True


def _check(upload: ResponseImport, context):
    return import_check(
        data=bytes(upload.content),
        filename=upload.filename,
        version=upload.version,
        campaign=upload.campaign,
        actor=upload.created_by,
        progress=context.progress,
    )


@job_handler(CHECK)
def check_job(job, context):
    upload = ResponseImport.objects.select_related("version", "campaign", "created_by").get(
        pk=job.payload["import"]
    )
    with translation.override(upload.language):
        report = _check(upload, context)
    ResponseImport.objects.filter(pk=upload.pk, status=ImportStatus.CHECKING).update(
        status=ImportStatus.FAILED if report.file_error else ImportStatus.CHECKED,
        total_rows=report.total,
        good_rows=len(report.rows),
        file_error=report.file_error,
        errors=[list(error) for error in report.errors],
    )
    return {"good": len(report.rows), "bad": len(report.errors)}


@job_handler(RUN)
def import_job(job, context):
    upload = ResponseImport.objects.select_related("version", "campaign", "created_by").get(
        pk=job.payload["import"]
    )
    # One bar for both passes: reading the file again is the first half, storing the second.
    with translation.override(upload.language):
        report = import_check(
            data=bytes(upload.content),
            filename=upload.filename,
            version=upload.version,
            campaign=upload.campaign,
            actor=upload.created_by,
            progress=lambda done, total: context.progress(done, 2 * total),
        )
    total = len(report.rows)
    try:
        result = import_run(
            report,
            actor=upload.created_by,
            progress=lambda done, _total: context.progress(total + done, 2 * total),
            check_cancelled=context.check_cancelled,
            source=upload,
        )
    except JobCancelled:
        ResponseImport.objects.filter(pk=upload.pk).update(status=ImportStatus.CANCELLED)
        raise
    except Exception:
        ResponseImport.objects.filter(pk=upload.pk).update(status=ImportStatus.FAILED)
        raise
    with transaction.atomic():
        ResponseImport.objects.filter(pk=upload.pk).update(
            status=ImportStatus.DONE, imported=result.imported, duplicates=result.duplicates
        )
        audit_record(
            actor=upload.created_by,
            action="response_import.run",
            target=upload,
            after={
                "imported": result.imported,
                "duplicates": result.duplicates,
                "file": upload.filename,
                "sha256": upload.sha256,
            },
        )
    return {"imported": result.imported, "duplicates": result.duplicates}
