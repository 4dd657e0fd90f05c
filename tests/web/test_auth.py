import datetime as dt
import re
import time

import pytest
from flask import g
from sqlalchemy import select

from wfm.auth.operations import DEACTIVATED, WRONG_CREDENTIALS
from wfm.clock import utcnow
from wfm.config import security_from_environment
from wfm.extensions import db
from wfm.models import User
from wfm.models.security import ChangeLog


def test_wrong_password_and_unknown_user_get_the_same_answer(demo, browser):
    wrong_password = browser.login("scheduler", "not-the-password")
    unknown_user = browser.login("nobody", "demo")
    for response in (wrong_password, unknown_user):
        assert response.status_code == 401
        assert WRONG_CREDENTIALS in response.get_data(as_text=True)
    assert browser.get("/planning").status_code == 302  # still signed out


@pytest.mark.postgres
def test_username_is_not_case_sensitive(demo, browser):
    assert browser.login("Scheduler").status_code == 302


def test_deactivated_user_cannot_sign_in_and_is_signed_out(demo, browser, db_session):
    assert browser.login("scheduler").status_code == 302
    user = db_session.query(User).filter_by(username="scheduler").one()
    user.active = False
    db_session.commit()
    assert browser.get("/planning").status_code == 302  # the session no longer loads the user
    response = browser.login("scheduler")
    assert response.status_code == 401
    assert DEACTIVATED in response.get_data(as_text=True)


def test_logout_needs_a_post_with_a_token(app, demo, browser):
    browser.login("hr")
    assert browser.get("/logout").status_code == 405
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert browser.post("/logout", {}).status_code == 400  # no token: refused
        assert browser.get("/people").status_code == 200
        browser.post("/logout", {"csrf_token": browser.csrf("/people")})
        assert browser.get("/people").status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_forms_refuse_posts_without_a_csrf_token(app, demo, browser):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = browser.client.post("/login", data={"username": "admin", "password": "demo"})
        assert response.status_code == 400
        assert browser.login("admin").status_code == 302
        count = db.session.query(User).count()
        response = browser.post(
            "/admin/users/new", {"username": "x", "display_name": "X", "password": "secret", "roles": "hr"}
        )
        assert response.status_code == 400
        assert db.session.query(User).count() == count
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_next_only_goes_to_this_site(demo, browser):
    token = browser.csrf("/login")
    inside = browser.client.post(
        "/login?next=/people", data={"username": "hr", "password": "demo", "csrf_token": token}
    )
    assert inside.headers["Location"] == "/people"
    browser.post("/logout", {"csrf_token": browser.csrf("/people")})
    token = browser.csrf("/login")
    outside = browser.client.post(
        "/login?next=https://evil.example/", data={"username": "hr", "password": "demo", "csrf_token": token}
    )
    assert "evil" not in outside.headers["Location"]


def test_passwords_are_hashed(demo, db_session):
    user = db_session.query(User).filter_by(username="admin").one()
    assert "demo" not in user.password_hash
    assert user.check_password("demo")
    assert not user.check_password("Demo")


# Lockout ------------------------------------------------------------------------------------------------


def _user(db_session, username: str) -> User:
    db_session.expire_all()
    return db_session.query(User).filter_by(username=username).one()


def _fail(browser, username: str, times: int) -> None:
    for _ in range(times):
        assert browser.login(username, "not-the-password").status_code == 401


@pytest.mark.postgres
def test_repeated_wrong_passwords_lock_the_account(app, demo, browser, db_session):
    limit = app.config["LOGIN_MAX_FAILURES"]
    _fail(browser, "scheduler", limit - 1)
    assert _user(db_session, "scheduler").failed_logins == limit - 1
    assert _user(db_session, "scheduler").locked_until is None
    _fail(browser, "scheduler", 1)
    user = _user(db_session, "scheduler")
    expected = utcnow() + dt.timedelta(minutes=app.config["LOGIN_LOCKOUT_MINUTES"])
    assert user.locked_until is not None
    assert abs((user.locked_until - expected).total_seconds()) < 120
    # Even the right password is refused now, in the very words an unknown user gets.
    locked = browser.login("scheduler", "demo")
    unknown = browser.login("nobody", "demo")
    assert locked.status_code == unknown.status_code == 401
    assert WRONG_CREDENTIALS in locked.get_data(as_text=True)
    assert WRONG_CREDENTIALS in unknown.get_data(as_text=True)
    assert browser.get("/planning").status_code == 302
    # The lockout is in the change log.
    rows = db_session.scalars(
        select(ChangeLog).where(
            ChangeLog.entity == "user_account",
            ChangeLog.action == "update",
            ChangeLog.entity_id == str(user.id),
        )
    ).all()
    assert [r.after.get("locked_until") for r in rows] == [user.locked_until.isoformat()]
    assert rows[0].before["locked_until"] is None
    assert rows[0].source == "web"
    assert rows[0].user_id is None


def test_a_lockout_ends_by_itself(app, demo, browser, db_session):
    _fail(browser, "hr", app.config["LOGIN_MAX_FAILURES"])
    assert browser.login("hr").status_code == 401
    user = _user(db_session, "hr")
    user.locked_until = utcnow() - dt.timedelta(seconds=1)
    db_session.commit()
    assert browser.login("hr").status_code == 302
    user = _user(db_session, "hr")
    assert user.locked_until is None
    assert user.failed_logins == 0


def test_a_success_resets_the_count(app, demo, browser, db_session):
    limit = app.config["LOGIN_MAX_FAILURES"]
    _fail(browser, "agent", limit - 1)
    assert browser.login("agent").status_code == 302
    assert _user(db_session, "agent").failed_logins == 0
    browser.post("/logout")
    _fail(browser, "agent", limit - 1)
    assert browser.login("agent").status_code == 302  # not locked: the count started again


def test_guessing_at_an_unknown_user_locks_nothing_and_says_the_same(app, demo, browser, db_session):
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1):
        response = browser.login("nobody", "x")
        assert response.status_code == 401
        assert WRONG_CREDENTIALS in response.get_data(as_text=True)
    assert db_session.query(User).filter(User.locked_until.is_not(None)).count() == 0


def test_an_admin_unlocks_an_account_and_it_is_logged(app, demo, browser, db_session):
    _fail(browser, "scheduler", app.config["LOGIN_MAX_FAILURES"])
    user = _user(db_session, "scheduler")
    assert browser.login("admin").status_code == 302
    listing = browser.get("/admin/users/").get_data(as_text=True)
    assert "locked until" in listing
    page = browser.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)
    assert 'data-testid="locked"' in page
    assert f"/admin/users/{user.id}/unlock" in page
    response = browser.post(f"/admin/users/{user.id}/unlock")
    assert response.status_code == 302
    assert _user(db_session, "scheduler").locked_until is None
    admin = _user(db_session, "admin")
    unlock = db_session.scalars(
        select(ChangeLog)
        .where(ChangeLog.entity == "user_account", ChangeLog.entity_id == str(user.id))
        .order_by(ChangeLog.id.desc())
    ).first()
    assert unlock.user_id == admin.id
    assert unlock.after["locked_until"] is None
    assert unlock.before["locked_until"]
    assert 'data-testid="locked"' not in browser.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)
    browser.post("/logout")
    assert browser.login("scheduler").status_code == 302


def test_signing_in_is_not_logged_as_a_change(demo, browser, db_session):
    before = db_session.query(ChangeLog).count()
    assert browser.login("hr").status_code == 302
    assert _user(db_session, "hr").last_login_at is not None
    assert db_session.query(ChangeLog).count() == before


# Session cookies --------------------------------------------------------------------------------------


def _set_cookie(response, name: str) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "="))


def test_the_session_cookie_is_http_only_lax_and_expires_when_idle(app, demo, browser):
    response = browser.login("hr")
    cookie = _set_cookie(response, app.config.get("SESSION_COOKIE_NAME", "session"))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie
    assert "Secure" not in cookie  # plain HTTP in the tests; see the next test for HTTPS
    assert app.permanent_session_lifetime == dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])


def test_secure_cookies_behind_https(demo, database_url):
    from wfm import create_app
    from wfm.config import TestConfig

    class Secure(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    values = security_from_environment({"WFM_PRODUCTION": "1"})
    other = create_app(Secure)
    other.config.update(values)
    client = other.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    data = {
        "username": "hr",
        "password": "demo",
        "remember": "y",
        "csrf_token": token.group(1) if token else "",
    }
    response = client.post("/login", data=data, base_url="https://localhost")
    assert response.status_code == 302
    session_cookie = _set_cookie(response, "session")
    remember_cookie = _set_cookie(response, "remember_token")
    for cookie in (session_cookie, remember_cookie):
        assert "Secure" in cookie
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
    assert "Strict-Transport-Security" in response.headers
    with other.app_context():
        from wfm.extensions import db as other_db

        other_db.engine.dispose()


def test_security_settings_from_the_environment():
    assert security_from_environment({}) == {}
    production = security_from_environment({"WFM_PRODUCTION": "1"})
    https = security_from_environment({"PREFERRED_URL_SCHEME": "https"})
    for values in (production, https):
        assert values["SESSION_COOKIE_SECURE"]
        assert values["REMEMBER_COOKIE_SECURE"]
        assert values["SECURITY_HSTS"]
    off = security_from_environment({"WFM_PRODUCTION": "1", "SESSION_COOKIE_SECURE": "false"})
    assert off["SESSION_COOKIE_SECURE"] is False
    assert off["SECURITY_HSTS"] is False
    tuned = security_from_environment(
        {
            "WFM_LOGIN_MAX_FAILURES": "3",
            "WFM_LOGIN_LOCKOUT_MINUTES": "60",
            "WFM_LOGIN_RATE_LIMIT": "5 per minute",
            "REDIS_URL": "redis://r:6379/0",
            "WFM_SESSION_IDLE_MINUTES": "10",
        }
    )
    assert tuned == {
        "LOGIN_MAX_FAILURES": 3,
        "LOGIN_LOCKOUT_MINUTES": 60,
        "LOGIN_RATE_LIMIT": "5 per minute",
        "RATELIMIT_STORAGE_URI": "redis://r:6379/0",
        "SESSION_IDLE_MINUTES": 10,
    }


def test_signing_in_starts_a_fresh_session(demo, browser):
    with browser.client.session_transaction() as planted:
        planted["planted"] = "by someone else"
        planted["_user_id"] = "999"
    assert browser.login("hr").status_code == 302
    with browser.client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] != "999"
        assert session.permanent


def test_an_idle_session_ends(app, demo, browser, monkeypatch):
    """The cookie's signature carries its time; one older than the idle timeout is refused by the server."""
    import itsdangerous.timed

    browser.login("hr")
    assert browser.get("/people").status_code == 200
    idle = app.permanent_session_lifetime.total_seconds() + 60
    real_time = itsdangerous.timed.time.time
    with browser.client.session_transaction() as session:
        session["touched"] = True  # re-signed when this block ends...
        monkeypatch.setattr(itsdangerous.timed, "time", _Clock(real_time() - idle))  # ...as if long ago
    monkeypatch.undo()
    _forget_loaded_user()
    assert browser.get("/people").status_code == 302


def _forget_loaded_user() -> None:
    """The tests' requests share the test's app context (and so `g`, where Flask-Login keeps the user it
    loaded); a real request starts without it. Drop it, so the next request loads the user afresh."""
    g.pop("_login_user", None)


class _Clock:
    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


def test_a_session_ends_after_its_longest_life(app, demo, browser):
    browser.login("hr")
    with browser.client.session_transaction() as session:
        session["signed_in_at"] = int(time.time() - app.config["SESSION_MAX_HOURS"] * 3600 - 60)
    _forget_loaded_user()
    assert browser.get("/people").status_code == 302


def test_strong_session_protection_drops_a_session_moved_elsewhere(demo, browser):
    browser.login("hr")
    assert browser.get("/people").status_code == 200
    _forget_loaded_user()
    moved = browser.client.get("/people", headers={"User-Agent": "another browser"})
    assert moved.status_code == 302
