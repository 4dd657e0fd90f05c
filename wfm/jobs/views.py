"""A job's page: progress while it runs, then a link to what it made; cancel and retry."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from wfm.access import ADMINS, PLANNERS, roles
from wfm.clock import utcnow
from wfm.extensions import db
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


# A job's status as a person reads it, with the time it refers to (times are UTC: a job has no site).
STATUS_WORDS = {
    JobStatus.QUEUED: ("Waiting to start since", "created_at"),
    JobStatus.RUNNING: ("Running since", "started_at"),
    JobStatus.DONE: ("Done at", "finished_at"),
    JobStatus.FAILED: ("Failed at", "finished_at"),
    JobStatus.CANCELLED: ("Cancelled at", "finished_at"),
}


def status_text(job: Job) -> str:
    words, attribute = STATUS_WORDS[job.status]
    at = getattr(job, attribute) or job.created_at
    return f"{words} {at:%H:%M} UTC" + ("" if at.date() == utcnow().date() else f" on {at:%a %d %b}")


def job_state(job: Job) -> dict:
    """What the job's page and its JSON show. Which machine and process run the job is for administrators
    (it helps find a worker's log); nobody else needs it."""
    state = {
        "id": job.id,
        "title": job.title,
        "status": job.status.value,
        "status_text": status_text(job),
        "finished": job.status.finished,
        "progress": round(job.progress, 3),
        "percent": f"{job.progress * 100:.0f}%",
        "message": job.message,
        "error": job.error,
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
