"""Actuals of the day through the API and the file drop: late data replaces, repeats are ignored, a bad
row refuses the whole batch naming the row and field, and nothing is half-written."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from tests.web import api_support
from wfm.cli import main
from wfm.models import AgentStateEvent, Queue, QueueActual

api, tokens = api_support.api, api_support.tokens  # the fixtures these tests use

RETAIL = "Retail voice"


def interval(start: str, offered: int, answered: int, **extra) -> dict:
    return {"interval_start": start, "queue": RETAIL, "offered": offered, "answered": answered, **extra}


def event(event_id: str, at: str, state: str, agent: str = "A001", **extra) -> dict:
    return {"event_id": event_id, "agent": agent, "at": at, "state": state, **extra}


def stored(db_session) -> dict:
    rows = db_session.scalars(select(QueueActual).order_by(QueueActual.interval_start)).all()
    return {r.interval_start.strftime("%H:%M"): (r.offered, r.answered, r.times_sent) for r in rows}


@pytest.mark.postgres
def test_a_late_interval_replaces_the_earlier_one_and_nothing_is_counted_twice(api, db_session):
    scheduler = api("scheduler")
    first = scheduler.post(
        "/api/v1/actuals/intervals",
        json={"intervals": [interval("2026-03-02T08:00", 40, 36), interval("2026-03-02T08:15", 50, 45)]},
    )
    assert first.status_code == 200, first.json
    assert first.json == {"new": 2, "replaced": 0, "repeated": 0}
    # the 08:15 figures are corrected later, and 08:30 arrives
    late = scheduler.post(
        "/api/v1/actuals/intervals",
        json={"intervals": [interval("2026-03-02T08:15", 52, 47), interval("2026-03-02T08:30", 30, 30)]},
    )
    assert late.json == {"new": 1, "replaced": 1, "repeated": 0}
    assert stored(db_session) == {"08:00": (40, 36, 1), "08:15": (52, 47, 2), "08:30": (30, 30, 1)}
    queue = db_session.scalar(select(Queue).where(Queue.name == RETAIL))
    day = scheduler.get(f"/api/v1/actuals/intervals?queue_id={queue.id}&day=2026-03-02").json
    assert sum(i["offered"] for i in day["intervals"]) == 40 + 52 + 30


def test_a_bad_row_refuses_the_whole_batch_naming_row_and_field(api, db_session):
    scheduler = api("scheduler")
    answer = scheduler.post(
        "/api/v1/actuals/intervals",
        json={
            "intervals": [
                interval("2026-03-02T08:00", 40, 36),
                interval("2026-03-02T08:15", 10, 12),  # more answered than offered
                interval("2026-03-02T08:07", 5, 5),  # not an interval start
                {**interval("2026-03-02T08:45", 5, 5), "queue": "Nowhere"},
                interval("2026-03-02T09:00", "many", 5),
            ]
        },
    )
    assert answer.status_code == 422
    problems = {(p["row"], p["field"]) for p in answer.json["errors"]["intervals"]}
    assert problems == {(2, "answered"), (3, "interval_start"), (4, "queue"), (5, "offered")}
    assert "Nothing was recorded" in answer.json["message"]
    assert stored(db_session) == {}


def test_events_are_recorded_once_per_event_id(api, db_session):
    scheduler = api("scheduler")
    batch = [
        event("e1", "2026-03-02T08:00:00", "signed_in"),
        event("e2", "2026-03-02T08:01:00", "on_contact", queue=RETAIL),
        event("e2", "2026-03-02T08:01:00", "on_contact", queue=RETAIL),  # repeated inside the batch
    ]
    assert scheduler.post("/api/v1/actuals/events", json={"events": batch}).json == {
        "new": 2,
        "replaced": 0,
        "repeated": 1,
    }
    again = scheduler.post(
        "/api/v1/actuals/events", json={"events": [*batch[:2], event("e3", "2026-03-02T08:09:00", "break")]}
    )
    assert again.json == {"new": 1, "replaced": 0, "repeated": 2}
    assert db_session.scalar(select(func.count()).select_from(AgentStateEvent)) == 3


def test_malformed_events_name_the_field(api, db_session):
    answer = api("scheduler").post(
        "/api/v1/actuals/events",
        json={
            "events": [
                event("e1", "2026-03-02T08:00:00", "signed_in"),
                event("e2", "yesterday", "available"),
                event("e3", "2026-03-02T08:02:00", "napping"),
                event("e4", "2026-03-02T08:03:00", "on_contact"),  # its queue is missing
                event("e5", "2026-03-02T08:04:00", "available", agent="Z999"),
            ]
        },
    )
    assert answer.status_code == 422
    problems = {(p["row"], p["field"]) for p in answer.json["errors"]["events"]}
    assert problems == {(2, "at"), (3, "state"), (4, "queue"), (5, "agent")}
    assert db_session.scalar(select(func.count()).select_from(AgentStateEvent)) == 0


def test_agents_and_callers_without_a_token_cannot_send_actuals(api):
    body = {"intervals": [interval("2026-03-02T08:00", 4, 4)]}
    assert api("agent").post("/api/v1/actuals/intervals", json=body).status_code == 403
    assert api(None).post("/api/v1/actuals/intervals", json=body).status_code == 401


def test_the_file_drop_records_intervals_and_events_and_refuses_a_bad_file_whole(
    app, demo, db_session, tmp_path
):
    runner = app.test_cli_runner()
    good = tmp_path / "intervals.csv"
    good.write_text(
        "interval_start,queue,offered,answered,abandoned,answered_within_target,aht_seconds\n"
        f"2026-03-02T08:00,{RETAIL},40,36,4,30,210\n"
        f"2026-03-02T08:15,PS,50,45,5,40,190\n"  # the queue's import code
    )
    result = runner.invoke(main, ["actuals", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "2 new intervals" in result.output
    again = runner.invoke(main, ["actuals", "import", str(good)])
    assert "0 new intervals, 2 intervals replacing" in again.output
    assert stored(db_session) == {"08:00": (40, 36, 2), "08:15": (50, 45, 2)}

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "interval_start,queue,offered,answered\n"
        f"2026-03-02T09:00,{RETAIL},40,36\n"
        f"2026-03-02T09:15,{RETAIL},-1,0\n"
    )
    refused = runner.invoke(main, ["actuals", "import", str(bad)])
    assert refused.exit_code != 0
    assert "row 2, offered" in refused.output
    assert "09:00" not in stored(db_session)

    events = tmp_path / "events.json"
    events.write_text(json.dumps({"events": [event("x1", "2026-03-02T08:00:00", "available")]}))
    assert "1 new event," in runner.invoke(main, ["actuals", "import", str(events)]).output
    assert "0 new events, 1 repeat ignored" in runner.invoke(main, ["actuals", "import", str(events)]).output


def test_a_refused_batch_says_why_in_the_callers_language(api, db_session):
    rows = [
        interval("2026-03-02T08:00", 40, 36),
        interval("2026-03-02T08:15", 10, 12),  # more answered than offered
        {**interval("2026-03-02T08:45", 5, 5), "queue": "Nowhere"},
    ]
    chinese = api("scheduler").post(
        "/api/v1/actuals/intervals", json={"intervals": rows}, headers={"Accept-Language": "zh-CN"}
    )
    assert chinese.status_code == 422
    assert chinese.json["message"] == "未记录任何数据：时段数据中有 2 个问题。"
    messages = {(p["row"], p["field"]): p["message"] for p in chinese.json["errors"]["intervals"]}
    assert messages == {
        (2, "answered"): "接听量与放弃量之和超过了进线量。",
        (3, "queue"): "没有名为“Nowhere”的有效队列（填写队列名称或导入代码）。",
    }
    english = api("scheduler").post("/api/v1/actuals/intervals", json={"intervals": rows[:2]})
    assert english.json["message"] == "Nothing was recorded: 1 problem in the intervals."
    assert (
        english.json["errors"]["intervals"][0]["message"] == "answered and abandoned together exceed offered."
    )
    assert stored(db_session) == {}
