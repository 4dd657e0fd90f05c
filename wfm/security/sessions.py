"""Session cookies: revocable, an idle timeout, an absolute lifetime, strong protection, a new session at
sign-in.

The session cookie is HttpOnly and SameSite=Lax always, Secure behind HTTPS (wfm.config). It names the user by
the user's `session_token` (Flask-Login's `get_id`), not the row id: signing out, a new password and a
deactivation give the user a new token (`User.end_sessions`), so every copy of every session and remember
cookie of that user stops working at once, on every browser.

A permanent session's cookie is re-signed on every request, so `SESSION_IDLE_MINUTES` is an idle timeout that
Flask checks on the server (the signature's timestamp), not only the browser. `SESSION_MAX_HOURS` ends a
session however busy it is.

"Keep me signed in" is our own cookie (Flask-Login's would hold the same value at every sign-in, never
expire on the server and move to any browser): a signed value holding the session token, a hash of the
browser's User-Agent and a random nonce, with its signing time checked on the server against
`REMEMBER_COOKIE_DAYS` (0 turns it off and hides the box). It starts a new session, with its own idle timeout
and `SESSION_MAX_HOURS`; when a session reaches that cap the remember cookie is dropped with it, so the
password is asked again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time

from flask import Flask, current_app, g, request, session
from flask_login import login_user, logout_user
from flask_login.utils import _create_identifier
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select

from wfm.extensions import db, login_manager

SIGNED_IN_AT = "signed_in_at"
REMEMBER_SALT = "wfm-remember-me"
_REMEMBER_ACTION = "_wfm_remember"  # in g: "set" or "clear", done to the response by _write_remember_cookie


def install(app: Flask) -> None:
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    app.config["REMEMBER_COOKIE_DURATION"] = dt.timedelta(days=max(app.config["REMEMBER_COOKIE_DAYS"], 1))
    login_manager.session_protection = "strong"  # a session moved to another address or browser is dropped
    # First of all hooks, so the access check sees an expired session as signed out (and a remembered one in).
    app.before_request_funcs.setdefault(None, []).insert(0, _check_session)
    app.after_request(_write_remember_cookie)


def remember_allowed() -> bool:
    return current_app.config["REMEMBER_COOKIE_DAYS"] > 0


def start_session(user, remember: bool) -> None:
    """Sign in on a fresh session: what the session held before (a planted id, say) is dropped."""
    _new_session()
    login_user(user)
    session.permanent = True
    session[SIGNED_IN_AT] = int(time.time())
    setattr(g, _REMEMBER_ACTION, "set" if remember and remember_allowed() else "clear")


def end_session() -> None:
    """Sign this browser out: the session and its remember cookie (the caller ends the user's token)."""
    logout_user()
    _new_session()
    setattr(g, _REMEMBER_ACTION, "clear")


def is_remembered() -> bool:
    """This browser holds a "keep me signed in" cookie (a new password keeps it, under the new token)."""
    return _cookie_name() in request.cookies


def _cookie_name() -> str:
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=REMEMBER_SALT)


def _browser() -> str:
    return hashlib.sha256(request.headers.get("User-Agent", "").encode()).hexdigest()[:32]


def _remembered_user():
    """The active user the request's remember cookie names, if it is sound, current and from this browser."""
    if not remember_allowed():
        return None
    try:
        data = _serializer().loads(
            request.cookies[_cookie_name()], max_age=current_app.config["REMEMBER_COOKIE_DAYS"] * 86400
        )
    except (BadData, KeyError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("t"), str) or data.get("b") != _browser():
        return None
    from wfm.models import User

    return db.session.scalar(select(User).where(User.session_token == data["t"], User.active.is_(True)))


def _check_session() -> None:
    """End a session past its longest life or moved elsewhere; else start one from a remember cookie.

    Flask-Login's "strong" protection only marks a *permanent* session as not fresh when it moves; a
    bank wants it ended, so the check is made here too. The JSON API never reads cookies (wfm.api.auth).
    """
    from wfm.api.auth import is_api_request

    if is_api_request() or request.endpoint == "static":
        return
    if "_user_id" in session:
        started = session.get(SIGNED_IN_AT)
        too_old = started is None or time.time() - started > current_app.config["SESSION_MAX_HOURS"] * 3600
        moved = session.get("_id") is not None and session["_id"] != _create_identifier()
        if too_old or moved:
            end_session()
        return
    if _cookie_name() not in request.cookies:
        return
    user = _remembered_user()
    if user is None:
        setattr(g, _REMEMBER_ACTION, "clear")
        return
    _new_session()
    login_user(user, fresh=False)
    session.permanent = True
    session[SIGNED_IN_AT] = int(time.time())


def _write_remember_cookie(response):
    action = g.pop(_REMEMBER_ACTION, None)
    config = current_app.config
    options = {
        "path": config.get("REMEMBER_COOKIE_PATH", "/"),
        "domain": config.get("REMEMBER_COOKIE_DOMAIN"),
        "secure": config.get("REMEMBER_COOKIE_SECURE", False),
        "httponly": config.get("REMEMBER_COOKIE_HTTPONLY", True),
        "samesite": config.get("REMEMBER_COOKIE_SAMESITE", "Lax"),
    }
    if action == "set":
        from flask_login import current_user

        if current_user.is_authenticated:
            value = _serializer().dumps(
                {"t": current_user.get_id(), "b": _browser(), "n": secrets.token_hex(8)}
            )
            response.set_cookie(
                _cookie_name(), value, max_age=config["REMEMBER_COOKIE_DAYS"] * 86400, **options
            )
    elif action == "clear" and _cookie_name() in request.cookies:
        response.delete_cookie(_cookie_name(), **options)
    return response


def _new_session() -> None:
    """Empty the session but for the language chosen on it (signing in or out keeps the page in the
    language the person reads); the CSRF token cached for this request belonged to the old session, so it
    goes too (the next form gets a token of the new session)."""
    from wfm.i18n.languages import SESSION_KEY

    language = session.get(SESSION_KEY)
    session.clear()
    if language:
        session[SESSION_KEY] = language
    g.pop("csrf_token", None)
