from wfm.auth.operations import DEACTIVATED, WRONG_CREDENTIALS
from wfm.extensions import db
from wfm.models import User


def test_wrong_password_and_unknown_user_get_the_same_answer(demo, browser):
    wrong_password = browser.login("scheduler", "not-the-password")
    unknown_user = browser.login("nobody", "demo")
    for response in (wrong_password, unknown_user):
        assert response.status_code == 401
        assert WRONG_CREDENTIALS in response.get_data(as_text=True)
    assert browser.get("/planning").status_code == 302  # still signed out


def test_username_is_not_case_sensitive(demo, browser):
    assert browser.login("Scheduler").status_code == 302


def test_deactivated_user_cannot_sign_in_and_is_signed_out(demo, browser, db_session):
    assert browser.login("scheduler").status_code == 302
    user = db_session.query(User).filter_by(username="scheduler").one()
    user.active = False
    db_session.commit()
    assert browser.get("/planning").status_code == 302  # the session no longer loads the user
    response = browser.login("scheduler")
    assert response.status_code == 401 and DEACTIVATED in response.get_data(as_text=True)


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
        response = browser.post("/admin/users/new", {"username": "x", "display_name": "X", "password": "secret",
                                                     "roles": "hr"})
        assert response.status_code == 400 and db.session.query(User).count() == count
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_next_only_goes_to_this_site(demo, browser):
    token = browser.csrf("/login")
    inside = browser.client.post("/login?next=/people", data={"username": "hr", "password": "demo",
                                                               "csrf_token": token})
    assert inside.headers["Location"] == "/people"
    browser.post("/logout", {"csrf_token": browser.csrf("/people")})
    token = browser.csrf("/login")
    outside = browser.client.post("/login?next=https://evil.example/", data={"username": "hr", "password": "demo",
                                                                              "csrf_token": token})
    assert "evil" not in outside.headers["Location"]


def test_passwords_are_hashed(demo, db_session):
    user = db_session.query(User).filter_by(username="admin").one()
    assert "demo" not in user.password_hash and user.check_password("demo") and not user.check_password("Demo")
