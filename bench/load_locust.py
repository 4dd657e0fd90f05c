"""Locust users of the load test (run by bench/load.py, which builds the database and serves the app).

Four kinds of user, as the centre has them: schedulers (planning, forecasts, a 4-week roster grid), HR
(careers, the people dashboard), agents (their own week and month) and API clients with Bearer tokens.
Every request is named by its endpoint group so the summary table reads by page, not by URL. The targets
(ids, logins, tokens) come from the JSON file named by BENCH_TARGETS, written by bench/load.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
from pathlib import Path

from locust import HttpUser, between, task

TARGETS = json.loads(Path(os.environ["BENCH_TARGETS"]).read_text(encoding="utf-8"))
_agent_logins = itertools.cycle(TARGETS["agent_logins"])
_agent_tokens = itertools.cycle(TARGETS["agent_tokens"])
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class _Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    username = ""

    def on_start(self) -> None:
        page = self.client.get("/login", name="sign in")
        token = CSRF.search(page.text)
        self.client.post(
            "/login",
            name="sign in",
            allow_redirects=False,
            data={
                "username": self.username,
                "password": "demo",
                "csrf_token": token.group(1) if token else "",
            },
        )

    def page(self, path: str, group: str) -> None:
        with self.client.get(path, name=group, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"{path}: HTTP {response.status_code}")


class Scheduler(_Person):
    weight = 3
    username = "scheduler"

    @task(3)
    def planning(self):
        self.page("/planning", "planning")

    @task(2)
    def forecasts(self):
        self.page("/planning/forecasts", "forecast list")

    @task(2)
    def forecast(self):
        self.page(f"/planning/forecasts/{TARGETS['forecast_ids'][0]}", "forecast page")

    @task(3)
    def roster_grid(self):
        self.page(f"/rosters/{TARGETS['roster_id']}", "roster grid (a week of 4, the default page)")


class HR(_Person):
    weight = 2
    username = "hr"

    @task(2)
    def careers(self):
        self.page("/careers/", "careers")

    @task(2)
    def profile(self):
        self.page(f"/careers/agents/{TARGETS['agent_ids'][0]}", "careers profile")

    @task(2)
    def people(self):
        self.page("/people", "people dashboard")


class Agent(_Person):
    weight = 4

    def on_start(self) -> None:
        self.username = next(_agent_logins)
        super().on_start()

    @task(3)
    def week(self):
        self.page(f"/my/schedule?date={TARGETS['first_day']}", "my schedule (week)")

    @task(2)
    def month(self):
        self.page(f"/my/schedule?view=month&date={TARGETS['first_day']}", "my schedule (month)")

    @task(1)
    def my_career(self):
        self.page("/careers/me", "careers (agent)")


class Api(HttpUser):
    """Bearer-token clients: half as the scheduler (lists and details), half as agents (their schedule)."""

    weight = 3
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.scheduler = {"Authorization": f"Bearer {TARGETS['scheduler_token']}"}
        self.agent = {"Authorization": f"Bearer {next(_agent_tokens)}"}

    def call(self, path: str, group: str, headers: dict) -> None:
        with self.client.get(path, name=group, headers=headers, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{path}: HTTP {response.status_code}")

    @task(1)
    def me(self):
        self.call("/api/v1/me", "api me", self.agent)

    @task(2)
    def lists(self):
        for path in ("/api/v1/queues", "/api/v1/agents", "/api/v1/forecasts", "/api/v1/rosters"):
            self.call(path, "api lists", self.scheduler)

    @task(2)
    def details(self):
        self.call(f"/api/v1/agents/{TARGETS['agent_ids'][0]}", "api details", self.scheduler)
        self.call(f"/api/v1/forecasts/{TARGETS['forecast_ids'][0]}", "api details", self.scheduler)
        self.call(f"/api/v1/rosters/{TARGETS['roster_id']}", "api roster (4 weeks)", self.scheduler)

    @task(3)
    def my_schedule(self):
        first = dt.date.fromisoformat(TARGETS["first_day"])
        self.call(
            f"/api/v1/me/schedule?start={first}&end={first + dt.timedelta(days=27)}",
            "api my schedule",
            self.agent,
        )
