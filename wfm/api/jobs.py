"""Background jobs seen from the API: start one (202 with its URL), poll its state, ask it to stop.

Starting goes through `wfm.jobs` exactly as the pages' `launch` does: record, commit, then start.
"""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from wfm.access import PLANNERS, roles
from wfm.api.auth import API_PREFIX
from wfm.api.common import LocalDateTime, get_or_404
from wfm.extensions import db
from wfm.jobs import dispatch, liveness
from wfm.jobs.dispatch import start
from wfm.jobs.lifecycle import request_cancel, retry, submit
from wfm.models import Job, JobStatus
from wfm.unit_of_work import commit, commit_or_refuse

blp = Blueprint(
    "api_jobs", __name__, url_prefix=API_PREFIX, description="Background jobs: forecasts and solves."
)
RESULT_LINKS = {"forecast_ids": "/forecasts/{}", "plan_id": "/plans/{}", "roster_id": "/rosters/{}"}


class JobSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": [s.value for s in JobStatus]})
    finished = fields.Boolean(required=True)
    progress = fields.Float(required=True)
    message = fields.String(required=True)
    error = fields.String(allow_none=True)
    cancel_requested = fields.Boolean(required=True)
    result = fields.Dict(required=True)
    result_urls = fields.List(
        fields.String(), required=True, metadata={"description": "API URLs of what the job made, once done"}
    )
    created_at = LocalDateTime(required=True)
    started_at = LocalDateTime(allow_none=True)
    finished_at = LocalDateTime(allow_none=True)
    url = fields.String(required=True)


def job_row(job: Job) -> dict:
    result = job.result or {}
    links = []
    if job.status == JobStatus.DONE:
        for key, pattern in RESULT_LINKS.items():
            values = result.get(key)
            for value in values if isinstance(values, list) else ([values] if values is not None else []):
                links.append(API_PREFIX + pattern.format(value))
    return {
        "id": job.id,
        "kind": job.kind,
        "title": job.title,
        "status": job.status.value,
        "finished": job.status.finished,
        "progress": round(job.progress or 0.0, 3),
        "message": job.message or "",
        "error": job.error,
        "cancel_requested": bool(job.cancel_requested),
        "result": result,
        "result_urls": links,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "url": url_for("api_jobs.get_job", job_id=job.id),
    }


def launch_job(kind: str, title: str, params: dict):
    """Record a job for the caller, commit, start it; answer 202 with where to follow it."""
    job = submit(kind, title, params, current_user.id)
    commit()
    start(job)
    job = db.session.get(Job, job.id)
    return job_row(job), 202, {"Location": url_for("api_jobs.get_job", job_id=job.id)}


def _visible_job(job_id: int) -> Job:
    liveness.check_running(job_id)  # a job whose worker died is shown failed, not running forever
    job = get_or_404(Job, job_id)
    if job.created_by_id != current_user.id and not current_user.has_role(*PLANNERS):
        abort(404, message=_("no job with id %(id)s", id=job_id))
    return job


@blp.route("/jobs/<id:job_id>", methods=["GET"])
@blp.response(200, JobSchema)
@roles(*PLANNERS)
def get_job(job_id: int):
    """A job's state and progress; once done, `result_urls` lead to what it made."""
    return job_row(_visible_job(job_id))


@blp.route("/jobs/<id:job_id>/cancel", methods=["POST"])
@blp.response(202, JobSchema)
@roles(*PLANNERS)
def cancel_job(job_id: int):
    """Ask a job to stop (a finished job answers 409); a running one stops within seconds, saving nothing."""
    job = _visible_job(job_id)
    if job.status.finished:
        abort(409, message=_("the job has finished already (%(status)s)", status=job.status.value))
    dropped = request_cancel(job)
    commit()
    if dropped:
        dispatch.forget(current_app._get_current_object(), job)
    return job_row(job)


@blp.route("/jobs/<id:job_id>/retry", methods=["POST"])
@blp.response(202, JobSchema)
@roles(*PLANNERS)
def retry_job(job_id: int):
    """Queue a failed or cancelled job again (any other state answers 409)."""
    job = _visible_job(job_id)
    queued = commit_or_refuse(lambda: retry(job))
    if not queued.kept:
        abort(409, message=queued.message)
    start(job)
    return job_row(db.session.get(Job, job.id))
