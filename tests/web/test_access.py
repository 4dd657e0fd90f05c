"""Every route declares who may call it, and the declaration is enforced for every role and every method."""

import contextlib

import pytest
from flask import Blueprint, request, url_for

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


API_PREFIX = "/api/"  # the JSON API takes bearer tokens, not sessions: tests/web/test_api_access.py walks it
AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}
PROBE_HEADER = "X-Access-Probe"


def _checked(rule) -> bool:
    return (
        rule.endpoint != "static"
        and not rule.endpoint.endswith(".static")
        and not rule.rule.startswith(API_PREFIX)
    )


def _path(app, rule) -> str:
    with app.test_request_context():
        return url_for(rule.endpoint, **{arg: 1 for arg in rule.arguments})


def _get_paths(app):
    """Every GET route of the pages, with id 1 filled in for routes that take one (the JSON API takes
    tokens, not sessions: tests/web/test_api_access.py walks its routes)."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not _checked(rule):
            continue
        yield rule.endpoint, _path(app, rule)


def _every_route_and_method(app):
    """(endpoint, method, path) for every rule of the URL map and every method it answers."""
    for rule in app.url_map.iter_rules():
        if not _checked(rule):
            continue
        for method in sorted(rule.methods - AUTOMATIC_METHODS):
            yield rule.endpoint, method, _path(app, rule)


@contextlib.contextmanager
def _probe(app):
    """Requests carrying PROBE_HEADER stop right after the access check, before the view: the matrix
    tries every POST of every role without changing anything (the real hook decides; only the view is
    skipped)."""

    def stop_after_access_check():
        if request.headers.get(PROBE_HEADER):
            return "reached", 299

    hooks = app.before_request_funcs.setdefault(None, [])
    hooks.append(stop_after_access_check)
    try:
        yield
    finally:
        hooks.remove(stop_after_access_check)


def _expected(app, endpoint: str, role) -> bool:
    allowed = allowed_roles(app.view_functions[endpoint])
    if role is None:
        return allowed == PUBLIC
    return allowed in (PUBLIC, SIGNED_IN) or role in allowed


def test_every_route_and_method_by_role(app, demo, browser):
    """Every rule x every method x every role (and signed out): refused exactly when the declaration says."""
    routes = list(_every_route_and_method(app))
    assert {m for _, m, _ in routes} >= {"GET", "POST"}
    assert len(routes) > 100
    problems = []
    with _probe(app):
        for role, username in [(None, None), *ROLE_USERS.items()]:
            browser.post("/logout")
            if username:
                assert browser.login(username).status_code == 302
            for endpoint, method, path in routes:
                response = browser.client.open(path, method=method, headers={PROBE_HEADER: "1"})
                reached = response.status_code == 299
                if _expected(app, endpoint, role):
                    if not reached:
                        problems.append(
                            f"{username or 'signed out'} refused {method} {path} ({response.status_code})"
                        )
                elif reached:
                    problems.append(f"{username or 'signed out'} reached {method} {path}")
                elif role is None and not (
                    response.status_code == 302 and "/login" in response.headers["Location"]
                ):
                    problems.append(
                        f"signed out {method} {path}: {response.status_code}, not sent to sign in"
                    )
                elif role is not None and response.status_code != 403:
                    problems.append(f"{username} {method} {path}: {response.status_code}, not 403")
    assert problems == []


def test_the_probe_stops_before_the_view(app, demo, browser, db_session):
    """The matrix above changes nothing: a probed POST that would deactivate a user leaves it active."""
    from wfm.models import User

    browser.login("admin")
    target = db_session.query(User).filter_by(username="hr").one()
    with _probe(app):
        response = browser.client.post(f"/admin/users/{target.id}/active", headers={PROBE_HEADER: "1"})
    assert response.status_code == 299
    db_session.refresh(target)
    assert target.active


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
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"], path


@pytest.mark.parametrize(
    ("username", "landing"),
    [("admin", "/admin/"), ("scheduler", "/planning"), ("hr", "/people"), ("agent", "/me")],
)
def test_each_role_lands_on_its_page(demo, browser, username, landing):
    response = browser.login(username)
    assert response.status_code == 302
    home = browser.get(response.headers["Location"])
    assert home.status_code == 302
    assert home.headers["Location"] == landing
    assert browser.get(landing).status_code == 200


def test_navigation_shows_only_reachable_pages(demo, browser):
    browser.login("agent")
    html = browser.get("/me").get_data(as_text=True)
    assert "My page" in html
    assert "Organisation" not in html
    assert "Planning" not in html
