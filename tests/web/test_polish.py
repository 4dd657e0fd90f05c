"""Smaller things a new user saw (issue 27 item 14): the favicon, counts in words, sort orders."""

from __future__ import annotations

import re
from pathlib import Path

from wfm.formatting import counted


def test_the_favicon_is_served_and_linked(client):
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200
    assert svg.mimetype == "image/svg+xml"
    assert b"<svg" in svg.data
    legacy = client.get("/favicon.ico", follow_redirects=True)
    assert legacy.status_code == 200
    assert legacy.data == svg.data
    login = client.get("/login").get_data(as_text=True)
    assert 'rel="icon"' in login
    assert "favicon.svg" in login


COUNTED_NOUNS = (
    "agents|days|hours|shifts|intervals|agent-intervals|sessions|requests|queues|weeks|changes|cells|swaps|"
    "skills|teams|certificates|wishes|records|rows|problems|notifications|users|levels|"
    "templates|edits|items|jobs|results|entries|courses|breaks|activities|months|years|plans|rosters|"
    "forecasts|leavers|hires|places"
)
# A figure written straight before a plural noun: "{{ n }} agents" in a template, f"{n} agents" in Python.
TEMPLATE_COUNT = re.compile(r"\}\}\s+(" + COUNTED_NOUNS + r")\b|\}\}\s+\w+\((s|es)\)")
PYTHON_COUNT = re.compile(r"\{(?!counted\()[^{}]+\}\s+(?:\w+ )?(" + COUNTED_NOUNS + r")\b|\}\s+\w+\((s|es)\)")
ROOT = Path(__file__).resolve().parents[2]
# Lines where the word after a figure is not a count's noun (a weekday's name, a verb, a list of names).
NOT_COUNTS = (
    'HoursField(f"{WEEKDAYS',
    "{output} breaks",
    "{queue.name} agents",
    "join(anyone)} shifts",
    "on days {list(",
)


def test_counted_writes_the_noun_in_the_number_of_the_figure():
    assert counted(1, "agent") == "1 agent"
    assert counted(0, "agent") == "0 agents"
    assert counted(2, "agent") == "2 agents"
    assert counted(1.5, "day") == "1.5 days"
    assert counted(1, "person") == "1 person"
    assert counted(3, "person") == "3 people"
    assert counted(1.0, "hour", digits=1) == "1.0 hours"
    assert counted(1, "swap or offer", "swaps and offers") == "1 swap or offer"


def test_no_template_writes_a_count_before_a_plural_noun_by_hand():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if TEMPLATE_COUNT.search(line)
    ]
    assert found == []


def test_no_message_writes_a_count_before_a_plural_noun_by_hand():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}"
        for path in sorted((ROOT / "wfm").rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ('f"' in line or "f'" in line)
        and PYTHON_COUNT.search(line)
        and not any(allowed in line for allowed in NOT_COUNTS)
    ]
    assert found == []


def test_the_tenure_tables_run_from_the_newest_to_the_longest_serving(demo, browser):
    from training.attrition import TENURE_BANDS

    browser.login("hr")
    html = browser.get("/people").get_data(as_text=True)
    table = html.split("Turnover by tenure", 1)[1].split("</table>", 1)[0]
    shown = re.findall(r"<tr><td>([^<]+)</td>", table)
    assert len(shown) >= 3
    assert shown == [band for band in TENURE_BANDS if band in shown]
    by_track = html.split("By track and tenure", 1)[1].split("</table>", 1)[0]
    rows = [row.split(" · ") for row in re.findall(r"<tr><td>([^<]+)</td>", by_track)]
    for track in {track for track, _band in rows}:
        bands = [band for t, band in rows if t == track]
        assert bands == [band for band in TENURE_BANDS if band in bands]


def test_the_inbox_history_says_who_did_what_in_words(demo, browser, db_session):
    import html as html_module

    from sqlalchemy import select

    from tests.hand_roster import _day, make_published
    from wfm.models import TimeOff

    published = make_published(db_session)
    agent = published["A001"]
    browser.login("agent")
    day = _day(1)
    asked = browser.post(
        "/my/time-off",
        {"kind": "vacation", "first_day": day.isoformat(), "last_day": day.isoformat(), "note": ""},
    )
    assert asked.status_code == 302
    request_id = db_session.scalar(select(TimeOff.id).where(TimeOff.agent_id == agent.id))
    browser.client.post("/logout")
    browser.login("scheduler")
    decided = browser.post(f"/inbox/time-off/{request_id}", {"decision": "approve", "note": "enjoy"})
    assert decided.status_code == 302
    page = browser.get("/inbox/audit").get_data(as_text=True)
    table = html_module.unescape(page.split('data-testid="audit"', 1)[1].split("</table>", 1)[0])
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table))
    scheduler_name = "Sam Scheduler"
    from wfm.models import User

    scheduler_name = db_session.scalar(select(User.display_name).where(User.username == "scheduler"))
    assert f"{scheduler_name} approved {agent.name}'s time off" in text
    assert f"{agent.name} asked for time off" in text
    assert "Status: requested → approved" in text
    assert day.strftime("%a %d %b %Y") in text
    for raw in ("first_day", "from_minute", "rosters_republished", "None", "#", "_"):
        assert raw not in text, raw


def test_take_it_is_shown_only_to_colleagues_who_can_take_the_offer(demo, browser, db_session):
    from sqlalchemy import select

    from tests.hand_roster import _day, make_published
    from wfm.models import ShiftSwap

    make_published(db_session)
    browser.login("agent")  # A001 offers day 1; A002 works a late that day, A003 a day shift, day 4 is free
    for day in (1, 4):
        offered = browser.post(
            "/my/swaps", {"offer-day": _day(day).isoformat(), "offer-note": "", "offer-submit": "1"}
        )
        assert offered.status_code == 302
    on_day = {s.day: s for s in db_session.scalars(select(ShiftSwap))}
    day_one, day_four = on_day[_day(1)], on_day[_day(4)]

    def offers(username: str) -> dict[int, str]:
        browser.client.post("/logout")
        browser.login(username)
        html = browser.get("/my/swaps").get_data(as_text=True)
        items = re.findall(r'<li data-testid="offer"[^>]*data-offer="(\d+)"[^>]*>(.*?)</li>', html, re.S)
        return {int(i): text for i, text in items}

    for username in ("agent2", "agent3"):
        seen = offers(username)
        assert set(seen) == {day_one.id, day_four.id}
        assert "Take it" not in seen[day_one.id]
        assert f"You cannot take it: you already work on {_day(1):%a %d %b}" in seen[day_one.id]
    # A003 is off on day 4: they may take it; A002 works a late on day 3 and may not start at 08:00 on day 4.
    assert "Take it" in offers("agent3")[day_four.id]
    a002_day_four = offers("agent2")[day_four.id]
    assert "Take it" not in a002_day_four
    assert "You cannot take it" in a002_day_four
    # What the page says is what the action decides.
    response = browser.post(f"/my/swaps/{day_four.id}/take", follow_redirects=True)
    assert "cannot follow" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(ShiftSwap, day_four.id).status == "open"


def test_the_printed_documents_share_one_base():
    """The site roster, an agent's schedule and a certificate: one page set-up (pdf_base.html)."""
    for name in ("rosters/pdf.html", "selfservice/pdf.html", "careers/certificate.html"):
        text = (ROOT / "templates" / name).read_text()
        assert text.startswith('{% extends "pdf_base.html" %}'), name
        assert "<html" not in text, name
        assert "@page" not in text, name


def test_number_filters_write_figures_one_way():
    from wfm.formatting import num, pct, plain, signed

    assert num(1234.4) == "1,234"
    assert num(1234.56, 1) == "1,234.6"
    assert num(None) == "—"
    assert pct(0.256) == "26%"
    assert pct(0.256, 1) == "25.6%"
    assert pct(0.2, signed=True) == "+20%"
    assert pct(None) == "—"
    assert plain(2.5) == "2.5"
    assert plain(3.0) == "3"
    assert signed(-1) == "-1"
    assert signed(0) == "+0"
    assert signed(2.24, 1) == "+2.2"


def test_templates_format_numbers_with_the_filters():
    """No inline format strings for figures: `|num`, `|pct`, `|plain`, `|signed`, `|counted` instead."""
    inline = re.compile(r'"[^"]*\{:[^"]*\}[^"]*"\.format\(|"%[^"]*[dfg%]"\|format\(|\|round\(')
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if inline.search(line.replace('"%02d:%02d"', "").replace("'%02d:%02d'", ""))
    ]
    assert found == []
