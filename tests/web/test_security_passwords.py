"""The password policy (at least 12 characters, not the username, hard to guess) wherever a password is set,
and every signed-in user's own "Change password" page."""

from __future__ import annotations

import re

import pytest
from flask import g
from sqlalchemy import select

from wfm.models import User

STRONG = "otter quarry velvet 51"
ANOTHER = "lantern meadow copper 7"
WEAK = [
    "abcd",
    "password",
    "password1234",
    "qwertyuiop123",
    "aaaaaaaaaaaaaaaa",
    "newagent",
    "newagent2025!",
    "Newagent12345",
]


def _user(db_session, username: str) -> User:
    db_session.expire_all()
    return db_session.scalar(select(User).where(User.username == username))


def _new_user(browser, password: str, username: str = "newagent"):
    return browser.post(
        "/admin/users/new",
        {
            "username": username,
            "display_name": "Nadia Levi",
            "password": password,
            "roles": ["hr"],
            "agent_id": 0,
        },
    )


@pytest.mark.parametrize("password", WEAK)
def test_an_administrator_cannot_give_a_weak_password(demo, browser, db_session, password):
    browser.login("admin")
    response = _new_user(browser, password)
    assert response.status_code == 400
    assert _user(db_session, "newagent") is None
    html = response.get_data(as_text=True)
    assert re.search(r"at least 12 characters|username|too easy to guess", html)


def test_an_administrator_gives_a_strong_password_and_edits_to_weak_ones_are_refused(
    demo, browser, db_session
):
    browser.login("admin")
    assert _new_user(browser, STRONG).status_code == 302
    user = _user(db_session, "newagent")
    assert user.check_password(STRONG)
    edit = browser.post(
        f"/admin/users/{user.id}/edit",
        {
            "username": "newagent",
            "display_name": "Nadia Levi",
            "password": "nadialevi2024",
            "roles": ["hr"],
            "agent_id": 0,
        },
    )
    assert edit.status_code == 400
    assert _user(db_session, "newagent").check_password(STRONG)


def test_the_demo_users_keep_the_demo_password_through_the_demo_loader_only(demo, db_session):
    assert _user(db_session, "agent").check_password("demo")
    from wfm.admin import operations as ops

    with pytest.raises(ops.FieldError):
        ops.save_user(
            None,
            username="other",
            display_name="Other",
            email=None,
            password="demo",
            roles=["hr"],
            agent_id=None,
        )


def test_a_new_password_given_by_an_administrator_ends_the_users_sessions(app, demo, browser, db_session):
    desk = app.test_client()
    html = desk.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert (
        desk.post(
            "/login",
            data={"username": "hr", "password": "demo", "csrf_token": token.group(1) if token else ""},
        ).status_code
        == 302
    )
    g.pop("_login_user", None)
    browser.login("admin")
    hr = _user(db_session, "hr")
    response = browser.post(
        f"/admin/users/{hr.id}/edit",
        {
            "username": "hr",
            "display_name": hr.display_name,
            "password": STRONG,
            "roles": ["hr"],
            "agent_id": 0,
        },
    )
    assert response.status_code == 302
    g.pop("_login_user", None)
    assert desk.get("/people").status_code == 302


# Change password ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["agent", "scheduler", "hr", "admin"])
def test_every_signed_in_user_has_a_change_password_page(demo, browser, username):
    browser.login(username)
    page = browser.get("/account/password")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Current password" in html
    assert "New password again" in html
    assert '<a href="/account/password"' in html  # in the menu of every page


def test_signed_out_there_is_no_change_password_page(demo, client):
    assert client.get("/account/password").status_code == 302


def _change(browser, current: str, new: str, repeat: str | None = None):
    return browser.post(
        "/account/password", {"current": current, "new": new, "repeat": new if repeat is None else repeat}
    )


def test_a_user_changes_their_password_stays_signed_in_and_other_browsers_are_signed_out(
    app, demo, browser, db_session
):
    other = app.test_client()
    html = other.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert (
        other.post(
            "/login",
            data={
                "username": "agent",
                "password": "demo",
                "remember": "y",
                "csrf_token": token.group(1) if token else "",
            },
        ).status_code
        == 302
    )
    g.pop("_login_user", None)
    browser.login("agent")
    response = _change(browser, "demo", STRONG)
    assert response.status_code == 302
    user = _user(db_session, "agent")
    assert user.check_password(STRONG)
    assert not user.check_password("demo")
    g.pop("_login_user", None)
    assert browser.get("/my/schedule").status_code == 200  # this browser goes on
    g.pop("_login_user", None)
    assert other.get("/my/schedule").status_code == 302  # every other is signed out, remember cookie and all
    other.delete_cookie("session")
    g.pop("_login_user", None)
    assert other.get("/my/schedule").status_code == 302
    browser.post("/logout")
    assert browser.login("agent", "demo").status_code == 401
    assert browser.login("agent", STRONG).status_code == 302


def test_a_change_needs_the_current_password_the_same_new_one_twice_and_the_policy(demo, browser, db_session):
    browser.login("agent")
    wrong = _change(browser, "not my password", STRONG)
    assert wrong.status_code == 400
    assert "not your current password" in wrong.get_data(as_text=True)
    assert _user(db_session, "agent").failed_logins == 1  # guessing here counts towards the lockout
    differ = _change(browser, "demo", STRONG, ANOTHER)
    assert differ.status_code == 400
    assert "differ" in differ.get_data(as_text=True)
    for weak in ("password1234", "agent", "agentagent12"):
        response = _change(browser, "demo", weak)
        assert response.status_code == 400
    assert _user(db_session, "agent").check_password("demo")


def test_the_policy_words_its_refusals():
    from wfm.auth.passwords import problem

    assert "at least 12 characters" in problem("Tr0ub4dor&3")
    assert "username" in problem("scheduler-on-monday", username="Scheduler")
    assert "too easy to guess" in problem("password1234")
    assert "your name" in problem("nina.levi12345", username="nl", display_name="Nina Levi")
    assert "your name" in problem("levinadia2024!", username="nl", display_name="Nadia Levi")
    assert problem(STRONG, username="agent", display_name="Agent") is None
    assert problem("Zq8#mv2Lp!x7", username="agent") is None


def test_the_shortest_password_is_a_setting(app, monkeypatch):
    from wfm.auth.passwords import problem
    from wfm.config import security_from_environment

    assert security_from_environment({"WFM_PASSWORD_MIN_LENGTH": "24"}) == {"PASSWORD_MIN_LENGTH": 24}
    with app.app_context():
        assert problem(STRONG) is None
        monkeypatch.setitem(app.config, "PASSWORD_MIN_LENGTH", 24)
        assert "at least 24 characters" in problem(STRONG)
