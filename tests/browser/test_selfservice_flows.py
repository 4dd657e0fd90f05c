"""What agents and schedulers do every day, in a real browser on the demo: an agent looks at the schedule
and asks for a day off, the scheduler approves it from the inbox, the agent sees the day off and the
change marked; two agents swap shifts and the scheduler approves, publishing a new roster version."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect
from sqlalchemy import select


def login(page: Page, username: str) -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("form:has(input[name=password]) button[type=submit]")  # not the language switch
    expect(page.locator(".topbar .who")).to_contain_text(username if username.startswith("s") else "agent")


def logout(page: Page) -> None:
    page.click(".signout button")
    expect(page).to_have_url(re.compile(r"/login"))


def test_time_off_requested_approved_and_seen(page: Page):
    login(page, "agent")
    page.click("nav >> text=My schedule")
    shifts = page.locator(".ss-day:has([data-testid=shift])")
    expect(shifts.first).to_be_visible()
    day = shifts.nth(1).get_attribute("data-day")
    assert dt.date.fromisoformat(day) > dt.date.today()

    page.click("nav >> text=Time off")
    page.select_option("select[name=kind]", "vacation")
    page.fill("input[name=first_day]", day)
    page.fill("input[name=last_day]", day)
    page.fill("input[name=note]", "family visit")
    page.click("button:has-text('Ask')")
    expect(page.locator("[data-testid=requests]")).to_contain_text("requested")
    logout(page)

    login(page, "scheduler")
    page.click("nav >> text=Inbox")
    row = page.locator("[data-testid=inbox-time-off] tr", has_text="vacation").first
    row.locator("text=decide").click()
    expect(page.locator("[data-testid=impact]")).to_be_visible()
    page.fill("input[name=note]", "enjoy")
    page.click("button:has-text('Approve')")
    expect(page.locator(".flash.success")).to_contain_text("approved")
    logout(page)

    login(page, "agent")
    expect(page.locator("[data-testid=unread]")).to_be_visible()
    page.click("nav >> text=My schedule")
    label = dt.date.fromisoformat(day).strftime("%a %d %b")
    expect(page.locator("[data-testid=changes]")).to_contain_text(label)
    cell = page.locator(f".ss-day[data-day='{day}']")
    expect(cell.locator("[data-testid=time-off]")).to_contain_text("approved")
    expect(cell.locator("[data-testid=shift]")).to_have_count(0)


def _hand_week_after_the_demo(demo_app) -> tuple[str, int, str]:
    """A hand-made week published after the demo's rosters, with shifts known in advance
    (tests/hand_roster.py): A001 gives day 4 (a day shift) for A002's late on day 3, a swap that keeps both
    agents' rules. The demo's own roster is solved, so which of its shifts could be swapped depends on the
    solver and the date."""
    from tests.hand_roster import make_published
    from wfm.extensions import db
    from wfm.models import Roster

    with demo_app.app_context():
        ends = [r.start_date + dt.timedelta(days=r.days) for r in db.session.scalars(select(Roster))]
        start = max([*ends, dt.date.today()]) + dt.timedelta(days=7)
        made = make_published(db.session, start)
        return (
            (start + dt.timedelta(days=4)).isoformat(),
            made["A002"].id,
            (start + dt.timedelta(days=3)).isoformat(),
        )


def test_swap_between_two_agents(page: Page, demo_app):
    mine, partner_id, theirs = _hand_week_after_the_demo(demo_app)
    login(page, "agent")
    page.goto(f"/my/schedule?date={mine}")  # the week as published: what a change is marked against
    expect(page.locator(f".ss-day[data-day='{mine}'] [data-testid=shift]")).to_have_count(1)
    page.click("nav >> text=Swaps")
    page.select_option("select[name=swap-day]", mine)
    page.select_option("select[name=swap-partner_id]", str(partner_id))
    page.fill("input[name=swap-partner_day]", theirs)
    page.click("button:has-text('Propose')")
    expect(page.locator(".flash.success")).to_contain_text("Swap proposed")
    logout(page)

    login(page, "agent2")
    page.click("nav >> text=Swaps")
    page.locator("[data-testid=to-me]").first.locator("button:has-text('Accept')").click()
    expect(page.locator(".flash.success")).to_contain_text("accepted")
    logout(page)

    login(page, "scheduler")
    page.click("nav >> text=Inbox")
    page.locator("[data-testid=inbox-swaps] >> text=decide").first.click()
    expect(page.locator(".flash.success")).to_contain_text("hold")
    page.click("button:has-text('Approve and publish')")
    expect(page.locator(".flash.success")).to_contain_text("published version")
    logout(page)

    login(page, "agent")
    page.goto(f"/my/schedule?date={theirs}")
    cell = page.locator(f".ss-day[data-day='{theirs}']")
    expect(cell.locator("[data-testid=shift]")).to_have_count(1)
    expect(cell.locator("[data-testid=shift]")).to_contain_text("changed")
    page.goto(f"/my/schedule?date={mine}")
    expect(page.locator(f".ss-day[data-day='{mine}'] [data-testid=shift]")).to_have_count(0)
