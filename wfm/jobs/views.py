"""A job's page: progress while it runs, then a link to what it made; cancel and retry."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from wfm.access import ADMINS, PLANNERS, roles
from wfm.clock import utcnow
from wfm.extensions import db
from wfm.i18n import translate
from wfm.i18n.dates import written
from wfm.jobs import dispatch, liveness
from wfm.jobs.dispatch import start
from wfm.jobs.lifecycle import is_retryable, request_cancel, retry, submit
from wfm.models import Job, JobStatus
from wfm.security.redirects import safe_path
from wfm.unit_of_work import commit, commit_or_refuse

blueprint = Blueprint("jobs", __name__, url_prefix="/jobs")


def _job_or_404(job_id: int) -> Job:
    liveness.check_running(job_id)  # a job whose worker died is shown failed, not running forever
    job = db.session.get(Job, job_id)
    if job is None or (job.created_by_id != current_user.id and not current_user.has_role(*PLANNERS)):
        abort(404)
    return job


def launch(kind: str, title: str, params: dict):
    """Record a job for the signed-in user, commit, start it, and send the browser to its progress page."""
    job = submit(kind, title, params, current_user.id)
    commit()
    start(job)
    return redirect(url_for("jobs.show", job_id=job.id))


# A job's status as a person reads it, with the time it refers to (times are UTC: a job has no site): the
# sentence for today, the sentence for another day, and the time it refers to.
STATUS_WORDS = {
    JobStatus.QUEUED: (
        _l("Waiting to start since %(time)s UTC"),
        _l("Waiting to start since %(time)s UTC on %(day)s"),
        "created_at",
    ),
    JobStatus.RUNNING: (
        _l("Running since %(time)s UTC"),
        _l("Running since %(time)s UTC on %(day)s"),
        "started_at",
    ),
    JobStatus.DONE: (_l("Done at %(time)s UTC"), _l("Done at %(time)s UTC on %(day)s"), "finished_at"),
    JobStatus.FAILED: (_l("Failed at %(time)s UTC"), _l("Failed at %(time)s UTC on %(day)s"), "finished_at"),
    JobStatus.CANCELLED: (
        _l("Cancelled at %(time)s UTC"),
        _l("Cancelled at %(time)s UTC on %(day)s"),
        "finished_at",
    ),
}


def status_text(job: Job) -> str:
    today, other_day, attribute = STATUS_WORDS[job.status]
    at = getattr(job, attribute) or job.created_at
    if at.date() == utcnow().date():
        return str(today) % {"time": f"{at:%H:%M}"}
    return str(other_day) % {"time": f"{at:%H:%M}", "day": written(at, "day")}


def job_state(job: Job) -> dict:
    """What the job's page and its JSON show. Which machine and process run the job is for administrators
    (it helps find a worker's log); nobody else needs it."""
    state = {
        "id": job.id,
        "title": translate(job.title),
        "status": job.status.value,
        "status_text": status_text(job),
        "finished": job.status.finished,
        "progress": round(job.progress, 3),
        "percent": f"{job.progress * 100:.0f}%",
        "message": translate(job.message),
        "error": translate(job.error) if job.error else job.error,
        "url": (job.result or {}).get("url"),
        "attempts": job.attempts,
        "retryable": is_retryable(job),
        "unexpected": bool((job.result or {}).get("unexpected")),
        "heartbeat_at": job.heartbeat_at.isoformat() + "Z" if job.heartbeat_at else None,
    }
    if current_user.has_role(*ADMINS):
        state["worker"] = job.worker
    return state


@blueprint.route("/<int:job_id>")
@roles(*PLANNERS)
def show(job_id: int):
    job = _job_or_404(job_id)
    if job.status.value == "done" and safe_path((job.result or {}).get("url")):
        return redirect(safe_path(job.result["url"]))
    return render_template(
        "jobs/show.html", job=job_state(job), form=FlaskForm(), runner=dispatch.runner_for(current_app).name
    )


@blueprint.route("/<int:job_id>.json")
@roles(*PLANNERS)
def state(job_id: int):
    return jsonify(job_state(_job_or_404(job_id)))


@blueprint.route("/<int:job_id>/cancel", methods=["POST"])
@roles(*PLANNERS)
def cancel(job_id: int):
    job = _job_or_404(job_id)
    if FlaskForm().validate_on_submit():
        dropped = request_cancel(job)
        commit()
        if dropped:
            dispatch.forget(current_app._get_current_object(), job)
    return redirect(url_for("jobs.show", job_id=job.id))


@blueprint.route("/<int:job_id>/retry", methods=["POST"])
@roles(*PLANNERS)
def retry_job(job_id: int):
    job = _job_or_404(job_id)
    if FlaskForm().validate_on_submit():
        queued = commit_or_refuse(lambda: retry(job))
        if not queued.kept:
            flash(queued.message, "error")
            return redirect(url_for("jobs.show", job_id=job.id))
        start(job)
    return redirect(url_for("jobs.show", job_id=job.id))
