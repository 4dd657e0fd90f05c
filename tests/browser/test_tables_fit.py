"""Tables show every column: at a desktop width, no table's last column is cut off by its card or by a
scroll box that would need scrolling sideways to reveal it."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.test_csp import login, logout

# For each table: how far its last header cell reaches past the nearest box that clips it (0: it fits).
OVERFLOW = """
() => Array.from(document.querySelectorAll("table")).filter(
  (table) => !table.closest(".roster-scroll, .matrix-wrap")  // wide by design: they scroll, names stay put
).map((table) => {
  const cells = table.querySelectorAll("thead th, tr:first-child td");
  if (!cells.length) return 0;
  const last = cells[cells.length - 1].getBoundingClientRect();
  let box = table.parentElement, limit = document.documentElement.clientWidth;
  while (box && box !== document.body) {
    const style = getComputedStyle(box);
    if (style.overflowX !== "visible") { limit = Math.min(limit, box.getBoundingClientRect().right); break; }
    box = box.parentElement;
  }
  return Math.max(0, Math.round(last.right - limit));
})
"""


def test_the_requirement_tables_show_their_last_column(page: Page, demo_app):
    from sqlalchemy import select

    from wfm.extensions import db
    from wfm.models import Requirement

    with demo_app.app_context():
        ids = db.session.scalars(select(Requirement.id).order_by(Requirement.id)).all()
    assert ids
    login(page, "scheduler")
    for requirement_id in ids:
        page.goto(f"/planning/requirements/{requirement_id}")
        overflow = page.evaluate(OVERFLOW)
        assert overflow == [0] * len(overflow), requirement_id


PAGES = {
    "scheduler": [
        "/planning/forecasts",
        "/planning/forecasts/1",
        "/planning/plans",
        "/planning/plans/1",
        "/inbox",
        "/inbox/audit",
        "/inbox/policy",
        "/rosters/",
    ],
    "hr": ["/people", "/careers/", "/careers/sessions"],
    "agent": ["/me", "/my/time-off", "/my/swaps"],
}


def test_the_main_pages_show_every_tables_last_column(page: Page):
    for username, paths in PAGES.items():
        login(page, username)
        for path in paths:
            page.goto(path)
            overflow = page.evaluate(OVERFLOW)
            assert overflow == [0] * len(overflow), path
        logout(page)
