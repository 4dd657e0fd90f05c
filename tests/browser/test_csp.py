"""The content security policy in a real browser: each role's main pages report no violation, and what
moved from inline handlers to wfm/static/app.js and job.js (job progress polling, a confirm dialog, the
profile picker, selecting the calendar address) still works."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def login(page: Page, username: str) -> None:
    """The demo users' usernames are their roles."""
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("form:has(input[name=password]) button[type=submit]")  # not the language switch
    expect(page.locator(".topbar .who")).to_contain_text(re.compile(re.escape(username), re.IGNORECASE))


def logout(page: Page) -> None:
    page.click(".signout button")
    expect(page).to_have_url(re.compile(r"/login"))


WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
EXTRA_PAGES = {
    "admin": ["/admin/users/", "/admin/sites/", "/admin/users/1/edit", "/admin/change-log"],
    "scheduler": ["/planning/forecasts", "/planning/plans", "/planning/plans/1", "/rosters/"],
    "hr": ["/careers/"],
    "agent": ["/my/schedule", "/my/schedule?view=month"],
}


def _watch(page: Page) -> list[str]:
    """Violations reported to the console and as securitypolicyviolation events."""
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.context.add_init_script(WATCH)
    return console


def _violations(page: Page, console: list[str]) -> list[str]:
    return console + page.evaluate("window.__violations || []")


def _visit_main_pages(page: Page, username: str) -> list[str]:
    console = _watch(page)
    login(page, username)
    links = page.locator("nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert links, "the navigation shows the role's pages"
    problems = []
    for path in [*links, *EXTRA_PAGES[username]]:
        response = page.goto(path)
        assert response.status < 400, f"{username}: {path} answered {response.status}"
        assert "default-src 'self'" in response.headers["content-security-policy"]
        problems += [f"{path}: {v}" for v in _violations(page, console)]
        console.clear()
    if username == "scheduler":  # a roster's page: the biggest, with its grid and charts
        page.goto("/rosters/")
        rosters = page.locator("main table a[href*='/rosters/']")
        assert rosters.count() > 0, "the demo has a roster (if its solve failed, rebuild the cached demo)"
        rosters.first.click()
        expect(page).to_have_url(re.compile(r"/rosters/\d+"))
        problems += [f"{page.url}: {v}" for v in _violations(page, console)]
    return problems


def test_admin_pages_keep_the_policy(page: Page, tmp_path):
    assert _visit_main_pages(page, "admin") == []
    page.goto("/admin/change-log")
    page.screenshot(path=str(tmp_path / "admin-change-log.png"), full_page=False)


def test_scheduler_pages_keep_the_policy(page: Page):
    assert _visit_main_pages(page, "scheduler") == []


def test_hr_pages_keep_the_policy(page: Page):
    assert _visit_main_pages(page, "hr") == []


def test_agent_pages_keep_the_policy(page: Page, tmp_path):
    assert _visit_main_pages(page, "agent") == []
    page.goto("/careers/me")
    page.screenshot(path=str(tmp_path / "agent-career.png"), full_page=True)


def _queue_with_history(demo_app) -> int:
    from sqlalchemy import select

    from wfm.extensions import db
    from wfm.models import HistoryInterval

    with demo_app.app_context():
        try:
            return db.session.scalar(select(HistoryInterval.queue_id).limit(1))
        finally:
            db.session.remove()


def test_job_progress_polling_runs_under_the_policy(page: Page, demo_app):
    """job.js polls the job's state and moves on to the result when the job is done."""
    queue_id = _queue_with_history(demo_app)
    console = _watch(page)
    login(page, "scheduler")
    page.goto("/planning/forecasts")
    page.locator(f"input[name=queue_ids][value='{queue_id}']").check()
    page.fill("input[name=days]", "3")
    page.click("button:has-text('Forecast')")
    expect(page).to_have_url(re.compile(r"/planning/forecasts/\d+$"), timeout=90_000)
    assert _violations(page, console) == []


def test_confirm_dialogs_ask_and_cancelling_changes_nothing(page: Page):
    console = _watch(page)
    login(page, "admin")
    page.goto("/admin/skills/")
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    row = page.locator("table.grid tbody tr").first
    row.locator("button:has-text('Deactivate')").click()
    expect(page).to_have_url(re.compile(r"/admin/skills/$"))
    assert questions == ["Deactivate this skill?"]
    expect(row.locator("button:has-text('Deactivate')")).to_be_visible()  # still active
    assert _violations(page, console) == []


def test_the_profile_picker_and_the_calendar_address(page: Page):
    console = _watch(page)
    login(page, "hr")
    page.goto("/careers/")
    picker = page.locator("[data-testid=open-profile]")
    agent_id = picker.locator("select[name=agent] option").nth(1).get_attribute("value")
    picker.locator("select[name=agent]").select_option(agent_id)
    picker.locator("button").click()
    expect(page).to_have_url(re.compile(rf"/careers/agents/{agent_id}$"))
    logout(page)

    login(page, "agent")
    page.goto("/my/schedule")
    page.locator("#calendar form button").first.click()
    feed = page.locator("[data-testid=feed-url]")
    feed.click()
    selected = page.evaluate(
        "() => { const f = document.querySelector('[data-testid=feed-url]');"
        " return f.value.substring(f.selectionStart, f.selectionEnd); }"
    )
    assert selected.startswith("http")
    assert selected == feed.input_value()
    assert _violations(page, console) == []
