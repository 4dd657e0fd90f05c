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
