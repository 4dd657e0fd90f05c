"""A redirect or link taken from the request (`next`, `back`) only ever goes to a path of this site."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from wfm.models import Agent, Assessment, User
from wfm.security.redirects import safe_path

HOSTILE = [
    "//evil.example",
    "//evil.example/path",
    "https://evil.example/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "/\\evil.example",
    "\\\\evil.example",
    " /people",
    "/peo\nple",
    "/\t/evil.example",
    "evil.example",
    "data:text/html,hi",
    "",
    None,
]


@pytest.mark.parametrize("target", HOSTILE)
def test_safe_path_refuses_anything_but_a_local_path(target):
    assert safe_path(target, "/home") == "/home"


@pytest.mark.parametrize("target", ["/people", "/careers/agents/3?field=x&level=2", "/careers/#top"])
def test_safe_path_keeps_a_local_path(target):
    assert safe_path(target, "/home") == target


def _submitted(db_session, browser) -> Assessment:
    me = db_session.scalar(select(User).where(User.username == "agent"))
    browser.login("agent")
    assert (
        browser.post(
            "/careers/me/evidence",
            {"competency": "english", "proficiency": "2", "evidence": "B2 certificate"},
        ).status_code
        == 302
    )
    browser.client.post("/logout")
    browser.login("hr")
    return db_session.scalar(select(Assessment).where(Assessment.agent_id == me.agent_id))


@pytest.mark.parametrize("back", ["//evil.example", "/\\evil.example", "https://evil.example/x"])
def test_evidence_decision_never_redirects_off_site(demo, browser, db_session, back):
    row = _submitted(db_session, browser)
    response = browser.post(f"/careers/evidence/{row.id}", {"to": "validated", "back": back})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "evil" not in location
    assert location.startswith("/")
    assert not location.startswith("//")


@pytest.mark.parametrize("back", ["javascript:alert(1)", "//evil.example"])
def test_evidence_refusal_page_links_only_to_this_site(demo, browser, db_session, back):
    row = _submitted(db_session, browser)
    refused = browser.post(f"/careers/evidence/{row.id}", {"to": "rejected", "note": "", "back": back})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "needs a note" in html.replace("&#39;", "'")
    assert "javascript:" not in html
    assert "evil.example" not in html
    agent = db_session.get(Agent, row.agent_id)
    assert f'action="/careers/agents/{agent.id}/evidence"' in html  # the refusal is the agent's profile again


def test_a_local_back_is_followed(demo, browser, db_session):
    row = _submitted(db_session, browser)
    response = browser.post(f"/careers/evidence/{row.id}", {"to": "validated", "back": "/careers/"})
    assert response.headers["Location"] == "/careers/"
