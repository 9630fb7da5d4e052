"""Imports of survey results from files as background jobs: check, then (on confirmation)
import, on the path every table import takes (hailong.core.imports). The file stays in the
database between the two, so any worker on any host runs them."""

from __future__ import annotations

from django.db import transaction

from hailong.core.audit import audit_record
from hailong.core.imports import (
    upload_cancel,
    upload_check_run,
    upload_confirm,
    upload_create,
    upload_store_run,
)
from hailong.core.jobs import job_handler
from hailong.core.models import TableUpload
from hailong.organisation.models import Staff
from hailong.surveys.file_import import ResponsesTable
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
    return upload_create(
        ResponseImport,
        data=data,
        filename=filename,
        actor=actor,
        check_kind=CHECK,
        version=version,
        campaign=campaign,
    )


def response_import_confirm(*, upload: ResponseImport, actor: Staff) -> ResponseImport:
    return upload_confirm(upload, run_kind=RUN, actor=actor)


def response_import_cancel(*, upload: ResponseImport, actor: Staff) -> bool:
    """Stop an import that has not finished; False when it had finished already."""
    return upload_cancel(upload, actor=actor, action="response_import.cancel")


def _upload(job) -> ResponseImport:
    return ResponseImport.objects.select_related("version", "campaign", "created_by").get(
        pk=job.payload["import"]
    )


def _importer(upload: ResponseImport) -> ResponsesTable:
    return ResponsesTable(
        actor=upload.created_by, version=upload.version, campaign=upload.campaign, upload=upload
    )


@job_handler(CHECK)
def check_job(job, context):
    upload = _upload(job)
    return upload_check_run(upload, _importer(upload), context)


@job_handler(RUN)
def import_job(job, context):
    upload = _upload(job)
    result = upload_store_run(upload, _importer(upload), context)
    with transaction.atomic():
        ResponseImport.objects.filter(pk=upload.pk, status__in=TableUpload.WORKING).update(
            status=ImportStatus.DONE, imported=result["imported"], duplicates=result["duplicates"]
        )
        audit_record(
            actor=upload.created_by,
            action="response_import.run",
            target=upload,
            after={**result, "file": upload.filename, "sha256": upload.sha256},
        )
    return result
