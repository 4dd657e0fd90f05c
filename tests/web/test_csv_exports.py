"""The roster's CSV export never carries a cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy import select

from wfm.models import Agent, Roster, RosterAssignment, Site, Team

DAY = dt.date(2026, 3, 2)


def test_roster_csv_neutralises_names_a_spreadsheet_would_run(demo, browser, db_session):
    site = db_session.scalar(select(Site))
    agent = db_session.scalar(select(Agent).where(Agent.employee_number == "A001"))
    agent.name = '=HYPERLINK("https://evil.example","pay")'
    agent.employee_number = "@A001"
    if agent.team is None:
        agent.team = db_session.scalar(select(Team))
    agent.team.name = "+cmd|' /C calc'!A0"
    roster = Roster(site_id=site.id, name="Week", start_date=DAY, days=1)
    db_session.add(roster)
    db_session.flush()
    start = dt.datetime.combine(DAY, dt.time(8))
    db_session.add(
        RosterAssignment(
            roster_id=roster.id,
            agent_id=agent.id,
            day=DAY,
            shift="-early",
            start=start,
            end=start + dt.timedelta(hours=8),
        )
    )
    db_session.commit()
    browser.login("scheduler")
    response = browser.get(f"/rosters/{roster.id}.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[1][:5] == [
        "'@A001",
        "'" + '=HYPERLINK("https://evil.example","pay")',
        "'+cmd|' /C calc'!A0",
        DAY.isoformat(),
        "'-early",
    ]
    assert not any(cell[:1] in "=+-@" for row in rows for cell in row if cell)
