"""Logs: plain text for a person at a terminal, one JSON object a line for production.

`LOG_FORMAT=json` (the default under gunicorn and `wfm worker`) writes each record as JSON with the time,
level, logger and message, plus what identifies the work it belongs to: the request's id (taken from the
`X-Request-ID` header a proxy sets, or made here, and echoed back in the response), the signed-in user's
id, and the job's id for records written while a job runs. One line per request says its method, path,
status and duration. The request id lives on `flask.g.request_id`, so other parts (the change log) can
record it too.
"""

from __future__ import annotations

import contextvars
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
_GOOD_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
NOISY = ("alembic.runtime.plugins", "weasyprint", "fontTools")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

current_job_id: contextvars.ContextVar[int | None] = contextvars.ContextVar("wfm_job_id", default=None)
request_log = logging.getLogger("wfm.request")


class ContextFilter(logging.Filter):
    """Adds request_id, user_id and job_id to every record (None where they do not apply)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        if not hasattr(record, "user_id"):
            record.user_id = _user_id() if has_request_context() else None
        if not hasattr(record, "job_id"):
            record.job_id = current_job_id.get()
        return True


def _user_id() -> int | None:
    """The signed-in user's id, without loading a user the request never asked for."""
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    user_id = getattr(user, "id", None)  # not get_id(): that is the session token, a secret
    return user_id if isinstance(user_id, int) else None


def json_formatter() -> logging.Formatter:
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s %(job_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        datefmt="%Y-%m-%dT%H:%M:%S%z",
    )


def formatter_for(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return json_formatter()
    if log_format == "text":
        return logging.Formatter(TEXT_FORMAT)
    raise ValueError(f"LOG_FORMAT: expected 'text' or 'json', got {log_format!r}")


def configure_logging(log_format: str = "text", level: str = "INFO") -> None:
    """One handler on the root logger, to stderr; calling it again replaces the format, never adds a
    handler."""
    formatter = formatter_for(log_format)
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, "wfm_handler", False)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        handler.wfm_handler = True  # type: ignore[attr-defined]
        handler.addFilter(ContextFilter())
        root.addHandler(handler)
    handler.setFormatter(formatter)
    root.setLevel(level.upper())
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)


def install_request_logging(app: Flask) -> None:
    """Give every request an id (kept on `g.request_id`, echoed in the response) and log one line for it."""

    @app.before_request
    def _start_request() -> None:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _GOOD_REQUEST_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish_request(response):
        request_id = g.get("request_id")
        if request_id:
            response.headers[REQUEST_ID_HEADER] = request_id
        started = g.get("request_started")
        if started is not None and request_log.isEnabledFor(logging.INFO):
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            request_log.info(
                "%s %s %s %.1f ms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "remote_addr": request.remote_addr,
                },
            )
        return response
