"""Helpers of the API tests: a token per demo role and a client that sends it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from wfm.models import User

ROLE_USERS = {"admin": "admin", "scheduler": "scheduler", "hr": "hr", "agent": "agent"}


class Api:
    """The test client with `Authorization: Bearer` set; never a session cookie."""

    def __init__(self, app, secret: str | None):
        self.client = app.test_client(use_cookies=False)
        self.secret = secret

    def _headers(self, headers: dict | None) -> dict:
        out = dict(headers or {})
        if self.secret is not None:
            out.setdefault("Authorization", f"Bearer {self.secret}")
        return out

    def get(self, path: str, headers: dict | None = None, **kwargs):
        return self.client.get(path, headers=self._headers(headers), **kwargs)

    def post(self, path: str, json=None, headers: dict | None = None, **kwargs):
        return self.client.post(path, json=json, headers=self._headers(headers), **kwargs)

    def open(self, path: str, method: str, **kwargs):
        return self.client.open(
            path, method=method, headers=self._headers(kwargs.pop("headers", None)), **kwargs
        )


def make_token(db_session, username: str, **kwargs) -> str:
    from wfm.api.tokens import create_token

    user = db_session.scalar(select(User).where(User.username == username))
    _token, secret = create_token(user, f"tests {username}", **kwargs)
    db_session.commit()
    return secret


@pytest.fixture
def tokens(demo, built, db_session) -> dict[str, str]:
    return built(
        "demo tokens",
        lambda: {role: make_token(db_session, username) for role, username in ROLE_USERS.items()},
    )


@pytest.fixture
def api(app, tokens):
    """api(role) -> a client calling as that demo role; api(None) calls without a token."""
    return lambda role: Api(app, tokens[role] if role else None)


def build_pipeline(app, db_session, secret: str, days: int = 7) -> dict:
    """History → forecast → requirement → shift plan → roster → published, all through the API (the jobs
    run inline); returns the ids made."""
    import datetime as dt

    from tests.web.planning_data import history_csv
    from wfm.models import Queue, ShiftTemplate, Site
    from wfm.rosters.problem import rules_for

    first, history_days = dt.date(2025, 11, 2), 49
    start = first + dt.timedelta(days=history_days)
    api = Api(app, secret)
    site = db_session.scalar(select(Site))
    imported = api.post(
        "/api/v1/history",
        json={"site_id": site.id, "csv": history_csv(first, history_days), "filename": "history.csv"},
    )
    assert imported.status_code == 201, imported.json
    retail = db_session.scalar(select(Queue).where(Queue.name == "Retail voice"))
    job = api.post(
        "/api/v1/forecasts", json={"queue_ids": [retail.id], "start": start.isoformat(), "days": days}
    )
    assert job.status_code == 202, job.json
    assert job.json["status"] == "done", job.json
    forecast_id = int(job.json["result_urls"][0].rsplit("/", 1)[1])
    requirement = api.post("/api/v1/requirements", json={"forecast_id": forecast_id})
    assert requirement.status_code == 201, requirement.json
    rules_for(site).hours_below_contract = 40
    db_session.scalar(select(ShiftTemplate).where(ShiftTemplate.name == "Day")).queue_ids = [retail.id]
    db_session.commit()
    templates = [
        t.id for t in db_session.scalars(select(ShiftTemplate).where(ShiftTemplate.site_id == site.id))
    ]
    plan_job = api.post(
        "/api/v1/plans",
        json={
            "site_id": site.id,
            "name": "API week",
            "start": start.isoformat(),
            "days": days,
            "template_ids": templates,
            "column": "agents",
            "time_limit": 5,
        },
    )
    assert plan_job.status_code == 202, plan_job.json
    assert plan_job.json["status"] == "done", plan_job.json
    plan_id = int(plan_job.json["result_urls"][0].rsplit("/", 1)[1])
    roster_job = api.post(
        "/api/v1/rosters",
        json={
            "plan_id": plan_id,
            "name": "API roster",
            "start": start.isoformat(),
            "days": days,
            "time_limit": 6,
        },
    )
    assert roster_job.status_code == 202, roster_job.json
    assert roster_job.json["status"] == "done", roster_job.json
    roster_id = int(roster_job.json["result_urls"][0].rsplit("/", 1)[1])
    lock = api.get(f"/api/v1/rosters/{roster_id}").json["lock_version"]
    published = api.post(f"/api/v1/rosters/{roster_id}/publish", json={"lock_version": lock})
    assert published.status_code == 201, published.json
    return {
        "site_id": site.id,
        "queue_id": retail.id,
        "forecast_id": forecast_id,
        "requirement_id": requirement.json["id"],
        "plan_id": plan_id,
        "roster_id": roster_id,
        "job_id": roster_job.json["id"],
        "start": start,
        "days": days,
        "number": published.json["number"],
    }
