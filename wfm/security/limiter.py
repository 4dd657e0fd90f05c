"""Rate limits on signing in, per client address and per known browser (Flask-Limiter).

Only refused attempts count (a contact centre signs dozens of agents in from one address at the start of
a shift), so `LOGIN_RATE_LIMIT` bounds password guessing from one place; account lockout
(wfm.auth.operations) bounds guessing at one account from many places. The counts live in
`RATELIMIT_STORAGE_URI`: memory by default, Redis when `REDIS_URL` is set, so that every web process
shares them.

Known browsers ("device cookies"): a browser where an account signed in with its password gets a signed
cookie naming that account (up to `KNOWN_ACCOUNTS` accounts, for `KNOWN_BROWSER_DAYS`). A sign-in to that
account from that browser is counted in a bucket of its own, not the address's: an office behind one address
whose typos (or an attacker there) use up the address's allowance does not keep its agents from signing in
at their own desks, while an unknown browser still waits, so guessing many accounts from one address stays
bounded. A stolen cookie gains a guesser only its own bucket, and the account lockout still applies.

One Limiter per application (kept in `app.extensions`), never a module global: the test suite runs
several applications side by side, with the limiter on in some and off in others.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from itsdangerous import BadData, URLSafeTimedSerializer

LOGIN_ENDPOINT = "auth.login"
EXTENSION_KEY = "wfm_limiter"
KNOWN_BROWSER_COOKIE = "wfm_device"
KNOWN_BROWSER_SALT = "wfm-known-browser"
KNOWN_BROWSER_DAYS = 180
KNOWN_ACCOUNTS = 10  # accounts one browser is known for (a shared desk)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=KNOWN_BROWSER_SALT)


def _account_key(username: str) -> str:
    """The account as the cookie names it: keyed with the app's secret, so the cookie (signed, not encrypted)
    does not tell someone at a shared desk who signed in there."""
    key = current_app.secret_key
    key = key.encode() if isinstance(key, str) else key
    digest = hmac.new(key, username.strip().lower().encode(), hashlib.sha256)
    return digest.hexdigest()[:24]


def _known_accounts() -> dict[str, str]:
    """account key -> this browser's nonce for it, from a sound and recent cookie; else empty."""
    raw = request.cookies.get(KNOWN_BROWSER_COOKIE)
    if not raw:
        return {}
    try:
        data = _serializer().loads(raw, max_age=KNOWN_BROWSER_DAYS * 86400)
    except BadData:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def _login_key() -> str:
    """The bucket a sign-in attempt counts in: this browser's for an account it is known for, else the
    address's."""
    username = (request.form.get("username") or "").strip()
    nonce = _known_accounts().get(_account_key(username)) if username else None
    return f"known-browser:{nonce}" if nonce else get_remote_address()


def remember_browser(response, username: str):
    """After a sign-in with the right password: this browser is known for the account (a fresh nonce, so the
    bucket of its failures starts again)."""
    accounts = _known_accounts()
    name = _account_key(username)
    accounts.pop(name, None)
    accounts[name] = secrets.token_urlsafe(12)
    kept = dict(list(accounts.items())[-KNOWN_ACCOUNTS:])
    config = current_app.config
    response.set_cookie(
        KNOWN_BROWSER_COOKIE,
        _serializer().dumps(kept),
        max_age=KNOWN_BROWSER_DAYS * 86400,
        secure=config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite=config.get("SESSION_COOKIE_SAMESITE", "Lax"),
    )
    return response


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
    app.view_functions[LOGIN_ENDPOINT] = limiter.limit(
        _login_limit, key_func=_login_key, methods=["POST"], deduct_when=_refused
    )(view)

    @app.errorhandler(RateLimitExceeded)
    def too_many(error: RateLimitExceeded):
        response = current_app.make_response(
            (
                render_template(
                    "errors/error.html", code=429, title=_("Too many attempts"), limit=str(error.limit.limit)
                ),
                429,
            )
        )
        retry = getattr(error, "retry_after", None)
        if retry:
            response.headers["Retry-After"] = str(int(retry))
        return response

    return limiter


def limiter_of(app: Flask) -> Limiter:
    return app.extensions[EXTENSION_KEY]
