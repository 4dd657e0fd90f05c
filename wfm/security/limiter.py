"""Rate limits on signing in, per client address (Flask-Limiter).

Only refused attempts count (a contact centre signs dozens of agents in from one address at the start of
a shift), so `LOGIN_RATE_LIMIT` bounds password guessing from one place; account lockout
(wfm.auth.operations) bounds guessing at one account from many places. The counts live in
`RATELIMIT_STORAGE_URI`: memory by default, Redis when `REDIS_URL` is set, so that every web process
shares them.

One Limiter per application (kept in `app.extensions`), never a module global: the test suite runs
several applications side by side, with the limiter on in some and off in others.
"""

from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

LOGIN_ENDPOINT = "auth.login"
EXTENSION_KEY = "wfm_limiter"


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _refused(response) -> bool:
    """Deduct an attempt only when the sign-in did not succeed (a success redirects)."""
    return response.status_code != 302


def install(app: Flask) -> Limiter:
    limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
    limiter.init_app(app)
    app.extensions[EXTENSION_KEY] = limiter
    view = app.view_functions[LOGIN_ENDPOINT]
    app.view_functions[LOGIN_ENDPOINT] = limiter.limit(_login_limit, methods=["POST"], deduct_when=_refused)(view)

    @app.errorhandler(RateLimitExceeded)
    def too_many(error: RateLimitExceeded):
        response = current_app.make_response((render_template(
            "errors/error.html", code=429, title="Too many attempts", limit=str(error.limit.limit)), 429))
        retry = getattr(error, "retry_after", None)
        if retry:
            response.headers["Retry-After"] = str(int(retry))
        return response

    return limiter


def limiter_of(app: Flask) -> Limiter:
    return app.extensions[EXTENSION_KEY]
