from datetime import timedelta

import pytest
from django.utils import timezone

from hailong.core.jobs import (
    HANDLERS,
    JobCancelled,
    job_cancel,
    job_enqueue,
    job_handler,
    run_pending_jobs,
)
from hailong.core.models import Job


@pytest.fixture(autouse=True)
def handlers():
    saved = dict(HANDLERS)

    @job_handler("test.count")
    def count(job, context):
        total = job.payload["n"]
        for done in range(1, total + 1):
            context.check_cancelled()
            context.progress(done, total)
        return {"counted": total}

    @job_handler("test.fail")
    def fail(job, context):
        raise RuntimeError("boom")

    yield
    HANDLERS.clear()
    HANDLERS.update(saved)


@pytest.mark.django_db
def test_a_queued_job_runs_and_reports_progress():
    job = job_enqueue("test.count", payload={"n": 3})
    assert run_pending_jobs() == 1
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent, job.result) == (
        "done",
        3,
        3,
        100,
        {"counted": 3},
    )


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_worker_goes_on():
    failing = job_enqueue("test.fail", payload={})
    fine = job_enqueue("test.count", payload={"n": 1})
    assert run_pending_jobs() == 2
    failing.refresh_from_db()
    fine.refresh_from_db()
    assert failing.status == "failed" and "boom" in failing.error
    assert fine.status == "done"


@pytest.mark.django_db
def test_cancelling_a_queued_job_stops_it_before_it_runs():
    job = job_enqueue("test.count", payload={"n": 2})
    job_cancel(job)
    assert run_pending_jobs() == 0
    job.refresh_from_db()
    assert job.status == "cancelled"


@pytest.mark.django_db
def test_a_running_job_sees_its_cancellation():
    @job_handler("test.cancel_midway")
    def midway(job, context):
        context.progress(1, 10)
        job_cancel(job)  # as if someone pressed "cancel" on the page now
        context.check_cancelled()
        raise AssertionError("should have stopped")

    job = job_enqueue("test.cancel_midway", payload={})
    run_pending_jobs()
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert isinstance(JobCancelled(), Exception)


@pytest.mark.django_db
def test_a_job_left_running_by_a_dead_worker_is_marked_failed():
    job = job_enqueue("test.count", payload={"n": 1})
    Job.objects.filter(pk=job.pk).update(
        status="running", heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    run_pending_jobs()
    job.refresh_from_db()
    assert job.status == "failed"


def test_unknown_kinds_are_refused():
    with pytest.raises(ValueError):
        job_enqueue("test.nothing", payload={})
