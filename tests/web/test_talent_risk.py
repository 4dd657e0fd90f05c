"""The attrition-risk page on the demo centre: HR only; every employed agent, with a score that is the sum
of its reasons' points, and the reasons in words."""

import datetime as dt
import re

from sqlalchemy import select

from tests.web.test_talent_mobility import centre  # noqa: F401  (the careers demo fixture)
from training.records import months_between
from wfm.careers.risk import inputs_on, risk_list
from wfm.models import Agent

TODAY = dt.date.today()


def test_risk_list_is_hr_only_and_every_score_is_its_reasons(centre, browser, db_session):  # noqa: F811
    rows = risk_list(TODAY)
    employed = [
        a for a in db_session.scalars(select(Agent)) if a.leaving_date is None or a.leaving_date > TODAY
    ]
    assert {r["agent"].id for r in rows} == {a.id for a in employed}
    for r in rows:
        assert r["score"] == min(100, sum(points for points, _words in r["reasons"]))
    assert any(r["reasons"] for r in rows)
    by_id = {x.agent_id: x for x in inputs_on(TODAY)}
    for a in employed:  # tenure read from the hire date, not from anything typed
        assert by_id[str(a.id)].hire_date == a.hire_date
        assert by_id[str(a.id)].months_since_level_change <= months_between(a.hire_date, TODAY)
    for who in ("agent", "scheduler"):
        browser.login(who)
        assert browser.get("/careers/risk").status_code == 403
        browser.client.post("/logout")
    browser.login("hr")
    page = browser.get("/careers/risk").get_data(as_text=True).replace("&#39;", "'")
    top = rows[0]
    assert top["agent"].name.replace("'", "'") in page
    for _points, words in top["reasons"]:
        assert words in page
    assert re.search(r"\(\d+ points?\)", page)


def _window(rows, kpi: str, last: dt.date) -> tuple[float | None, int]:
    inside = [getattr(r, kpi) for r in rows if last - dt.timedelta(days=29) <= r.day <= last]
    return (round(sum(inside) / len(inside), 1), len(inside)) if inside else (None, 0)


def test_kpis_that_got_worse_are_reasons_with_their_figures(centre, browser, db_session):  # noqa: F811
    """Counted here from the stored KPI days: each agent's last 30 days against the 30 before; a KPI worse by
    the documented margin (5 points, or handle time 10% longer) is a reason of 5 points with both figures."""
    from wfm.models.talent import AgentKpi

    rows = risk_list(TODAY)
    by_agent: dict[int, list] = {}
    for k in db_session.scalars(select(AgentKpi)):
        by_agent.setdefault(k.agent_id, []).append(k)
    seen = 0
    for r in rows:
        kpis = by_agent.get(r["agent"].id, [])
        words = [w for _p, w in r["reasons"] if "(the last 30 days against the 30 before)" in w]
        expected = []
        for kpi, label in (("fcr", "First-contact resolution"), ("csat", "Customer satisfaction")):
            now, n = _window(kpis, kpi, TODAY)
            before, m = _window(kpis, kpi, TODAY - dt.timedelta(days=30))
            if n >= 5 and m >= 5 and before - now >= 5:
                expected.append(f"{label} fell from {before:g}% to {now:g}%")
        now, n = _window(kpis, "handle_seconds", TODAY)
        before, m = _window(kpis, "handle_seconds", TODAY - dt.timedelta(days=30))
        if n >= 5 and m >= 5 and now >= before * 1.1:
            expected.append(f"Average handle time rose from {before:.0f} s to {now:.0f} s")
        assert sorted(w.split(" (")[0] for w in words) == sorted(expected), r["agent"].name
        assert all(p == 5 for p, w in r["reasons"] if w in words)
        seen += len(expected)
    assert seen > 0, "the demo has agents whose KPIs slipped"
    browser.login("hr")
    page = browser.get("/careers/risk").get_data(as_text=True).replace("&#39;", "'")
    assert "(the last 30 days against the 30 before)" in page
