"""On the demo, the last 12 months hold both kinds of leaving, so People's headline shows the split: the
agents lost to the bank and those placed in it, counted here from the departures."""

import datetime as dt
import html
import re

from sqlalchemy import select

from tests.web.test_talent_mobility import centre  # noqa: F401  (the careers demo fixture)
from wfm.models.talent import Departure

TODAY = dt.date.today()


def test_the_demo_headline_shows_losses_and_placements_of_the_last_year(centre, browser, db_session):  # noqa: F811
    year_ago = TODAY - dt.timedelta(days=365)
    recent = [d for d in db_session.scalars(select(Departure)) if year_ago < d.on <= TODAY]
    lost = sum(1 for d in recent if d.kind == "left")
    placed = sum(1 for d in recent if d.kind == "moved")
    assert lost >= 1
    assert placed >= 1
    browser.login("hr")
    page = re.sub(
        r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", browser.get("/people").get_data(as_text=True)))
    )
    assert f"{lost} lost to the bank in the last 12 months" in page
    assert f"{placed} placed in the bank in the last 12 months" in page
