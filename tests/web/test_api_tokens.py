"""API tokens: made once and shown once, stored as a hash, used, expired, revoked; and the API is
token-only: a signed-in browser session gets nothing from it."""

import datetime as dt
import hashlib

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.web import api_support
from tests.web.api_support import Api, make_token
from wfm.api.tokens import TOUCH_EVERY, user_for
from wfm.models import ApiToken, User

api, tokens = api_support.api, api_support.tokens  # the fixtures these tests use


def test_only_the_hash_is_stored_and_the_token_works(app, demo, db_session):
    secret = make_token(db_session, "scheduler")
    assert secret.startswith("wfm_")
    assert len(secret) > 40
    row = db_session.scalar(select(ApiToken))
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert row.prefix == secret[:12]
    assert secret not in (row.token_hash, row.prefix)
    response = Api(app, secret).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json["username"] == "scheduler"
    assert response.json["roles"] == ["scheduler"]
    assert "Set-Cookie" not in response.headers


def test_missing_wrong_and_malformed_tokens_get_401_json(app, demo, db_session):
    make_token(db_session, "scheduler")
    for headers in (
        {},
        {"Authorization": "Bearer wfm_not-a-token"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer " + "x" * 500},
    ):
        response = app.test_client().get("/api/v1/queues", headers=headers)
        assert response.status_code == 401, headers
        assert response.is_json
        assert response.json["code"] == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_expired_revoked_and_deactivated_tokens_are_refused(app, demo, db_session):
    from wfm.api.tokens import revoke

    expiring = make_token(db_session, "scheduler", expires_in_days=1)
    assert Api(app, expiring).get("/api/v1/me").status_code == 200
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=2)
    assert user_for(expiring, now=later) is None
    row = db_session.scalar(select(ApiToken).where(ApiToken.prefix == expiring[:12]))
    row.expires_at = dt.datetime(2000, 1, 1)
    db_session.commit()
    assert Api(app, expiring).get("/api/v1/me").status_code == 401

    revoked = make_token(db_session, "admin")
    revoke(db_session.scalar(select(ApiToken).where(ApiToken.prefix == revoked[:12])))
    db_session.commit()
    assert Api(app, revoked).get("/api/v1/me").status_code == 401

    hr = make_token(db_session, "hr")
    db_session.scalar(select(User).where(User.username == "hr")).active = False
    db_session.commit()
    assert Api(app, hr).get("/api/v1/me").status_code == 401


@pytest.mark.postgres
def test_last_use_is_written_at_most_once_a_minute(app, demo, db_session):
    secret = make_token(db_session, "scheduler")
    assert Api(app, secret).get("/api/v1/me").status_code == 200
    db_session.expire_all()
    first = db_session.scalar(select(ApiToken)).last_used_at
    assert first is not None
    assert Api(app, secret).get("/api/v1/me").status_code == 200
    db_session.expire_all()
    assert db_session.scalar(select(ApiToken)).last_used_at == first  # within the minute: not written again
    assert user_for(secret, now=first + TOUCH_EVERY) is not None
    db_session.expire_all()
    assert db_session.scalar(select(ApiToken)).last_used_at == first + TOUCH_EVERY


def test_a_signed_in_browser_session_is_not_an_api_login(app, demo, browser):
    assert browser.login("admin").status_code == 302
    assert browser.get("/admin/").status_code == 200
    response = browser.get("/api/v1/me")
    assert response.status_code == 401
    assert response.is_json


def test_the_tokens_page_makes_shows_once_lists_and_revokes(app, demo, browser, db_session):
    browser.login("agent")
    page = browser.get("/account/tokens")
    assert page.status_code == 200
    assert "API tokens" in page.get_data(as_text=True)
    assert "API tokens" in browser.get("/me").get_data(as_text=True)  # in the navigation
    response = browser.post("/account/tokens", {"name": "my phone", "expires_in_days": 30})
    assert response.status_code == 200  # the secret is shown on this answer only
    shown = response.get_data(as_text=True)
    row = db_session.scalar(select(ApiToken))
    assert row.name == "my phone"
    assert row.expires_at is not None
    start = shown.index('data-testid="new-token">') + len('data-testid="new-token">')
    secret = shown[start : shown.index("<", start)]
    assert secret.startswith(row.prefix)
    assert hashlib.sha256(secret.encode()).hexdigest() == row.token_hash
    again = browser.get("/account/tokens").get_data(as_text=True)
    # shown once; the prefix stays to tell tokens apart
    assert secret not in again
    assert row.prefix in again
    assert Api(app, secret).get("/api/v1/me").json["username"] == "agent"
    assert browser.post("/account/tokens", {"name": ""}).status_code == 400
    assert browser.post(f"/account/tokens/{row.id}/revoke").status_code == 302
    assert Api(app, secret).get("/api/v1/me").status_code == 401
    assert "revoked" in browser.get("/account/tokens").get_data(as_text=True)


def test_nobody_revokes_another_users_token(app, demo, browser, db_session):
    secret = make_token(db_session, "scheduler")
    row = db_session.scalar(select(ApiToken))
    browser.login("agent")
    assert browser.post(f"/account/tokens/{row.id}/revoke").status_code == 404
    assert Api(app, secret).get("/api/v1/me").status_code == 200
    assert secret[:12] not in browser.get("/account/tokens").get_data(as_text=True)


def test_the_tokens_command_creates_lists_and_revokes(app, demo, db_session):
    from wfm.cli import main

    runner = CliRunner()
    env = {"FLASK_APP": ""}

    def run(*args):
        with app.app_context():
            return runner.invoke(main, list(args), obj=_script_info(app), env=env, catch_exceptions=False)

    made = run("tokens", "create", "scheduler", "--name", "nightly", "--expires-in-days", "7")
    assert made.exit_code == 0, made.output
    secret = made.output.strip().splitlines()[-1]
    assert secret.startswith("wfm_")
    assert Api(app, secret).get("/api/v1/queues").status_code == 200
    listed = run("tokens", "list", "scheduler")
    assert "nightly" in listed.output
    assert secret[:12] in listed.output
    assert secret not in listed.output
    token_id = db_session.scalar(select(ApiToken.id))
    assert run("tokens", "revoke", str(token_id)).exit_code == 0
    assert Api(app, secret).get("/api/v1/queues").status_code == 401
    assert run("tokens", "create", "nobody", "--name", "x").exit_code != 0


def _script_info(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)


def test_the_api_page_lists_every_endpoint_with_its_roles(app, demo, browser):
    browser.login("agent")
    html = browser.get("/account/api").get_data(as_text=True)
    assert "/api/v1/me/schedule" in html
    assert "/api/v1/rosters/{roster_id}/publish" in html
    assert "admin, scheduler" in html
    assert "openapi.json" in html


def test_the_openapi_document_is_public_and_describes_bearer_tokens(app, demo, client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "wfm_<secret>",
        "description": "A personal token from /account/tokens or `wfm tokens create`.",
    }
    assert spec["security"] == [{"bearerAuth": []}]
    for path in (
        "/api/v1/me",
        "/api/v1/queues",
        "/api/v1/agents/{agent_id}",
        "/api/v1/forecasts/{forecast_id}",
        "/api/v1/rosters/{roster_id}",
        "/api/v1/me/schedule",
        "/api/v1/jobs/{job_id}",
    ):
        assert "get" in spec["paths"][path], path
