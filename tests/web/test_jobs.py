"""The job runners: progress, cancel, retry and "nothing half-written", the same in the web process and on RQ.

Every test taking `runner` runs twice: with the in-process runner, and with REDIS_URL set, through a real
redis-server and RQ (an in-process burst worker takes the job at once). Real worker processes, killed
mid-solve, are in test_jobs_workers.py.
"""

import datetime as dt
import os
import socket
import time

import pytest
from sqlalchemy import func, select, update

from wfm import jobs
from wfm.clock import utcnow
from wfm.extensions import db
from wfm.jobs.liveness import WORKER_STOPPED
from wfm.models import Job, JobStatus, Skill

pytestmark = pytest.mark.postgres  # the dialect matters here: run on PostgreSQL as well

SEEN_PROGRESS = []
RAN = []


@jobs.job_function("test-add-skills")
def add_skills(ctx, names: list[str], fail_after: int | None = None):
    RAN.append(ctx.job_id)
    ctx.progress(0.5, "half way")  # jobs report while they compute and write last
    with db.engine.connect() as connection:
        SEEN_PROGRESS.append(connection.scalar(select(Job.progress).where(Job.id == ctx.job_id)))
    for position, name in enumerate(names):
        db.session.add(Skill(name=name))
        db.session.flush()
        if fail_after is not None and position + 1 == fail_after:
            raise RuntimeError("disk full")
    ctx.progress(0.9, "written")  # after writing: recorded where the database allows, never blocking
    return {"message": f"added {len(names)}", "url": "/admin/skills/"}


def _set_own_row(job_id: int, **values) -> None:
    """What another process does to the row meanwhile (a user's cancel, a reaper's verdict)."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA busy_timeout=100")
        connection.execute(update(Job).where(Job.id == job_id).values(**values))
        connection.commit()


@jobs.job_function("test-cancelled-while-running")
def cancelled_while_running(ctx):
    _set_own_row(ctx.job_id, cancel_requested=True)  # the user presses Cancel now (SQLite: before our writes)
    db.session.add(Skill(name="never kept"))
    db.session.flush()
    ctx.progress(0.5, "next report")  # raises JobCancelled
    return {"message": "should not get here"}


@jobs.job_function("test-given-up-while-running")
def given_up_while_running(ctx):
    _set_own_row(ctx.job_id, status=JobStatus.FAILED.value, message=WORKER_STOPPED)  # declared dead meanwhile
    db.session.add(Skill(name="late work"))
    db.session.flush()
    return {"message": "finished late"}


@jobs.job_function("test-flaky")
def flaky(ctx):
    """Fails on its first attempt, succeeds on the next (a worker that ran out of memory, say)."""
    db.session.add(Skill(name=f"attempt {ctx.attempt}"))
    db.session.flush()
    if ctx.attempt == 1:
        raise RuntimeError("out of memory")
    return {"message": f"done on attempt {ctx.attempt}", "url": "/admin/skills/"}


@jobs.job_function("test-quiet-solve")
def quiet_solve(ctx):
    """Computes without reporting progress (a long solve): the heartbeat thread keeps the row alive."""
    with db.engine.connect() as connection:
        started = connection.scalar(select(Job.started_at).where(Job.id == ctx.job_id))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            beat = connection.scalar(select(Job.heartbeat_at).where(Job.id == ctx.job_id))
            connection.rollback()
            if beat > started:
                return {"message": "heartbeat seen", "beat_after_start": True}
            time.sleep(0.02)
    return {"message": "no heartbeat", "beat_after_start": False}


@pytest.fixture(params=["in-process", "rq"])
def runner(request, app_context):
    """The runner under test; on "rq" jobs go through the real redis-server."""
    if request.param == "rq":
        request.getfixturevalue("jobs_on_redis")
        yield request.param
        return
    before = app_context.config.get("REDIS_URL")
    app_context.config["REDIS_URL"] = None
    yield request.param
    app_context.config.update(REDIS_URL=before)


def _submit(kind, params):
    job = jobs.submit(kind, kind, params, None)
    db.session.commit()
    jobs.start(job)
    db.session.expire_all()
    return db.session.get(Job, job.id)


def _skills() -> list[str]:
    return sorted(db.session.scalars(select(Skill.name)))


def test_a_job_commits_its_work_and_reports(runner):
    job = _submit("test-add-skills", {"names": ["a", "b"]})
    assert job.status == JobStatus.DONE, job.error
    assert job.progress == 1.0
    assert job.message == "added 2"
    assert job.attempts == 1
    assert job.result["url"] == "/admin/skills/"
    assert _skills() == ["a", "b"]
    assert job.worker
    assert job.heartbeat_at is not None
    assert SEEN_PROGRESS[-1] == 0.5  # progress is visible to others while the job runs
    assert (job.queue_job_id is not None) == (runner == "rq")


def test_a_failing_job_leaves_nothing_written(runner):
    job = _submit("test-add-skills", {"names": ["a", "b", "c"], "fail_after": 2})
    assert job.status == JobStatus.FAILED
    assert "disk full" in job.error
    assert _skills() == []


def test_a_running_job_cancelled_stops_at_its_next_report_and_saves_nothing(runner):
    job = _submit("test-cancelled-while-running", {})
    assert job.status == JobStatus.CANCELLED
    assert job.message == "Cancelled; nothing was saved."
    assert _skills() == []


def test_a_job_given_up_while_running_keeps_nothing_of_its_late_work(runner):
    job = _submit("test-given-up-while-running", {})
    assert job.status == JobStatus.FAILED
    assert job.message == WORKER_STOPPED
    assert _skills() == []


def test_the_heartbeat_moves_while_a_job_computes_without_reporting(runner, app_context):
    app_context.config["JOBS_HEARTBEAT_SECONDS"] = 0.05
    try:
        job = _submit("test-quiet-solve", {})
    finally:
        app_context.config["JOBS_HEARTBEAT_SECONDS"] = 5.0
    assert job.status == JobStatus.DONE
    assert job.result["beat_after_start"] is True


def test_a_queued_job_cancelled_before_it_starts_never_runs(runner, demo, browser, app_context):
    from wfm.jobs.rq_queue import queue_for

    browser.login("scheduler")
    RAN.clear()
    app_context.config["JOBS_INLINE"] = False  # queued, not yet taken by any worker
    try:
        job = jobs.submit("test-add-skills", "queued", {"names": ["never"]}, None)
        db.session.commit()
        if runner == "rq":
            jobs.start(job)
            assert queue_for(app_context).count == 1
        response = browser.post(f"/jobs/{job.id}/cancel")
        assert response.status_code == 302
        db.session.expire_all()
        job = db.session.get(Job, job.id)
        assert job.status == JobStatus.CANCELLED
        assert job.message == "Cancelled before it started."
        if runner == "rq":
            assert queue_for(app_context).count == 0  # dropped from the queue too
    finally:
        app_context.config["JOBS_INLINE"] = True
    from wfm.jobs.lifecycle import run

    run(app_context, job.id)  # a worker taking it anyway (it was already handed out) does nothing
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == JobStatus.CANCELLED
    assert job.id not in RAN
    assert "never" not in _skills()


def test_a_failed_job_is_retried_from_its_page_and_counts_attempts(runner, demo, browser):
    job = _submit("test-flaky", {})
    assert job.status == JobStatus.FAILED
    assert "out of memory" in job.error
    assert job.attempts == 1
    browser.login("scheduler")
    page = browser.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert f'action="/jobs/{job.id}/retry"' in page
    assert "attempt 1" in page
    response = browser.post(f"/jobs/{job.id}/retry")
    assert response.status_code == 302
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.status == JobStatus.DONE, job.error
    assert job.attempts == 2
    assert job.message == "done on attempt 2"
    assert job.error is None
    assert [s for s in _skills() if s.startswith("attempt")] == ["attempt 2"]  # the failed one left nothing
    # A finished job is not run again.
    browser.post(f"/jobs/{job.id}/retry")
    db.session.expire_all()
    assert db.session.get(Job, job.id).attempts == 2
    assert [s for s in _skills() if s.startswith("attempt")] == ["attempt 2"]


def test_retry_is_for_planners_only(demo, browser, app_context):
    job = _submit("test-flaky", {})
    browser.login("agent")
    assert browser.post(f"/jobs/{job.id}/retry").status_code == 403
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == JobStatus.FAILED


def _running_row(worker: str, heartbeat_age: float) -> Job:
    job = jobs.submit("test-add-skills", "abandoned", {"names": ["x"]}, None)
    beat = utcnow() - dt.timedelta(seconds=heartbeat_age)
    job.status, job.attempts, job.worker, job.started_at, job.heartbeat_at = (
        JobStatus.RUNNING,
        1,
        worker,
        beat,
        beat,
    )
    db.session.commit()
    return job


def test_a_running_job_without_a_heartbeat_is_marked_failed_and_can_be_retried(
    runner, demo, browser, db_session
):
    if db_session.get_bind().dialect.name == "sqlite":
        pytest.skip("SQLite: a writing job holds the one write lock, so its heartbeat is not used (pids are)")
    stale = _running_row("another-machine:4242", heartbeat_age=3600)
    fresh = _running_row("another-machine:4243", heartbeat_age=1)
    browser.login("scheduler")
    state = browser.get(f"/jobs/{stale.id}.json").get_json()
    assert state["status"] == "failed"
    assert state["message"] == WORKER_STOPPED
    assert state["retryable"]
    assert "No sign of life" in state["error"]
    assert browser.get(f"/jobs/{fresh.id}.json").get_json()["status"] == "running"
    browser.post(f"/jobs/{stale.id}/retry")
    db.session.expire_all()
    job = db.session.get(Job, stale.id)
    assert job.status == JobStatus.DONE
    assert job.attempts == 2
    assert _skills().count("x") == 1


def test_a_job_of_a_dead_process_on_this_machine_fails_at_once(demo, browser):
    dead = _dead_pid()
    job = _running_row(f"{socket.gethostname()}:{dead}", heartbeat_age=1)  # its heartbeat is still fresh
    mine = _running_row(f"{socket.gethostname()}:{os.getpid()}", heartbeat_age=1)
    browser.login("scheduler")
    state = browser.get(f"/jobs/{job.id}.json").get_json()
    assert state["status"] == "failed"
    assert "worker process is gone" in state["error"]
    assert browser.get(f"/jobs/{mine.id}.json").get_json()["status"] == "running"


def _dead_pid() -> int:
    import subprocess

    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_the_thread_runner_runs_jobs_outside_the_request(app):
    with app.app_context():
        app.config["JOBS_INLINE"], before = False, app.config.get("REDIS_URL")
        app.config["REDIS_URL"] = None
        try:
            job = _submit("test-add-skills", {"names": ["threaded"]})
            deadline = time.time() + 30
            while time.time() < deadline:
                db.session.expire_all()
                job = db.session.get(Job, job.id)
                if job.status.finished:
                    break
                time.sleep(0.05)
            assert job.status == JobStatus.DONE
            assert db.session.scalar(select(func.count()).select_from(Skill)) == 1
        finally:
            app.config["JOBS_INLINE"], app.config["REDIS_URL"] = True, before
            db.session.remove()
            from tests.conftest import _empty_all_tables

            _empty_all_tables()


def test_a_job_whose_queue_is_unreachable_fails_with_a_clear_message(app_context):
    closed = _closed_port()
    app_context.config["REDIS_URL"], before = (
        f"redis://127.0.0.1:{closed}/0",
        app_context.config.get("REDIS_URL"),
    )
    try:
        job = _submit("test-add-skills", {"names": ["x"]})
    finally:
        app_context.config["REDIS_URL"] = before
    assert job.status == JobStatus.FAILED
    assert job.message == "Could not reach the job queue."
    assert "retry" in job.error
    assert _skills() == []


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unknown_job_kind_is_refused(app_context):
    with pytest.raises(ValueError, match="kind"):
        jobs.submit("no-such-kind", "x", {}, None)


def test_job_page_and_state_are_for_planners(runner, demo, browser, db_session):
    job = _submit("test-add-skills", {"names": ["x"]})
    browser.login("agent")
    assert browser.get(f"/jobs/{job.id}.json").status_code == 403
    browser.post("/logout")
    browser.login("scheduler")
    state = browser.get(f"/jobs/{job.id}.json").get_json()
    assert state["status"] == "done"
    assert state["url"] == "/admin/skills/"
    assert state["attempts"] == 1
