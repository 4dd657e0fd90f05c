"""KPI import through the JSON API: validated by the file import's parser, for planners' and HR's tokens
(never an agent's), idempotent per agent and day, and a bad row refuses the whole batch naming row and
field."""

from __future__ import annotations

from sqlalchemy import select

from tests.web import api_support
from wfm.models import Agent
from wfm.models.talent import AgentKpi

api, tokens = api_support.api, api_support.tokens  # the fixtures these tests use


def row(agent: str, day: str, handle=300, fcr=80, csat=90) -> dict:
    return {"employee_number": agent, "day": day, "handle_seconds": handle, "fcr": fcr, "csat": csat}


def stored(db_session) -> dict:
    db_session.expire_all()
    numbers = {a.id: a.employee_number for a in db_session.scalars(select(Agent))}
    return {
        (numbers[k.agent_id], k.day.isoformat()): (k.handle_seconds, k.fcr, k.csat)
        for k in db_session.scalars(select(AgentKpi))
    }


def _numbers(db_session) -> list[str]:
    return [a.employee_number for a in db_session.scalars(select(Agent).order_by(Agent.id).limit(2))]


def test_a_batch_is_stored_and_sending_it_again_replaces_not_adds(api, db_session):
    a, b = _numbers(db_session)
    db_session.execute(AgentKpi.__table__.delete())
    db_session.commit()
    batch = [row(a, "2026-03-02", 280), row(a, "2026-03-03", 340), row(b, "2026-03-02", 200, 90, 95)]
    first = api("hr").post("/api/v1/kpis", json={"kpis": batch})
    assert first.status_code == 200, first.json
    assert first.json == {"new": 3, "replaced": 0}
    again = api("scheduler").post(
        "/api/v1/kpis", json={"kpis": [*batch[:2], row(b, "2026-03-02", 210, 91, 96)]}
    )
    assert again.json == {"new": 0, "replaced": 3}
    assert stored(db_session) == {
        (a, "2026-03-02"): (280, 80, 90),
        (a, "2026-03-03"): (340, 80, 90),
        (b, "2026-03-02"): (210, 91, 96),
    }


def test_a_bad_row_refuses_the_batch_naming_row_and_field(api, db_session):
    a, b = _numbers(db_session)
    db_session.execute(AgentKpi.__table__.delete())
    db_session.commit()
    hr = api("hr")
    cases = [
        ([row(a, "2026-03-02"), row(b, "2026-03-02", csat=190)], 2, "csat"),
        ([row(a, "2026-03-02"), row(a, "2026-03-32")], 2, "day"),
        ([row(a, "2026-03-02", handle="long")], 1, "handle_seconds"),
        ([row(a, "2026-03-02"), row(b, "2026-03-02"), row("NOBODY", "2026-03-02")], 3, "employee_number"),
        ([row(a, "2026-03-02"), row(a, "2026-03-02")], 2, "day"),
    ]
    for batch, bad_row, field in cases:
        answer = hr.post("/api/v1/kpis", json={"kpis": batch})
        assert answer.status_code == 422, (batch, answer.json)
        [problem] = answer.json["errors"]["kpis"]
        assert (problem["row"], problem["field"]) == (bad_row, field)
        assert problem["message"].startswith(f"Row {bad_row}: ")
        assert "Nothing was recorded" in answer.json["message"]
        assert stored(db_session) == {}


def test_an_agent_cannot_post_kpis(api, db_session):
    a, _b = _numbers(db_session)
    db_session.execute(AgentKpi.__table__.delete())
    db_session.commit()
    assert api("agent").post("/api/v1/kpis", json={"kpis": [row(a, "2026-03-02")]}).status_code == 403
    assert api(None).post("/api/v1/kpis", json={"kpis": [row(a, "2026-03-02")]}).status_code == 401
    assert stored(db_session) == {}
