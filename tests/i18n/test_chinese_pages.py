"""Each role, reading Chinese, walks every page it can reach: no English is left (names, codes and numbers
aside; see tests/i18n/walk.py). `WFM_WALK_ONLY=/rosters,/plans` checks only pages under those paths (the
walk still follows every link), for working on one area."""

import os

import pytest

from tests.hand_roster import make_published
from tests.i18n.walk import walk

ROLES = ("scheduler", "hr", "agent", "admin")


@pytest.mark.parametrize("username", ROLES)
def test_every_page_reads_in_chinese(username, demo_beijing, browser, db_session):
    make_published(db_session)
    browser.login(username)
    token = browser.csrf("/")
    assert browser.post("/language", data={"language": "zh_CN", "csrf_token": token}).status_code == 302
    only = tuple(prefix for prefix in os.environ.get("WFM_WALK_ONLY", "").split(",") if prefix)
    left = walk(browser.client, "/", limit=250, only=only)
    listed = "\n".join(f"{url}: {' '.join(words[:25])}" for url, words in sorted(left.items())[:80])
    assert not left, f"English left on {len(left)} pages for {username}:\n{listed}"
