"""Session cookies: an idle timeout, an absolute lifetime, strong session protection, a new session at sign-in.

The session cookie is HttpOnly and SameSite=Lax always, Secure behind HTTPS (wfm.config). A permanent
session's cookie is re-signed on every request, so `SESSION_IDLE_MINUTES` is an idle timeout that Flask
checks on the server (the signature's timestamp), not only the browser. `SESSION_MAX_HOURS` ends a
session however busy it is. "Keep me signed in" (a remember cookie) lasts `REMEMBER_COOKIE_DAYS`; 0 turns
it off and hides the box.
"""

from __future__ import annotations

import datetime as dt
import time

from flask import Flask, current_app, session
from flask_login import login_user, logout_user
from flask_login.utils import _create_identifier

from wfm.extensions import login_manager

SIGNED_IN_AT = "signed_in_at"


def install(app: Flask) -> None:
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    app.config["REMEMBER_COOKIE_DURATION"] = dt.timedelta(days=max(app.config["REMEMBER_COOKIE_DAYS"], 1))
    login_manager.session_protection = "strong"  # a session moved to another address or browser is dropped
    # First of all hooks, so the access check sees an expired session as signed out.
    app.before_request_funcs.setdefault(None, []).insert(0, _end_old_sessions)


def remember_allowed() -> bool:
    return current_app.config["REMEMBER_COOKIE_DAYS"] > 0


def start_session(user, remember: bool) -> None:
    """Sign in on a fresh session: what the session held before (a planted id, say) is dropped."""
    session.clear()
    login_user(user, remember=remember and remember_allowed())
    session.permanent = True
    session[SIGNED_IN_AT] = int(time.time())


def _end_old_sessions() -> None:
    """End a session past its longest life, or one that moved to another address or browser.

    Flask-Login's "strong" protection only marks a *permanent* session as not fresh when it moves; a
    bank wants it ended, so the check is made here too.
    """
    if "_user_id" not in session:
        return
    started = session.get(SIGNED_IN_AT)
    too_old = started is not None and time.time() - started > current_app.config["SESSION_MAX_HOURS"] * 3600
    moved = session.get("_id") is not None and session["_id"] != _create_identifier()
    if too_old or moved:
        session.clear()
        logout_user()  # also clears a remember cookie
