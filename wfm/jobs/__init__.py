"""Background jobs: forecasts and solves run outside the request and report progress.

`submit` records a job (flush only); after the request commits, `start` hands it to the runner. The
runner is in-process (a thread) by default; the `JobRunner` interface is what a distributed queue
(RQ on Redis) implements later. A job's own writes are one transaction: they are committed only when the
job function returns, so a job that fails or is cancelled leaves nothing half-written.
"""

from wfm.jobs.runner import JobCancelled, JobContext, job_function, start, submit

__all__ = ["JobCancelled", "JobContext", "job_function", "start", "submit"]
