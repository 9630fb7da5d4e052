"""Writes of paper forms: reserving the serial numbers of a print run."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from hailong.core.audit import audit_record
from hailong.organisation.models import Staff, Unit
from hailong.surveys.models import Campaign, PaperBatch, QuestionnaireVersion

# Sheets in one print run: one PDF, one request.
MAX_BATCH = 1000


@transaction.atomic
def paper_batch_allocate(
    *,
    version: QuestionnaireVersion,
    count: int,
    actor: Staff,
    campaign: Campaign | None = None,
    unit: Unit | None = None,
) -> PaperBatch:
    """Reserve `count` consecutive serial numbers for a print run of this version."""
    if not 1 <= count <= MAX_BATCH:
        raise ValueError(f"count must be between 1 and {MAX_BATCH}")
    # Lock the version row: two print runs at once must not get the same numbers.
    QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    last = PaperBatch.objects.filter(version=version).aggregate(last=Max("first_serial"))["last"]
    first = 1
    if last is not None:
        previous = PaperBatch.objects.filter(version=version, first_serial=last).first()
        first = previous.last_serial + 1
    batch = PaperBatch.objects.create(
        version=version,
        campaign=campaign,
        unit=unit,
        first_serial=first,
        count=count,
        printed_by=actor,
    )
    audit_record(
        actor=actor,
        action="paper_batch.create",
        target=batch,
        after={"first": first, "count": count, "version": version.pk},
    )
    return batch
