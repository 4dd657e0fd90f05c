"""The planning pipeline through the API: history import (all or nothing, errors naming line and field),
forecast, requirement, shift plan and roster jobs (202, then done), publishing with lost-update refusal,
and the agent's published schedule."""

import datetime as dt

import pytest
from sqlalchemy import select

from tests.web import api_support
from tests.web.api_support import build_pipeline
from wfm.models import Agent, HistoryInterval, Job, Queue, Site, User

api, tokens = api_support.api, api_support.tokens  # the fixtures these tests use


@pytest.fixture
def pipeline(app, tokens, built, db_session):
    return built("api pipeline", lambda: build_pipeline(app, db_session, tokens["scheduler"]))


@pytest.mark.postgres
def test_the_pipeline_runs_through_the_api_and_the_agent_sees_the_published_shifts(
    app, api, pipeline, db_session
):
    scheduler = api("scheduler")
    forecast = scheduler.get(f"/api/v1/forecasts/{pipeline['forecast_id']}").json
    assert forecast["days"] == 7
    assert len(forecast["intervals"]) > 100
    assert forecast["backtest"]
    requirement = scheduler.get(f"/api/v1/requirements/{pipeline['requirement_id']}").json
    assert requirement["forecast_id"] == pipeline["forecast_id"]
    assert max(i["agents"] for i in requirement["intervals"]) > 0
    plan = scheduler.get(f"/api/v1/plans/{pipeline['plan_id']}").json
    assert plan["shifts"]
    assert plan["coverage"]
    roster = scheduler.get(f"/api/v1/rosters/{pipeline['roster_id']}").json
    assert roster["published_version"] == 1
    assert roster["cells"]
    versions = scheduler.get(f"/api/v1/rosters/{pipeline['roster_id']}/versions").json["versions"]
    assert [v["number"] for v in versions] == [1]
    version = scheduler.get(f"/api/v1/rosters/{pipeline['roster_id']}/versions/1").json
    assert len(version["assignments"]) == len(roster["cells"])

    me = db_session.scalar(select(User).where(User.username == "agent"))
    mine = sorted((c["day"], c["shift"]) for c in roster["cells"] if c["agent_id"] == me.agent_id)
    start, end = pipeline["start"], pipeline["start"] + dt.timedelta(days=6)
    schedule = api("agent").get(
        "/api/v1/me/schedule", query_string={"start": start.isoformat(), "end": end.isoformat()}
    )
    assert schedule.status_code == 200
    assert sorted((s["day"], s["shift"]) for s in schedule.json["shifts"]) == mine
    assert all(s["version"] == 1 for s in schedule.json["shifts"])
    # Agents reach no planning data.
    for path in (
        f"/api/v1/rosters/{pipeline['roster_id']}",
        f"/api/v1/forecasts/{pipeline['forecast_id']}",
        f"/api/v1/jobs/{pipeline['job_id']}",
        "/api/v1/history",
    ):
        assert api("agent").get(path).status_code == 403, path


@pytest.mark.postgres
def test_a_stale_publish_is_refused_with_409(api, pipeline):
    scheduler = api("scheduler")
    path = f"/api/v1/rosters/{pipeline['roster_id']}"
    lock = scheduler.get(path).json["lock_version"]
    assert scheduler.post(path + "/publish", json={"lock_version": lock}).status_code == 201
    stale = scheduler.post(path + "/publish", json={"lock_version": lock})
    assert stale.status_code == 409
    assert "lock_version" in stale.json["errors"]["json"]


def test_jobs_are_followed_and_finished_ones_cannot_be_cancelled(api, pipeline):
    scheduler = api("scheduler")
    job = scheduler.get(f"/api/v1/jobs/{pipeline['job_id']}").json
    assert job["status"] == "done"
    assert job["finished"]
    assert job["progress"] == 1.0
    assert job["result_urls"] == [f"/api/v1/rosters/{pipeline['roster_id']}"]
    assert scheduler.post(f"/api/v1/jobs/{pipeline['job_id']}/cancel").status_code == 409
    assert scheduler.post(f"/api/v1/jobs/{pipeline['job_id']}/retry").status_code == 409


def test_a_queued_job_can_be_cancelled(app, api, db_session):
    from wfm.jobs.lifecycle import submit

    user = db_session.scalar(select(User).where(User.username == "scheduler"))
    job = submit("forecast", "waiting", {"queue_ids": [], "start": "2025-01-01", "days": 1}, user.id)
    db_session.commit()
    response = api("scheduler").post(f"/api/v1/jobs/{job.id}/cancel")
    assert response.status_code == 202
    assert response.json["cancel_requested"] is True
    db_session.expire_all()
    assert db_session.get(Job, job.id).cancel_requested
    assert response.json["status"] == "cancelled"


def test_a_cancelled_job_is_retried_and_runs(app, api, db_session):
    from wfm.jobs.lifecycle import submit

    user = db_session.scalar(select(User).where(User.username == "scheduler"))
    job = submit("forecast", "no queues", {"queue_ids": [], "start": "2025-01-01", "days": 1}, user.id)
    db_session.commit()
    scheduler = api("scheduler")
    assert scheduler.post(f"/api/v1/jobs/{job.id}/cancel").json["status"] == "cancelled"
    retried = scheduler.post(f"/api/v1/jobs/{job.id}/retry")
    assert retried.status_code == 202, retried.json
    db_session.expire_all()
    again = db_session.get(Job, job.id)  # it ran this time: the forecast itself refuses an empty queue list
    assert again.attempts == 1
    assert not again.cancel_requested
    assert again.status.value == "failed"
    assert again.error == "None of the queues exists any more."
    # refused for what it was asked: running it again would fail the same way, so it is not retried
    refused = scheduler.post(f"/api/v1/jobs/{job.id}/retry")
    assert refused.status_code == 409
    assert "fail the same way" in refused.json["message"]
    db_session.expire_all()
    assert db_session.get(Job, job.id).attempts == 1


@pytest.mark.postgres
def test_history_reads_a_range_and_refuses_long_ones(app, api, db_session):
    from tests.web.planning_data import history_csv

    scheduler = api("scheduler")
    site = db_session.scalar(select(Site))
    made = scheduler.post(
        "/api/v1/history", json={"site_id": site.id, "csv": history_csv(dt.date(2025, 11, 2), 3)}
    )
    assert made.status_code == 201
    assert made.json["rows"] > 0
    queue = db_session.scalar(select(Queue).where(Queue.name == "Retail voice"))
    day = scheduler.get(
        "/api/v1/history", query_string={"queue_id": queue.id, "start": "2025-11-03", "end": "2025-11-03"}
    ).json
    assert len(day["intervals"]) == 40
    assert all(i["interval_start"].startswith("2025-11-03") for i in day["intervals"])
    too_long = scheduler.get(
        "/api/v1/history", query_string={"queue_id": queue.id, "start": "2025-01-01", "end": "2025-12-31"}
    )
    assert too_long.status_code == 422
    assert "end" in too_long.json["errors"]["query"]
    backwards = scheduler.get(
        "/api/v1/history", query_string={"queue_id": queue.id, "start": "2025-02-01", "end": "2025-01-01"}
    )
    assert backwards.status_code == 422


def test_a_bad_import_names_line_and_field_and_keeps_nothing(api, db_session):
    site = db_session.scalar(select(Site))
    rows = [
        {"interval_start": "2025-11-03T08:00", "queue": "Retail voice", "offered": 5},
        {"interval_start": "2025-11-03T08:15", "queue": "Retail voice", "offered": -3},
        {"interval_start": "2025-11-03T08:30", "queue": "Nowhere", "offered": 2},
    ]
    response = api("scheduler").post("/api/v1/history", json={"site_id": site.id, "intervals": rows})
    assert response.status_code == 422
    problems = response.json["errors"]["file"]
    assert any(p["line"] == 3 and p["field"] == "offered" for p in problems), problems
    assert db_session.scalar(select(HistoryInterval.id).limit(1)) is None
    both = api("scheduler").post(
        "/api/v1/history", json={"site_id": site.id, "intervals": rows[:1], "csv": "x"}
    )
    assert both.status_code == 422
    assert "csv" in both.json["errors"]["json"]


def test_forecast_and_plan_requests_are_checked_before_a_job_starts(api, db_session):
    scheduler = api("scheduler")
    assert scheduler.post("/api/v1/forecasts", json={"queue_ids": [999999], "start": "2025-01-01"}).json[
        "errors"
    ]["json"]["queue_ids"]
    too_long = scheduler.post(
        "/api/v1/forecasts", json={"queue_ids": [1], "start": "2025-01-01", "days": 500}
    )
    assert too_long.status_code == 422
    assert "days" in too_long.json["errors"]["json"]
    site = db_session.scalar(select(Site))
    no_requirement = scheduler.post(
        "/api/v1/plans",
        json={"site_id": site.id, "name": "x", "start": "2030-01-01", "template_ids": [1], "days": 7},
    )
    assert no_requirement.status_code == 422
    assert db_session.scalar(select(Job.id).limit(1)) is None


def test_paging_has_limits(api):
    scheduler = api("scheduler")
    page = scheduler.get("/api/v1/agents", query_string={"per_page": 5, "page": 2}).json
    assert len(page["items"]) == 5
    assert page["page"] == 2
    assert page["total"] > 10
    first = scheduler.get("/api/v1/agents", query_string={"per_page": 5}).json
    assert {a["id"] for a in first["items"]}.isdisjoint(a["id"] for a in page["items"])
    refused = scheduler.get("/api/v1/agents", query_string={"per_page": 1000})
    assert refused.status_code == 422
    assert "per_page" in refused.json["errors"]["query"]
    assert scheduler.get("/api/v1/agents", query_string={"page": "x"}).status_code == 422


def test_the_schedule_is_for_agents_and_has_a_range_limit(api):
    assert api("scheduler").get("/api/v1/me/schedule?start=2025-01-01&end=2025-01-07").status_code == 403
    long = api("agent").get("/api/v1/me/schedule?start=2025-01-01&end=2025-12-31")
    assert long.status_code == 422
    assert "end" in long.json["errors"]["query"]
    assert api("agent").get("/api/v1/me/schedule?start=2025-01-01").status_code == 422
    empty = api("agent").get("/api/v1/me/schedule?start=2025-01-01&end=2025-01-07")
    assert empty.status_code == 200
    assert empty.json["shifts"] == []


def test_agents_other_than_the_callers_are_not_found_for_an_agent(api, db_session):
    me = db_session.scalar(select(User).where(User.username == "agent"))
    other = db_session.scalar(select(Agent).where(Agent.id != me.agent_id))
    agent = api("agent")
    listed = agent.get("/api/v1/agents").json
    assert [a["id"] for a in listed["items"]] == [me.agent_id]
    assert listed["total"] == 1
    assert agent.get(f"/api/v1/agents/{me.agent_id}").status_code == 200
    for path in (
        f"/api/v1/agents/{other.id}",
        f"/api/v1/agents/{other.id}/skills",
        f"/api/v1/agents/{other.id}/career",
    ):
        assert agent.get(path).status_code == 404, path
    assert agent.get(f"/api/v1/agents/{me.agent_id}/skills").status_code == 200
    career = agent.get(f"/api/v1/agents/{me.agent_id}/career")
    assert career.status_code == 200
    assert career.json["fields"]
    assert api("hr").get(f"/api/v1/agents/{other.id}/career").status_code == 200
    assert api("scheduler").get(f"/api/v1/agents/{other.id}/career").status_code == 403
