"""The roster grid at volume: one week per page (the whole roster on request), the rule evaluation's data
loaded without a query per agent, and a PDF whose agents' rows are never split across pages."""

import datetime as dt
import re

import pytest
from sqlalchemy import event, select

from tests.web.conftest import FIRST, HISTORY_DAYS, plan_via_pages
from wfm.extensions import db
from wfm.models import Roster

START = FIRST + dt.timedelta(days=HISTORY_DAYS)  # a Sunday
DAYS = 14


@pytest.fixture
def fortnight(history, browser, db_session):
    """A two-week roster of the test queue (60 agents), signed in as the scheduler."""
    plan = plan_via_pages(browser, history, START, DAYS, name="Fortnight")
    response = browser.post(
        "/rosters/",
        {"plan_id": plan.id, "name": "Fortnight", "start": START.isoformat(), "days": DAYS, "time_limit": 6},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert browser.get(response.headers["Location"]).status_code == 302
    roster = db_session.scalar(select(Roster))
    assert roster.assignments
    assert roster.days == DAYS
    return roster


def _days_shown(html: str) -> list[str]:
    return re.findall(r"<th class=\"[^\"]*\">\w{3}<br>(\d\d/\d\d)</th>", html)


def _hours(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr id="(agent-\d+)">.*?<td class="num">(\d+)</td></tr>', html, re.S))


def test_the_grid_shows_one_week_a_page_and_every_week_on_request(fortnight, browser):
    first = browser.get(f"/rosters/{fortnight.id}").get_data(as_text=True)
    second = browser.get(f"/rosters/{fortnight.id}?week=2").get_data(as_text=True)
    everything = browser.get(f"/rosters/{fortnight.id}?week=all").get_data(as_text=True)
    dates = [f"{START + dt.timedelta(days=d):%d/%m}" for d in range(DAYS)]
    assert _days_shown(first) == dates[:7]
    assert _days_shown(second) == dates[7:]
    assert _days_shown(everything) == dates
    # Each page has every agent, and the hours are the whole roster's whichever week is shown.
    assert _hours(first) == _hours(second) == _hours(everything)
    assert len(_hours(first)) > 1
    # Cells of the second week are only on its page; the page control links the weeks.
    day_eight = f"day={START + dt.timedelta(days=7)}"
    assert day_eight not in first
    assert day_eight in second
    assert day_eight in everything
    assert f'href="/rosters/{fortnight.id}?week=2"' in first
    assert 'aria-current="page">2:' in second
    assert f'href="/rosters/{fortnight.id}?week=all"' in first
    # A week that does not exist is the first one, not an error.
    assert _days_shown(browser.get(f"/rosters/{fortnight.id}?week=9").get_data(as_text=True)) == dates[:7]


def test_an_edit_in_the_second_week_returns_to_that_week(fortnight, browser):
    cell = next(a for a in fortnight.assignments if (a.day - fortnight.start_date).days >= 7)
    response = browser.post(
        f"/rosters/{fortnight.id}/cell?agent={cell.agent_id}&day={cell.day}",
        {"shift": cell.shift, "lock_version": fortnight.lock_version},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/rosters/{fortnight.id}?week=2#agent-{cell.agent_id}")


def test_the_grid_loads_agents_skills_in_one_query_not_one_per_agent(fortnight, browser, db_session):
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        db_session.expire_all()
        assert browser.get(f"/rosters/{fortnight.id}").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    skill_queries = [s for s in statements if re.search(r"FROM agent_skill\b", s)]
    assert len(skill_queries) <= 1, len(skill_queries)


def test_the_pdf_never_splits_an_agents_row_and_repeats_the_header(fortnight, browser):
    from flask import current_app

    from wfm.printing.pdf import document
    from wfm.rosters import pages, pdf

    assert browser.get(f"/rosters/{fortnight.id}.pdf").data.startswith(b"%PDF")
    grid = pages.grid(fortnight)
    html = current_app.jinja_env.get_template("rosters/pdf.html").render(
        grid=grid, team=None, weeks=pdf.weeks(grid["dates"])
    )
    laid_out = document(html)
    names = {row["name"] for row in grid["rows"]}
    fragments = 0
    for number, page in enumerate(laid_out.pages, start=1):
        rows = _table_rows(page._page_box)
        body = [r for r in rows if not r.startswith("Agent ")]
        assert not body or rows[0].startswith("Agent "), f"page {number} has rows but no header above them"
        for row in body:  # the rest of a split row has no name: its name cell was filled on the page before
            assert any(row.startswith(name) for name in names), (
                f"page {number}: a row without a name: {row[:60]!r}"
            )
        fragments += len(body)
    # two weeks, each row once
    assert len(laid_out.pages) > 2
    assert fragments == len(grid["rows"]) * 2


def _table_rows(box) -> list[str]:
    """The text of every table row fragment laid out on a page, in order."""
    rows = []

    def text_of(node) -> str:
        own = getattr(node, "text", "") or ""
        return own + " ".join(text_of(child) for child in getattr(node, "children", []) or [])

    def walk(node):
        if type(node).__name__ == "TableRowBox":
            rows.append(" ".join(text_of(node).split()))
            return
        for child in getattr(node, "children", []) or []:
            walk(child)

    walk(box)
    return rows
