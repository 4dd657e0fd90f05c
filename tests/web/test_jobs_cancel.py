"""Cancelling a running solve: the job stops within seconds, not at its time limit, ends as cancelled and
saves nothing. The job runs in a thread of this process (the in-process runner), as without Redis; the
test presses Cancel while the engine is solving."""

import datetime as dt
import multiprocessing
import time

import pytest
from sqlalchemy import func, select

from tests.web.conftest import FIRST, HISTORY_DAYS, plan_via_pages
from wfm.extensions import db
from wfm.models import Job, JobStatus, Roster, RosterAssignment, ShiftPlan
from wfm.rosters.problem import rules_for

START = FIRST + dt.timedelta(days=HISTORY_DAYS)
DAYS = 28  # four weeks of the demo's sixty agents: no solve proves its roster optimal in minutes
LONG = 120  # seconds: the solves' time limit, far beyond the bound the tests allow a cancel
PROMPT = 30  # seconds: generous for "within a few seconds" on a loaded machine


@pytest.fixture
def background_jobs(app_context):
    """Jobs run in the web process (no Redis); the test sets JOBS_INLINE False when the job to cancel comes,
    so that it runs in the process's thread pool while the test presses Cancel."""
    before = {key: app_context.config.get(key) for key in ("JOBS_INLINE", "REDIS_URL")}
    app_context.config.update(REDIS_URL=None)
    yield app_context
    app_context.config.update(before)


def _plan(browser, db_session, queue) -> ShiftPlan:
    plan = plan_via_pages(browser, queue, START, DAYS, method="slot_average")
    rules_for(
        plan.site
    ).hours_below_contract = 40  # the test queue is small: no agent can reach a contract on it
    db_session.commit()
    return plan


def _job(job_id: int) -> Job:
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    db.session.rollback()
    return job


def _wait_for(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"gave up waiting for {what}")


def _helpers() -> list:
    return [p for p in multiprocessing.active_children() if p.name == "roster-search-helper"]


def test_a_cancelled_roster_job_stops_within_seconds_and_saves_nothing(
    history, browser, db_session, background_jobs
):
    plan = _plan(browser, db_session, history)  # made in the request, before the runner changes
    assert plan is not None
    assert plan.solver_status in ("optimal", "feasible")
    background_jobs.config["JOBS_INLINE"] = False
    response = browser.post(
        "/rosters/",
        {
            "plan_id": plan.id,
            "name": "Cancelled week",
            "start": START.isoformat(),
            "days": DAYS,
            "time_limit": LONG,
        },
    )
    assert response.status_code == 302
    assert "/jobs/" in response.headers["Location"]
    job_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    # "Rostering N agents over 7 days": the engine has the problem and is solving.
    job = _wait_for(
        lambda: ((job := _job(job_id)).status.finished or job.progress >= 0.1) and job,
        60,
        "the roster job to start solving",
    )
    assert job.status == JobStatus.RUNNING, (job.status, job.message, job.error)
    assert browser.post(f"/jobs/{job_id}/cancel").status_code == 302
    asked = time.monotonic()
    job = _wait_for(lambda: (job := _job(job_id)).status.finished and job, LONG - 10, "the job to end")
    took = time.monotonic() - asked
    assert job.status == JobStatus.CANCELLED, (job.status, job.message, job.error)
    assert job.message == "Cancelled; nothing was saved."
    assert took < PROMPT, f"the cancel took {took:.0f} s"
    assert db.session.scalar(select(func.count()).select_from(Roster)) == 0
    assert db.session.scalar(select(func.count()).select_from(RosterAssignment)) == 0
    assert _wait_for(lambda: not _helpers(), 10, "the helper process to end") is True
