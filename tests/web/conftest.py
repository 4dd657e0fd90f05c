"""Fixtures of the planning pages: a queue with seven weeks of known history, forecasts made by the page."""

import datetime as dt

import pytest
from sqlalchemy import select

from tests.web.planning_data import history_csv, upload
from wfm.models import Forecast, Queue, Site

FIRST = dt.date(2025, 11, 2)  # a Sunday
HISTORY_DAYS = 49


@pytest.fixture
def history(demo, built, browser, db_session):
    """Retail voice with seven weeks of history (08:00-18:00, Sunday to Thursday), signed in as scheduler."""

    def upload_history():
        browser.login("scheduler")
        site = db_session.scalar(select(Site))
        response = browser.post(
            "/planning/history",
            {"site_id": site.id, "kind": "intervals", "file": upload(history_csv(FIRST, HISTORY_DAYS))},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302

    built("history", upload_history)
    browser.login("scheduler")
    return db_session.scalar(select(Queue).where(Queue.name == "Retail voice"))


def forecast_via_page(browser, queue, start: dt.date, days: int = 7, method: str = "auto") -> Forecast:
    response = browser.post(
        "/planning/forecasts",
        {"queue_ids": [queue.id], "start": start.isoformat(), "days": days, "method": method},
    )
    assert response.status_code == 302
    assert "/jobs/" in response.headers["Location"]
    job_page = browser.get(response.headers["Location"])
    assert job_page.status_code == 302, job_page.get_data(as_text=True)
    from wfm.extensions import db

    return db.session.scalar(select(Forecast).order_by(Forecast.id.desc()))


def plan_via_pages(browser, queue, start: dt.date, days: int, name: str = "Week", method: str = "auto"):
    """Forecast, requirement and a shift plan of the test queue through the pages (jobs run inline); the
    plan."""
    from wfm.extensions import db
    from wfm.models import ShiftPlan, ShiftTemplate

    record = forecast_via_page(browser, queue, start, days=days, method=method)
    assert browser.post(f"/planning/forecasts/{record.id}/requirement").status_code == 302
    site = db.session.scalar(select(Site))
    templates = [t.id for t in db.session.scalars(select(ShiftTemplate))]
    response = browser.post(
        "/planning/plans",
        {
            "site_id": site.id,
            "name": name,
            "start": start.isoformat(),
            "days": days,
            "template_ids": templates,
            "column": "agents",
            "time_limit": 5,
        },
    )
    browser.get(response.headers["Location"])
    return db.session.scalar(select(ShiftPlan).order_by(ShiftPlan.id.desc()))
