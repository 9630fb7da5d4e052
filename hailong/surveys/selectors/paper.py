"""Reads of paper forms: serial numbers as printed, the print run a serial belongs to, and how
many of a run have been typed in."""

from __future__ import annotations

from hailong.surveys.models import PaperBatch, QuestionnaireVersion, Response


def format_serial(number: int) -> str:
    return f"{number:06d}"


def paper_batch_for_serial(version: QuestionnaireVersion, serial: str) -> PaperBatch | None:
    """The print run a serial belongs to, or None for a serial never printed (a typo)."""
    if not serial.isdigit():
        return None
    number = int(serial)
    for batch in PaperBatch.objects.filter(version=version, first_serial__lte=number):
        if number <= batch.last_serial:
            return batch
    return None


def paper_batch_progress(batch: PaperBatch) -> int:
    """How many sheets of the run have been entered."""
    serials = [format_serial(n) for n in range(batch.first_serial, batch.last_serial + 1)]
    return Response.objects.filter(version=batch.version, paper_serial__in=serials).count()
