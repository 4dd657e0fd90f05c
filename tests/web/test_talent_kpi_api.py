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


def _seed(db_session, days: int = 6) -> tuple[list[Agent], list[tuple[int, str]]]:
    """Three agents with `days` KPI days each (the first agent is the demo user "agent"), and an adherence
    record for the first agent's first day; returns the agents and every (agent id, day) stored."""
    import datetime as dt

    from wfm.models import User
    from wfm.models.intraday import AdherenceDay

    db_session.execute(AgentKpi.__table__.delete())
    me = db_session.scalar(select(User).where(User.username == "agent")).agent
    others = db_session.scalars(select(Agent).where(Agent.id != me.id).order_by(Agent.id).limit(2)).all()
    agents = [me, *others]
    first = dt.date(2026, 3, 2)
    stored = []
    for a in agents:
        for n in range(days):
            day = first + dt.timedelta(days=n)
            db_session.add(AgentKpi(agent_id=a.id, day=day, handle_seconds=200 + n, fcr=70 + n, csat=80 + n))
            stored.append((a.id, day.isoformat()))
    db_session.execute(AdherenceDay.__table__.delete().where(AdherenceDay.agent_id == me.id))
    db_session.add(
        AdherenceDay(
            agent_id=me.id,
            day=first,
            scheduled_minutes=480,
            adherent_minutes=420,
            worked_minutes=480,
            adherence=420 / 480,
            conformance=1.0,
        )
    )
    db_session.commit()
    return agents, stored


def _all_pages(caller, query: str) -> list[dict]:
    items, page = [], 1
    while True:
        answer = caller.get(f"/api/v1/kpis?per_page=4&page={page}{query}")
        assert answer.status_code == 200, answer.json
        items += answer.json["items"]
        if page * 4 >= answer.json["total"]:
            return items
        page += 1


def test_planners_and_hr_read_every_agents_days_a_page_at_a_time(api, db_session):
    agents, stored = _seed(db_session)
    for role in ("hr", "scheduler", "admin"):
        items = _all_pages(api(role), "")
        assert sorted((i["agent_id"], i["day"]) for i in items) == sorted(stored)
        assert [i["day"] for i in items] == sorted((i["day"] for i in items), reverse=True)
    first = api("hr").get("/api/v1/kpis?per_page=4").json
    assert (first["total"], len(first["items"]), first["page"]) == (len(stored), 4, 1)
    one = agents[1]
    only = _all_pages(api("hr"), f"&agent_id={one.id}&start=2026-03-03&end=2026-03-05")
    assert sorted(i["day"] for i in only) == ["2026-03-03", "2026-03-04", "2026-03-05"]
    assert {(i["agent_id"], i["employee_number"]) for i in only} == {(one.id, one.employee_number)}
    assert {i["handle_seconds"] for i in only} == {201.0, 202.0, 203.0}
    adherence = {(i["agent_id"], i["day"]): i["adherence"] for i in _all_pages(api("hr"), "")}
    assert adherence[agents[0].id, "2026-03-02"] == 87.5  # 420 of 480 minutes
    assert [k for k, v in adherence.items() if v is not None] == [(agents[0].id, "2026-03-02")]


def test_an_agent_reads_only_their_own_days(api, db_session):
    agents, stored = _seed(db_session)
    me, other = agents[0], agents[1]
    mine = _all_pages(api("agent"), "")
    assert sorted((i["agent_id"], i["day"]) for i in mine) == sorted(s for s in stored if s[0] == me.id)
    assert _all_pages(api("agent"), f"&agent_id={me.id}&end=2026-03-03") == [
        i for i in mine if i["day"] <= "2026-03-03"
    ]
    refused = api("agent").get(f"/api/v1/kpis?agent_id={other.id}")
    assert refused.status_code == 404
    assert str(other.employee_number) not in refused.get_data(as_text=True)
    assert api(None).get("/api/v1/kpis").status_code == 401


def test_a_bad_filter_is_refused_naming_it(api, db_session):
    _seed(db_session, days=1)
    hr = api("hr")
    backwards = hr.get("/api/v1/kpis?start=2026-03-05&end=2026-03-01")
    assert backwards.status_code == 422
    assert "end" in backwards.json["errors"]["query"]
    assert "start" in hr.get("/api/v1/kpis?start=March").json["errors"]["query"]
    assert "per_page" in hr.get("/api/v1/kpis?per_page=0").json["errors"]["query"]
    spec = api(None).get("/api/v1/openapi.json").json
    assert {"get", "post"} <= set(spec["paths"]["/api/v1/kpis"])
    names = {p["name"] for p in spec["paths"]["/api/v1/kpis"]["get"]["parameters"]}
    assert names >= {"agent_id", "start", "end", "page", "per_page"}
