"""History imported through the page and the API is bounded like the engine's files, and a file's intervals
never overlap intervals of another length already kept for a queue."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from tests.web import api_support
from tests.web.planning_data import history_csv, upload
from wfm.models import HistoryInterval, Site

api, tokens = api_support.api, api_support.tokens  # the fixtures these tests use
FIRST = dt.date(2026, 1, 4)
HEADER = "interval_start,queue,offered,handled,abandoned,aht_seconds\n"


def _post(browser, db_session, text: str, minutes: str = ""):
    site = db_session.scalar(select(Site))
    return browser.post(
        "/planning/history",
        {"site_id": site.id, "kind": "intervals", "interval_minutes": minutes, "file": upload(text)},
        content_type="multipart/form-data",
    )


def _rows(db_session) -> list[tuple]:
    return db_session.execute(
        select(
            HistoryInterval.interval_start, HistoryInterval.interval_minutes, HistoryInterval.offered
        ).order_by(HistoryInterval.interval_start)
    ).all()


def _count(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(HistoryInterval))


def test_absurd_values_are_refused_by_line_and_field(demo, browser, db_session):
    browser.login("scheduler")
    text = HEADER + (
        "2026-01-04T09:00:00,Retail voice,1e308,,,\n"
        "2026-01-04T09:15:00,Retail voice,5,50,30,\n"
        "2099-01-04T09:30:00,Retail voice,5,,,\n"
        "0001-01-04T09:45:00,Retail voice,5,,,\n"
    )
    response = _post(browser, db_session, text)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported" in html
    for line, field in (
        (2, "offered"),
        (3, "handled"),
        (3, "abandoned"),
        (4, "interval_start"),
        (5, "interval_start"),
    ):
        assert f'<td class="num">{line}</td><td>{field}</td>' in html
    assert _count(db_session) == 0


def test_a_single_row_takes_the_queues_interval_and_never_overlaps(demo, browser, db_session):
    browser.login("scheduler")
    alone = HEADER + "2026-01-04T09:00:00,Retail voice,5,,,\n"
    refused = _post(browser, db_session, alone)
    assert refused.status_code == 400
    assert "give the interval length" in refused.get_data(as_text=True)
    assert _count(db_session) == 0
    assert _post(browser, db_session, history_csv(FIRST, 1)).status_code == 302
    before = _rows(db_session)
    assert {m for _s, m, _o in before} == {15}
    # one more row without a length: the queue's 15 minutes, replacing the 09:00 interval only
    assert _post(browser, db_session, alone).status_code == 302
    after = _rows(db_session)
    assert len(after) == len(before)
    assert {m for _s, m, _o in after} == {15}
    assert [o for s, _m, o in after if s == dt.datetime(2026, 1, 4, 9)] == [5.0]
    # a 60-minute interval over the 15-minute ones is refused, naming the queue and the lengths
    hourly = _post(browser, db_session, HEADER + "2026-01-04T10:00:00,Retail voice,40,,,\n", minutes="60")
    html = hourly.get_data(as_text=True)
    assert hourly.status_code == 400
    assert "Retail voice" in html
    assert "15-minute" in html
    assert _rows(db_session) == after


def test_the_api_refuses_absurd_history_too(api, demo, db_session):
    site = db_session.scalar(select(Site))
    response = api("scheduler").post(
        "/api/v1/history",
        json={
            "site_id": site.id,
            "filename": "h.csv",
            "interval_minutes": 15,
            "intervals": [
                {
                    "interval_start": "2026-01-04T09:00:00",
                    "queue": "Retail voice",
                    "offered": 5,
                    "handled": 50,
                    "abandoned": 30,
                }
            ],
        },
    )
    assert response.status_code == 422
    fields = {(p["line"], p["field"]) for p in response.get_json()["errors"]["file"]}
    assert fields == {(2, "handled"), (2, "abandoned")}
