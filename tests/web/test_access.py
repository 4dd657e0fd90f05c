"""Every route declares who may call it, and the declaration is enforced for every role."""

import pytest
from flask import Blueprint

from wfm.access import PUBLIC, SIGNED_IN, allowed_roles, undeclared_endpoints
from wfm.models import Role

ROLE_USERS = {Role.ADMIN: "admin", Role.SCHEDULER: "scheduler", Role.HR: "hr", Role.AGENT: "agent"}


def test_every_route_declares_its_roles(app):
    assert list(undeclared_endpoints(app)) == []


def test_a_route_without_a_declaration_is_refused(app):
    from wfm import create_app
    from wfm.config import TestConfig

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    other = create_app(Config)
    extra = Blueprint("extra", __name__)
    extra.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    other.register_blueprint(extra)
    assert list(undeclared_endpoints(other)) == ["extra.forgotten"]
    assert other.test_client().get("/forgotten").status_code == 403


def _get_paths(app):
    """Every GET route of the pages, with id 1 filled in for routes that take one (the JSON API takes
    tokens, not sessions: tests/web/test_api_access.py walks its routes)."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith("/api/"):
            continue
        values = {arg: 1 for arg in rule.arguments}
        with app.test_request_context():
            from flask import url_for

            yield rule.endpoint, url_for(rule.endpoint, **values)


def test_route_by_role_matrix(app, demo, browser):
    paths = list(_get_paths(app))
    assert len(paths) > 10
    for role, username in ROLE_USERS.items():
        browser.post("/logout")
        assert browser.login(username).status_code == 302
        for endpoint, path in paths:
            allowed = allowed_roles(app.view_functions[endpoint])
            status = browser.get(path).status_code
            if allowed in (PUBLIC, SIGNED_IN) or role in allowed:
                assert status != 403, f"{username} refused {path}"
            else:
                assert status == 403, f"{username} reached {path} ({status})"


def test_signed_out_users_are_sent_to_sign_in(app, demo, client):
    for endpoint, path in _get_paths(app):
        if allowed_roles(app.view_functions[endpoint]) == PUBLIC:
            continue
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


@pytest.mark.parametrize(
    ("username", "landing"),
    [("admin", "/admin/"), ("scheduler", "/planning"), ("hr", "/people"), ("agent", "/me")],
)
def test_each_role_lands_on_its_page(demo, browser, username, landing):
    response = browser.login(username)
    assert response.status_code == 302
    home = browser.get(response.headers["Location"])
    assert home.status_code == 302 and home.headers["Location"] == landing
    assert browser.get(landing).status_code == 200


def test_navigation_shows_only_reachable_pages(demo, browser):
    browser.login("agent")
    html = browser.get("/me").get_data(as_text=True)
    assert "My page" in html and "Organisation" not in html and "Planning" not in html
