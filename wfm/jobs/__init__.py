"""Background jobs: forecasts and solves run outside the request and report progress.

`submit` records a job (flush only); after the request commits, `start` hands it to the runner: RQ
workers on Redis when `REDIS_URL` is set (`wfm.jobs.rq_queue`, `wfm worker`), else the web process's own
threads (`wfm.jobs.dispatch`). A job's own writes are one transaction, committed only when the job function
returns, so a job that fails, is cancelled or whose worker dies leaves nothing half-written; a heartbeat
lets a dead worker's job be marked failed and retried (`wfm.jobs.liveness`).
"""

from wfm.jobs.dispatch import start
from wfm.jobs.lifecycle import JobCancelled, JobContext, job_function, request_cancel, retry, submit

__all__ = ["JobCancelled", "JobContext", "job_function", "request_cancel", "retry", "start", "submit"]
