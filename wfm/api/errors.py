"""Every error under /api/v1 answers JSON in one shape, `{code, status, message?, errors?}`, never HTML.

`message` is in the reader's language (the token owner's stored choice, else Accept-Language; see
wfm.i18n.select_language); `code` and `status` stay as they are, for programs.
`errors` names what was wrong: `{"json": {"field": ["message"]}}` for a body field, `{"query": {...}}` for a
query argument (webargs' shape), or a list of `{line, field, message}` for a refused file.
"""

from __future__ import annotations

from flask import jsonify
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from wfm.api.auth import is_api_request
from wfm.i18n import is_chinese, translate

# What a status means, for a reader of Chinese when the error carries only the web server's English default.
GENERIC = {
    400: _l("The request could not be read."),
    401: _l("Send a valid API token: Authorization: Bearer <token>."),
    403: _l("Your account does not have a role that may do this."),
    404: _l("There is nothing at this address."),
    405: _l("This method is not allowed at this address."),
    409: _l("The request conflicts with the current state; read it again and retry."),
    413: _l("The file is larger than this server accepts."),
    415: _l("Send the body as JSON."),
    422: _l("The request could not be processed; see errors."),
    429: _l("Too many requests; wait a minute, then try again."),
}


def payload_of(error: HTTPException) -> dict:
    payload = {"code": error.code, "status": error.name}
    data = getattr(error, "data", None) or {}
    if data.get("message"):
        payload["message"] = translate(str(data["message"]))
    elif error.description and error.code != 500:
        default = error.description == type(error).description  # the web server's own English words
        if default and is_chinese() and error.code in GENERIC:
            payload["message"] = str(GENERIC[error.code])
        else:
            payload["message"] = translate(str(error.description))
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
