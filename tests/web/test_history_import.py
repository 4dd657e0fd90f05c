"""History import through the page: all or nothing, errors by line and field, re-import replaces."""

import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from tests.web.planning_data import history_csv, upload
from wfm.models import HistoryImport, HistoryInterval, Queue, Site

pytestmark = pytest.mark.postgres  # the dialect matters here: run on PostgreSQL as well


def _post(browser, db_session, data: dict, kind: str = "intervals", minutes: str = ""):
    site = db_session.scalar(select(Site))
    return browser.post(
        "/planning/history",
        {"site_id": site.id, "kind": kind, "interval_minutes": minutes, **data},
        content_type="multipart/form-data",
    )


def _count(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(HistoryInterval))


def test_import_then_reimport_replaces(demo, browser, db_session):
    browser.login("scheduler")
    text = history_csv(dt.date(2026, 1, 4), 7)
    rows = text.count("\n") - 1
    response = _post(browser, db_session, {"file": upload(text)})
    assert response.status_code == 302
    assert _count(db_session) == rows
    again = _post(browser, db_session, {"file": upload(text)})
    assert again.status_code == 302
    assert _count(db_session) == rows  # replaced, not duplicated
    last = db_session.scalar(select(HistoryImport).order_by(HistoryImport.id.desc()))
    assert last.replaced == rows
    assert last.interval_minutes == 15
    queue = db_session.scalar(select(Queue).where(Queue.name == "Retail voice"))
    stored = db_session.scalars(select(HistoryInterval).where(HistoryInterval.queue_id == queue.id)).all()
    assert {s.interval_start.hour for s in stored} <= set(range(8, 18))


def test_import_code_names_the_queue(demo, browser, db_session):
    browser.login("scheduler")
    text = history_csv(dt.date(2026, 1, 4), 2, queue="NE")
    assert _post(browser, db_session, {"file": upload(text)}).status_code == 302
    queue = db_session.scalar(select(Queue).where(Queue.name == "Stock-exchange desk"))
    assert db_session.scalar(select(func.count()).where(HistoryInterval.queue_id == queue.id)) > 0


def test_two_names_of_one_queue_for_one_interval_are_refused_not_a_server_error(demo, browser, db_session):
    browser.login("scheduler")
    text = (
        "interval_start,queue,offered\n"
        "2026-01-04T08:00:00,Retail voice,5\n"
        "2026-01-04T08:15:00,Retail voice,6\n"
        "2026-01-04T08:15:00,RETAIL VOICE,7\n"
    )
    response = _post(browser, db_session, {"file": upload(text)})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported" in html
    assert "given more than once" in html
    assert "use one name per queue" in html
    assert _count(db_session) == 0


def test_bad_file_names_line_and_field_and_imports_nothing(demo, browser, db_session):
    browser.login("scheduler")
    text = (
        "interval_start,queue,offered\n"
        "2026-01-04T08:00:00,Retail voice,5\n"
        "2026-01-04T08:15:00,Retail voice,many\n"
        "2026-01-04T08:30:00,Retail voice,-2\n"
    )
    response = _post(browser, db_session, {"file": upload(text)})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported" in html
    assert '<td class="num">3</td><td>offered</td>' in html
    assert '<td class="num">4</td><td>offered</td>' in html
    assert _count(db_session) == 0


def test_unknown_queue_is_named_with_its_first_line(demo, browser, db_session):
    browser.login("scheduler")
    text = (
        "interval_start,queue,offered\n2026-01-04T08:00:00,Retail voice,5\n2026-01-04T08:00:00,Mortgages,3\n"
    )
    response = _post(
        browser, db_session, {"file": upload(text)}, minutes="15"
    )  # one row a queue: give the length
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Mortgages" in html
    assert '<td class="num">3</td><td>queue</td>' in html
    assert _count(db_session) == 0


def test_per_call_records_set_handle_time_and_patience(demo, browser, db_session):
    header = (
        "vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\t"
        "q_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver"
    )
    rows = [
        # served after waiting 20 s, 200 s of service
        "AA0101\t1\t0\t0\tPS\t990201\t8:00:00\t8:00:10\t10\t8:00:10\t8:00:30\t20\tAGENT\t8:00:30\t8:03:50\t200\tDORIT",
        # served at once, 100 s
        "AA0101\t2\t0\t1\tPS\t990201\t8:05:00\t8:05:05\t5\t0:00:00\t0:00:00\t0\tAGENT\t8:05:05\t8:06:45\t100\tDORIT",
        # abandoned after 60 s in the queue
        "AA0101\t3\t0\t0\tPS\t990201\t8:20:00\t8:20:05\t5\t8:20:05\t8:21:05\t60\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER",
    ]
    browser.login("scheduler")
    response = _post(
        browser,
        db_session,
        {"file": (io.BytesIO(("\n".join([header, *rows]) + "\n").encode()), "calls.tsv")},
        kind="calls",
        minutes="15",
    )
    assert response.status_code == 302
    queue = db_session.scalar(select(Queue).where(Queue.name == "Retail voice"))
    db_session.refresh(queue)
    assert queue.aht_seconds == 150.0  # (200 + 100) / 2 served
    assert queue.patience_seconds == 80.0  # (20 + 0 + 60) s waited / 1 abandoned
    intervals = db_session.scalars(select(HistoryInterval).order_by(HistoryInterval.interval_start)).all()
    assert [(i.interval_start.time(), i.offered, i.abandoned) for i in intervals] == [
        (dt.time(8, 0), 2.0, 0.0),
        (dt.time(8, 15), 1.0, 1.0),
    ]


def test_agents_cannot_import(demo, browser):
    browser.login("agent")
    assert browser.get("/planning/history").status_code == 403
