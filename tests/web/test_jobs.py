"""The job runner: progress, a failure or a cancel leaves nothing written, the thread runner finishes."""

import time

import pytest
from sqlalchemy import func, select

from wfm import jobs
from wfm.extensions import db
from wfm.models import Job, JobStatus, Skill

SEEN_PROGRESS = []


@jobs.job_function("test-add-skills")
def add_skills(ctx, names: list[str], fail_after: int | None = None):
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


@jobs.job_function("test-wait-for-cancel")
def wait_for_cancel(ctx):
    db.session.add(Skill(name="never kept"))
    db.session.flush()
    for _ in range(200):
        ctx.progress(0.1, "waiting")
        time.sleep(0.02)
    return {}


def _submit(kind, params):
    job = jobs.submit(kind, kind, params, None)
    db.session.commit()
    jobs.start(job)
    db.session.expire_all()
    return db.session.get(Job, job.id)


def _skills() -> int:
    return db.session.scalar(select(func.count()).select_from(Skill))


def test_a_job_commits_its_work_and_reports(app_context):
    job = _submit("test-add-skills", {"names": ["a", "b"]})
    assert job.status == JobStatus.DONE, job.error
    assert job.progress == 1.0 and job.message == "added 2"
    assert job.result["url"] == "/admin/skills/" and _skills() == 2
    assert SEEN_PROGRESS[-1] == 0.5  # progress is visible to others while the job runs


def test_a_failing_job_leaves_nothing_written(app_context):
    job = _submit("test-add-skills", {"names": ["a", "b", "c"], "fail_after": 2})
    assert job.status == JobStatus.FAILED and "disk full" in job.error
    assert _skills() == 0


def test_a_cancelled_job_leaves_nothing_written(app_context):
    job = jobs.submit("test-wait-for-cancel", "wait", {}, None)
    job.cancel_requested = True
    db.session.commit()
    jobs.start(job)
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == JobStatus.CANCELLED and _skills() == 0


def test_the_thread_runner_runs_jobs_outside_the_request(app):
    with app.app_context():
        app.config["JOBS_INLINE"] = False
        try:
            job = _submit("test-add-skills", {"names": ["threaded"]})
            deadline = time.time() + 30
            while time.time() < deadline:
                db.session.expire_all()
                job = db.session.get(Job, job.id)
                if job.status.finished:
                    break
                time.sleep(0.05)
            assert job.status == JobStatus.DONE and _skills() == 1
        finally:
            app.config["JOBS_INLINE"] = True
            db.session.remove()
            from tests.conftest import _empty_all_tables

            _empty_all_tables()


def test_unknown_job_kind_is_refused(app_context):
    with pytest.raises(ValueError, match="kind"):
        jobs.submit("no-such-kind", "x", {}, None)


def test_job_page_and_state_are_for_planners(demo, browser, db_session):
    job = _submit("test-add-skills", {"names": ["x"]})
    browser.login("agent")
    assert browser.get(f"/jobs/{job.id}.json").status_code == 403
    browser.post("/logout")
    browser.login("scheduler")
    state = browser.get(f"/jobs/{job.id}.json").get_json()
    assert state["status"] == "done" and state["url"] == "/admin/skills/"
