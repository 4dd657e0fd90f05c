"""Revocable sessions: signing out, a new password or a deactivation ends every session and "Keep me signed
in" cookie of the user, on every browser; a remember cookie is new at every sign-in, bound to its browser,
limited on the server, and a session it restores is capped like any other. Once-shown secrets (a new API
token, a new calendar address) are shown on the page that makes them, never carried in the session cookie.
"""

from __future__ import annotations

import re
import time

from flask import g
from sqlalchemy import select

from wfm.models import User

SESSION = "session"
REMEMBER = "remember_token"


def _forget_loaded_user() -> None:
    """The test's requests share one app context (and `g`, where Flask-Login keeps the user it loaded); a real
    request starts without it."""
    g.pop("_login_user", None)


def _sign_in(client, username: str = "hr", password: str = "demo", remember: bool = False, **kwargs):
    html = client.get("/login", **kwargs).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    data = {"username": username, "password": password, "csrf_token": token.group(1) if token else ""}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data, **kwargs)
    _forget_loaded_user()
    return response


def _cookie(client, name: str) -> str | None:
    cookie = client.get_cookie(name)
    return cookie.value if cookie is not None else None


def _browser_with(app, **cookies):
    """Another browser holding only the given cookies (copied, say, by someone who had the first one)."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def _signed_in(client, **kwargs) -> bool:
    _forget_loaded_user()
    response = client.get("/people", **kwargs)
    _forget_loaded_user()
    assert response.status_code in (200, 302)
    return response.status_code == 200


def _log_out(client) -> None:
    client.post("/logout")
    _forget_loaded_user()


def _user(db_session, username: str) -> User:
    db_session.expire_all()
    return db_session.scalar(select(User).where(User.username == username))


# The session cookie ------------------------------------------------------------------------------------


def test_a_session_cookie_copied_before_signing_out_is_dead_after_it(app, demo, client):
    assert _sign_in(client).status_code == 302
    copy = _browser_with(app, **{SESSION: _cookie(client, SESSION)})
    assert _signed_in(copy)  # the copy works while its owner is signed in...
    _log_out(client)
    assert not _signed_in(copy)  # ...and not a moment after signing out (not only at the idle timeout)


def test_signing_out_ends_the_users_sessions_on_every_browser(app, demo, client):
    assert _sign_in(client).status_code == 302
    desk = app.test_client()
    assert _sign_in(desk).status_code == 302
    _log_out(desk)
    assert not _signed_in(client)


def test_a_deactivated_user_stays_out_when_reactivated(app, demo, client, db_session):
    from wfm.admin import operations as ops

    assert _sign_in(client, remember=True).status_code == 302
    remembered = _cookie(client, REMEMBER)
    ops.set_active(_user(db_session, "hr"), False)
    db_session.commit()
    ops.set_active(_user(db_session, "hr"), True)
    db_session.commit()
    assert not _signed_in(client)
    assert not _signed_in(_browser_with(app, **{REMEMBER: remembered}))


# "Keep me signed in" -------------------------------------------------------------------------------------


def test_the_remember_cookie_is_new_at_every_sign_in(app, demo):
    first, second = app.test_client(), app.test_client()
    assert _sign_in(first, remember=True).status_code == 302
    assert _sign_in(second, remember=True).status_code == 302
    assert _cookie(first, REMEMBER)
    assert _cookie(second, REMEMBER)
    assert _cookie(first, REMEMBER) != _cookie(second, REMEMBER)


def test_the_remember_cookie_signs_in_again_after_the_session_cookie_is_gone(app, demo, client):
    assert _sign_in(client, remember=True).status_code == 302
    alone = _browser_with(app, **{REMEMBER: _cookie(client, REMEMBER)})  # the browser was closed and reopened
    assert _signed_in(alone)
    assert _signed_in(alone)  # and the session it started goes on
    with alone.session_transaction() as session:
        # an idle timeout and the longest life apply
        assert session.permanent
        assert session["signed_in_at"] > 0


def test_the_remember_cookie_is_dead_after_signing_out(app, demo, client):
    assert _sign_in(client, remember=True).status_code == 302
    remembered = _cookie(client, REMEMBER)
    _log_out(client)
    assert not _signed_in(_browser_with(app, **{REMEMBER: remembered}))


def test_the_remember_cookie_is_dead_after_a_new_password(app, demo, client, db_session):
    assert _sign_in(client, remember=True).status_code == 302
    remembered = _cookie(client, REMEMBER)
    from wfm.auth.operations import change_password

    change_password(_user(db_session, "hr"), "demo", "winter harbour lamp 92", "winter harbour lamp 92")
    db_session.commit()
    assert not _signed_in(_browser_with(app, **{REMEMBER: remembered}))


def test_the_remember_cookie_does_not_work_in_another_browser(app, demo, client):
    assert _sign_in(client, remember=True).status_code == 302
    copy = _browser_with(app, **{REMEMBER: _cookie(client, REMEMBER)})
    assert not _signed_in(copy, headers={"User-Agent": "another browser"})


def test_the_remember_cookie_ends_on_the_server_after_its_days(app, demo, client, monkeypatch):
    import itsdangerous.timed

    real = itsdangerous.timed.time.time
    days = app.config["REMEMBER_COOKIE_DAYS"]
    monkeypatch.setattr(itsdangerous.timed, "time", _Clock(real() - days * 86400 - 60))
    assert _sign_in(client, remember=True).status_code == 302  # signed as if that long ago
    monkeypatch.undo()
    assert not _signed_in(_browser_with(app, **{REMEMBER: _cookie(client, REMEMBER)}))


def test_a_session_restored_by_the_remember_cookie_has_the_longest_life_too(app, demo, client):
    assert _sign_in(client, remember=True).status_code == 302
    alone = _browser_with(app, **{REMEMBER: _cookie(client, REMEMBER)})
    assert _signed_in(alone)
    with alone.session_transaction() as session:
        session["signed_in_at"] = int(time.time() - app.config["SESSION_MAX_HOURS"] * 3600 - 60)
    assert not _signed_in(alone)
    assert _cookie(alone, REMEMBER) is None  # the cap ends "keep me signed in" too
    assert not _signed_in(alone)


def test_a_forged_or_garbled_remember_cookie_signs_nobody_in(app, demo, db_session):
    token = _user(db_session, "hr").session_token
    for value in (token, f"{token}|x", "1|" + "0" * 128, "garbage"):
        assert not _signed_in(_browser_with(app, **{REMEMBER: value}))


class _Clock:
    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


# Once-shown secrets --------------------------------------------------------------------------------------


def _session_text(client) -> str:
    with client.session_transaction() as session:
        return repr(dict(session))


def test_a_new_api_token_is_shown_on_the_page_that_makes_it_not_carried_in_the_session(demo, browser):
    browser.login("agent")
    response = browser.post("/account/tokens", {"name": "my phone"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    secret = re.search(r'data-testid="new-token">([^<]+)<', html).group(1)
    assert secret.startswith("wfm_")
    assert secret not in _session_text(browser.client)
    assert secret not in browser.get("/account/tokens").get_data(as_text=True)


def test_a_new_calendar_address_is_shown_on_the_page_that_makes_it_not_carried_in_the_session(demo, browser):
    browser.login("agent")
    response = browser.post("/my/calendar", {"action": "renew"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    token = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", html).group(1)
    assert token not in _session_text(browser.client)
    assert browser.get(f"/calendar/{token}.ics").status_code == 200
    assert token not in browser.get("/my/schedule").get_data(as_text=True)


def test_the_session_token_is_never_written_in_clear_and_signing_out_is_no_change(demo, client, db_session):
    from wfm.models.security import ChangeLog

    before = db_session.query(ChangeLog).count()
    token = _user(db_session, "hr").session_token
    assert _sign_in(client).status_code == 302
    _log_out(client)
    assert _user(db_session, "hr").session_token != token
    assert db_session.query(ChangeLog).count() == before  # sign-in bookkeeping, like the last sign-in time
    from wfm.admin import operations as ops

    ops.set_active(_user(db_session, "hr"), False)
    db_session.commit()
    rows = db_session.scalars(
        select(ChangeLog).where(ChangeLog.entity == "user_account").order_by(ChangeLog.id)
    ).all()
    assert rows
    assert rows[-1].after.get("session_token") == "(changed)"
    everything = " ".join(str(r.before) + str(r.after) for r in rows)
    assert token not in everything
    assert _user(db_session, "hr").session_token not in everything
