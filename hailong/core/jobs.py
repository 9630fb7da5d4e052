"""A small database-backed job queue.

`job_enqueue` stores a job; `manage.py run_worker` (started by `make run`, or by systemd in
production) claims jobs one at a time and runs the handler registered for their kind. A
handler reports progress and checks for cancellation through `JobContext`; each report is its
own short transaction, so a page can show a progress bar while the work goes on.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from datetime import timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from hailong.core.models import Job, JobStatus

log = logging.getLogger(__name__)
HANDLERS: dict[str, Callable] = {}
# A running job whose worker has not reported for this long is taken to have died with it.
STALE_AFTER = timedelta(minutes=10)


class JobCancelled(Exception):
    """Raised inside a handler when the job's cancellation was asked for."""


def job_handler(kind: str):
    def register(function):
        HANDLERS[kind] = function
        return function

    return register


def _progress_key(job_id: int) -> str:
    return f"hailong:job:{job_id}:progress"


def _cancel_key(job_id: int) -> str:
    return f"hailong:job:{job_id}:cancel"


class JobContext:
    """What a handler uses to report progress and notice cancellation.

    A handler may run inside one long transaction (an import must land whole or not at all);
    what it writes to the database there is invisible to others until the end, and on SQLite
    another connection could not write meanwhile. So progress and the cancel flag also travel
    through the cache, which lives outside that transaction (a file cache in the embedded
    default, a cache table on its own connection in production; see settings)."""

    def __init__(self, job: Job):
        self.job = job

    def progress(self, done: int, total: int | None = None) -> None:
        self.job.done = done
        if total is not None:
            self.job.total = total
        cache.set(_progress_key(self.job.pk), (self.job.done, self.job.total), 24 * 3600)
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job.pk).update(
                done=self.job.done, total=self.job.total, heartbeat_at=timezone.now()
            )

    def check_cancelled(self) -> None:
        if cache.get(_cancel_key(self.job.pk)):
            raise JobCancelled
        if (
            not connection.in_atomic_block
            and Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists()
        ):
            raise JobCancelled


def job_progress(job: Job) -> tuple[int, int]:
    """(done, total) as the handler last reported it."""
    reported = cache.get(_progress_key(job.pk))
    return tuple(reported) if reported else (job.done, job.total)


def job_enqueue(kind: str, *, payload: dict, actor=None) -> Job:
    if kind not in HANDLERS:
        raise ValueError(f"no handler for job kind {kind!r}")
    return Job.objects.create(kind=kind, payload=payload, created_by=actor)


def job_cancel(job: Job) -> None:
    """Ask for a job to stop. A queued job is cancelled at once; a running one at its next
    check, its handler undoing what it had done."""
    cache.set(_cancel_key(job.pk), True, 24 * 3600)
    Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED, cancel_requested=True, finished_at=timezone.now()
    )
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(cancel_requested=True)


def _claim() -> Job | None:
    """Take the oldest queued job. The conditional UPDATE makes the claim safe when several
    workers race for the same job, on SQLite and PostgreSQL alike."""
    stale = timezone.now() - STALE_AFTER
    Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=stale).update(
        status=JobStatus.FAILED,
        error="The worker stopped while running this job.",
        finished_at=timezone.now(),
    )
    for job in Job.objects.filter(status=JobStatus.QUEUED).order_by("created_at", "pk")[:5]:
        now = timezone.now()
        claimed = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=now, heartbeat_at=now
        )
        if claimed:
            job.refresh_from_db()
            return job
    return None


def run_job(job: Job) -> Job:
    handler = HANDLERS[job.kind]
    context = JobContext(job)
    try:
        result = handler(job, context)
    except JobCancelled:
        status, result, error = JobStatus.CANCELLED, None, ""
    except Exception:  # a failed job must not take the worker down with it
        log.exception("job %s failed", job.pk)
        status, result, error = JobStatus.FAILED, None, traceback.format_exc(limit=5)
    else:
        status, error = JobStatus.DONE, ""
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            status=status,
            result=result,
            error=error,
            finished_at=timezone.now(),
            done=context.job.done,
            total=context.job.total,
        )
    job.refresh_from_db()
    return job


def run_pending_jobs(limit: int | None = None) -> int:
    """Run queued jobs until none is left (or `limit` were run); the worker's loop and tests."""
    count = 0
    while limit is None or count < limit:
        job = _claim()
        if job is None:
            break
        run_job(job)
        count += 1
    return count
