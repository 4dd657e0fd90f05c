"""Every error under /api/v1 answers JSON in one shape, `{code, status, message?, errors?}`, never HTML.

`errors` names what was wrong: `{"json": {"field": ["message"]}}` for a body field, `{"query": {...}}` for a
query argument (webargs' shape), or a list of `{line, field, message}` for a refused file.
"""

from __future__ import annotations

from flask import jsonify
from werkzeug.exceptions import HTTPException, InternalServerError

from wfm.api.auth import is_api_request


def payload_of(error: HTTPException) -> dict:
    payload = {"code": error.code, "status": error.name}
    data = getattr(error, "data", None) or {}
    if data.get("message"):
        payload["message"] = str(data["message"])
    elif error.description and error.code != 500:
        payload["message"] = str(error.description)
    if "errors" in data:
        payload["errors"] = data["errors"]
    elif "messages" in data:  # webargs' validation errors
        payload["errors"] = data["messages"]
    return payload


def api_error_response(error: Exception):
    """The JSON answer for an API request's error; None outside the API (the pages answer HTML)."""
    if not is_api_request():
        return None
    if not isinstance(error, HTTPException):
        error = InternalServerError()
    response = jsonify(payload_of(error))
    response.status_code = error.code or 500
    data = getattr(error, "data", None) or {}
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    if error.code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="wfm"'
    if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response
