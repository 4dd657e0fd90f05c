"""KPI import on the demo centre: a bad line refuses the whole file (nothing written), a good one shows on
the scorecards with averages counted here by hand; an agent reads only their own scorecard."""

import datetime as dt
import io

from sqlalchemy import func, select

from wfm.models import Agent, User
from wfm.models.talent import AgentKpi

TODAY = dt.date.today()


def _upload(browser, text):
    return browser.post(
        "/careers/kpis", {"file": (io.BytesIO(text.encode()), "kpis.csv")}, content_type="multipart/form-data"
    )


def test_kpi_import_is_all_or_nothing_and_feeds_the_scorecards(demo, browser, db_session):
    me = db_session.scalar(select(User).where(User.username == "agent")).agent
    other = db_session.scalar(select(Agent).where(Agent.id != me.id, Agent.leaving_date.is_(None)))
    d1, d2 = (TODAY - dt.timedelta(days=2)).isoformat(), (TODAY - dt.timedelta(days=1)).isoformat()
    head = "employee_number,day,handle_seconds,fcr,csat\n"
    good = (
        f"{me.employee_number},{d1},280,80,90\n{me.employee_number},{d2},340,70,70\n"
        f"{other.employee_number},{d1},200,90,95\n"
    )
    browser.login("hr")
    refused = _upload(browser, head + good + f"{other.employee_number},{d2},200,190,95\n")
    assert refused.status_code == 400
    assert "Line 5" in refused.get_data(as_text=True)
    assert db_session.scalar(select(func.count(AgentKpi.id))) == 0
    assert _upload(browser, head + good).status_code == 302
    assert db_session.scalar(select(func.count(AgentKpi.id))) == 3
    page = browser.get("/careers/kpis").get_data(as_text=True)
    assert ">310 (off target)<" in page.replace('<td class="num warn">', ">")  # (280 + 340) / 2 above 300 s
    browser.client.post("/logout")
    browser.login("agent")
    assert _upload(browser, head + good).status_code == 403
    mine = browser.get("/careers/me/kpis").get_data(as_text=True)
    assert me.name.replace("'", "&#39;") in mine
    assert other.name.replace("'", "&#39;") not in mine
