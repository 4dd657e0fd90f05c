"""The risk score's backtest on the risk page: agents with known hire and leaving dates, so the snapshots,
the leavers and the concordance are counted here from the dates alone; with too few leavers the page says
why instead of a figure, and on the demo centre it says the history is synthetic."""

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.web.test_talent_mobility import centre  # noqa: F401  (the careers demo fixture)
from training.records import add_months
from wfm.admin.operations import save_user
from wfm.careers.risk_backtest import HORIZON_DAYS, backtest
from wfm.models import Agent, Site, Team
from wfm.models.talent import Departure

TODAY = dt.date.today()


def _days(today: dt.date) -> list[dt.date]:
    """The scoring days as the page describes them: the same day of each of the 12 months up to 180 days
    before today."""
    last = today - dt.timedelta(days=HORIZON_DAYS)
    return sorted(add_months(last, -k) for k in range(12))


def _centre(db_session, today: dt.date, leavers: int, stayers: int = 15) -> dict:
    """Leavers hired 3 years before the first scoring day and never promoted (2–5 years in, no change of
    level for 24 months or more: 5 + 20 = 25 points, medium), who leave one after another through the
    year; stayers hired 8 years before (20 points, low); and one agent like the leavers who moved within
    the bank (not lost). One team, so no team's turnover stands out from the centre's."""
    site = Site(name="Backtest site", time_zone="Europe/London", country="GB")
    db_session.add(site)
    db_session.flush()
    team = Team(site_id=site.id, name="Backtest team")
    db_session.add(team)
    db_session.flush()
    first = _days(today)[0]
    people = []

    def agent(number: str, hired: dt.date, leaving: dt.date | None) -> Agent:
        a = Agent(
            employee_number=number,
            name=f"Agent {number}",
            site_id=site.id,
            team_id=team.id,
            hire_date=hired,
            contracted_hours=40,
            leaving_date=leaving,
        )
        db_session.add(a)
        people.append(a)
        return a

    for i in range(leavers):
        agent(f"L{i}", add_months(first, -36), first + dt.timedelta(days=20 + 25 * i))
    for i in range(stayers):
        agent(f"S{i}", add_months(first, -96), None)
    mover = agent("M0", add_months(first, -36), first + dt.timedelta(days=100))
    db_session.flush()
    db_session.add(Departure(agent_id=mover.id, kind="moved", on=mover.leaving_date, department="risk"))
    hr = save_user(
        None,
        username="hr",
        display_name="HR",
        email=None,
        password="demo",
        roles=["hr"],
        agent_id=None,
        check_policy=False,
    )
    db_session.add(hr)
    db_session.commit()
    return {"people": people, "mover": mover}


def _expected(people: list[Agent], mover: Agent, today: dt.date) -> dict:
    """Counted from the dates alone: a snapshot per scoring day an agent was employed; lost when they left
    (not moved) within the horizon after it."""
    snaps = []
    for day in _days(today):
        for a in people:
            if a.hire_date <= day and (a.leaving_date is None or a.leaving_date > day):
                horizon = day + dt.timedelta(days=HORIZON_DAYS)
                lost = a is not mover and a.leaving_date is not None and a.leaving_date <= horizon
                snaps.append((a.employee_number, lost))
    lost = [n for n, gone in snaps if gone]
    kept = [n for n, gone in snaps if not gone]
    # leavers and the mover score 25, stayers 20: a lost snapshot wins against a stayer's, ties a leaver's
    wins = sum(1.0 if k.startswith("S") else 0.5 for k in kept) * len(lost)
    return {
        "snapshots": len(snaps),
        "lost": len(lost),
        "leavers": len(set(lost)),
        "medium": sum(1 for n, _ in snaps if not n.startswith("S")),
        "low": sum(1 for n, _ in snaps if n.startswith("S")),
        "concordance": wins / (len(lost) * len(kept)),
    }


def test_the_backtest_counts_what_the_dates_say_and_measures_the_ranking(db_session):
    today = dt.date(2026, 3, 15)
    made = _centre(db_session, today, leavers=12)
    want = _expected(made["people"], made["mover"], today)
    result = backtest(today)
    s = result.summary
    assert (result.first, result.last) == (_days(today)[0], _days(today)[-1])
    assert (s.snapshots, s.lost, s.leavers) == (want["snapshots"], want["lost"], want["leavers"])
    assert want["leavers"] == 12  # every leaver left within 180 days of some scoring day
    high, medium, low = s.bands
    assert (high.snapshots, medium.snapshots, low.snapshots) == (0, want["medium"], want["low"])
    assert (medium.lost, low.lost, low.agents) == (want["lost"], 0, 15)
    assert s.too_few is None
    assert s.concordance == pytest.approx(want["concordance"])
    assert s.falling is True
    assert not result.synthetic


def test_the_page_shows_the_table_and_the_figure_or_says_why_there_is_none(db_session, browser):
    made = _centre(db_session, TODAY, leavers=3)
    want = _expected(made["people"], made["mover"], TODAY)
    browser.login("hr")
    page = browser.get("/careers/risk").get_data(as_text=True)
    table = page[page.index('id="calibration"') :]
    cells = re.findall(r'<t[hd] class="num">([^<]*)</t[hd]>', table[: table.index("</table>")])
    assert cells[-4:-1] == [str(want["snapshots"]), str(len(made["people"])), str(want["lost"])]
    assert f"only {want['leavers']} of the agents scored were lost to the bank" in page
    assert "at least 10" in page
    assert "This is the demo centre" not in page


def test_the_page_gives_the_concordance_when_the_history_carries_it(db_session, browser):
    made = _centre(db_session, TODAY, leavers=12)
    want = _expected(made["people"], made["mover"], TODAY)
    browser.login("hr")
    page = browser.get("/careers/risk").get_data(as_text=True)
    assert f"<strong>{want['concordance']:.2f}</strong>" in page
    assert "The observed rates fall from the high band to the low one." in page


def test_on_the_demo_the_page_says_the_history_is_synthetic(centre, browser, db_session):  # noqa: F811
    days = _days(TODAY)
    lost = set()
    for dep in db_session.scalars(select(Departure).where(Departure.kind == "left")):
        hired = dep.agent.hire_date
        if any(hired <= d < dep.agent.leaving_date <= d + dt.timedelta(days=HORIZON_DAYS) for d in days):
            lost.add(dep.agent_id)
    browser.login("hr")
    page = browser.get("/careers/risk").get_data(as_text=True)
    assert "This is the demo centre: its hires, leavers and career steps are randomly generated" in page
    summary = backtest(TODAY).summary
    assert summary.leavers == len(lost)
    if len(lost) < 10:
        assert f"only {len(lost)} of the agents scored were lost to the bank" in page
    else:
        assert f"<strong>{summary.concordance:.2f}</strong>" in page


def test_the_backtest_reads_in_chinese(db_session, browser):
    made = _centre(db_session, TODAY, leavers=3)
    want = _expected(made["people"], made["mover"], TODAY)
    browser.login("hr")
    token = browser.csrf("/")
    assert browser.post("/language", data={"language": "zh_CN", "csrf_token": token}).status_code == 302
    page = browser.get("/careers/risk").get_data(as_text=True)
    assert "去年的风险分能否看出谁会离开" in page
    assert f"只有{want['leavers']}人在评分日后180天内流失出银行，至少需要10人" in page
    assert "How well last year" not in page
