"""Every API route × every method × every role, generated from the URL map: the declaration of each view
is what the hook enforces, without a token the answer is 401 JSON, and errors are JSON everywhere."""

import pytest
from flask import url_for

from tests.web import api_support
from wfm.access import PUBLIC, SIGNED_IN, allowed_roles, undeclared_endpoints
from wfm.models import Role

api, tokens = api_support.api, api_support.tokens  # the fixtures these tests use

ROLES = {"admin": Role.ADMIN, "scheduler": Role.SCHEDULER, "hr": Role.HR, "agent": Role.AGENT}


def api_routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, path) for every API rule and method, ids filled with 1."""
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        with app.test_request_context():
            path = url_for(rule.endpoint, **{arg: 1 for arg in rule.arguments})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((rule.endpoint, method, path))
    return out


def test_every_api_route_is_declared_and_in_the_walk(app):
    routes = api_routes(app)
    assert len(routes) >= 35
    assert list(undeclared_endpoints(app)) == []
    assert {e for e, _m, _p in routes} >= {
        "api_me.me",
        "api_organisation.list_queues",
        "api_jobs.get_job",
        "api_rosters.publish_roster",
        "api.openapi_json",
    }


def test_route_by_role_matrix(app, api):
    routes = api_routes(app)
    checked = 0
    for role_name, role in ROLES.items():
        caller = api(role_name)
        for endpoint, method, path in routes:
            allowed = allowed_roles(app.view_functions[endpoint])
            response = caller.open(path, method, json={} if method in ("POST", "PUT", "PATCH") else None)
            assert response.is_json, f"{role_name} {method} {path}: not JSON"
            assert response.status_code < 500, f"{role_name} {method} {path}: {response.status_code}"
            if allowed in (PUBLIC, SIGNED_IN) or role in allowed:
                assert response.status_code not in (401, 403), f"{role_name} refused {method} {path}"
            else:
                assert response.status_code == 403, (
                    f"{role_name} reached {method} {path} ({response.status_code})"
                )
                assert response.json["code"] == 403
            checked += 1
    assert checked == len(routes) * len(ROLES)


def test_without_a_token_every_route_but_the_document_answers_401(app, api):
    anonymous = api(None)
    for endpoint, method, path in api_routes(app):
        response = anonymous.open(path, method, json={} if method == "POST" else None)
        if allowed_roles(app.view_functions[endpoint]) == PUBLIC:
            assert response.status_code == 200, path
        else:
            assert response.status_code == 401, f"{method} {path}"
            assert response.is_json, f"{method} {path}"
            assert "Location" not in response.headers  # never a redirect to /login


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/no-such-thing", 404),
        ("DELETE", "/api/v1/queues", 405),
        ("PUT", "/api/v1/me", 405),
        ("GET", "/api/v1/queues/99999999999999999999", 404),
        ("GET", "/api/v1/queues/0", 404),
        ("GET", "/api/v1/queues/123456", 404),
    ],
)
def test_errors_are_json_never_html(app, api, method, path, status):
    response = api("scheduler").open(path, method)
    assert response.status_code == status
    assert response.is_json
    assert response.json["code"] == status
    assert "<html" not in response.get_data(as_text=True).lower()


def test_pages_keep_their_html_errors(app, demo, client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "text/html" in response.content_type


def test_an_uncaught_exception_is_a_500_json(app, api, monkeypatch):
    import wfm.api.me as me

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(me, "shifts_of", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = api("agent").get("/api/v1/me/schedule?start=2025-01-01&end=2025-01-02")
    assert response.status_code == 500
    assert response.is_json
    assert response.json["code"] == 500
    assert "boom" not in response.get_data(as_text=True)


def test_posts_need_no_csrf_token_but_pages_still_do(app, tokens, db_session):
    """With CSRF protection on (as in production), the API accepts a token-only POST and pages refuse
    a POST without a CSRF token."""
    from wfm import create_app
    from wfm.config import TestConfig

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        WTF_CSRF_ENABLED = True

    protected = create_app(Config)
    client = protected.test_client(use_cookies=False)
    with protected.app_context():
        response = client.post(
            "/api/v1/skills",
            json={"name": "Mortgages"},
            headers={"Authorization": f"Bearer {tokens['admin']}"},
        )
        assert response.status_code == 201, response.json
        assert (
            protected.test_client().post("/login", data={"username": "admin", "password": "demo"}).status_code
            == 400
        )
