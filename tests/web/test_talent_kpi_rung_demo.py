"""The demo's ladders name KPI thresholds on the demo agents' next rungs: the agent sees their own 30-day
figure against each on their ladders page, and HR sees the rung and every agent one level below it with
their figure on the ladder page; the figures are averaged here from the stored KPI days."""

import datetime as dt
import html
import re

from sqlalchemy import select

from tests.web.test_talent_mobility import centre  # noqa: F401  (the careers demo fixture)
from training.kpis import REQUIRABLE
from wfm.careers.store import load_catalogue, record_of, records_of
from wfm.careers.talent import employed
from wfm.models import User
from wfm.models.talent import AgentKpi

TODAY = dt.date.today()


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def _average(db_session, agent_id: int, kpi: str) -> tuple[float, int]:
    first = TODAY - dt.timedelta(days=29)
    rows = db_session.scalars(
        select(AgentKpi).where(AgentKpi.agent_id == agent_id, AgentKpi.day >= first, AgentKpi.day <= TODAY)
    ).all()
    return round(sum(getattr(r, kpi) for r in rows) / len(rows), 1), len(rows)


def test_the_agents_next_rung_names_kpis_and_each_side_sees_the_agents_figure(
    centre,  # noqa: F811
    browser,
    db_session,
):
    me = db_session.scalar(select(User).where(User.username == "agent")).agent
    record = record_of(me)
    field = record.primary_field
    cat = load_catalogue()
    rung = cat.fields[field].ladder.next_after(record.level_on(field, TODAY))
    assert rung is not None
    assert rung.kpis, "the demo agent's next rung names KPI thresholds"
    expected = []
    for kpi, need in rung.kpis.items():
        name, unit, _range, higher = REQUIRABLE[kpi]
        value, days = _average(db_session, me.id, kpi)
        met = value >= need if higher else value <= need
        word = ("at least" if higher else "at most") if met else ("below" if higher else "above")
        expected.append(
            (
                kpi,
                value,
                met,
                f"{name} {value:g}{unit} over {days} of the last 30 days, {word} {need:g}{unit}",
            )
        )

    browser.login("agent")
    mine = _text(browser.get(f"/careers/me/ladders?field={field}&level={rung.number}").get_data(as_text=True))
    for _kpi, _value, met, words in expected:
        assert f"{'✓' if met else '✗'} {words}" in mine
    browser.client.post("/logout")

    browser.login("hr")
    ladder = html.unescape(browser.get(f"/careers/ladders/{field}").get_data(as_text=True))
    section = ladder[ladder.index('id="kpi-thresholds"') :]
    assert f"Level {rung.number}, {rung.title}:" in section
    block = section[section.index(f"Level {rung.number}, {rung.title}:") :]
    row = block[block.index(me.name) : block.index("</tr>", block.index(me.name))]
    for kpi, value, met, _words in expected:
        shown = f"{value:,.0f} s" if kpi == "handle_seconds" else f"{value:g}%"
        assert f"{shown} {'✓' if met else '✗'}" in row
    # every employed agent one level below the rung is listed, no one else
    below = {
        a.name
        for a, r in zip(employed(TODAY), records_of(employed(TODAY)), strict=True)
        if r.level_on(field, TODAY) == rung.number - 1
    }
    table = block[: block.index("</table>")]
    assert {n for n in below if f">{n}</a>" in table} == below
    assert table.count("</a>") == len(below)
