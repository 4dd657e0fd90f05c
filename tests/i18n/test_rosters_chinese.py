"""Rosters and shift plans read in Chinese: a key figure with its value, refusals on the fields they name,
flashes, and the schedule-change notice each agent gets in their own language, whatever the scheduler reads.

The roster is the hand-made published week (`tests/hand_roster.py`)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.hand_roster import _day, make_published
from wfm.models import Notification, Roster, RosterAssignment, User
from wfm.rosters.operations import edit_cell
from wfm.shiftplans.forms import format_breaks, parse_breaks


@pytest.fixture
def hand(demo, db_session):
    return make_published(db_session)


def _read_chinese(browser, username: str = "scheduler") -> None:
    browser.login(username)
    token = browser.csrf("/")
    assert browser.post("/language", data={"language": "zh_CN", "csrf_token": token}).status_code == 302


def test_the_roster_page_says_its_shifts_and_state_in_chinese(hand, browser, db_session):
    shifts = db_session.scalar(
        select(func.count())
        .select_from(RosterAssignment)
        .where(RosterAssignment.roster_id == hand["roster_id"])
    )
    browser.login("scheduler")
    english = browser.get(f"/rosters/{hand['roster_id']}?week=all").get_data(as_text=True)
    assert f"Now: {shifts} shifts, soft cost" in english
    _read_chinese(browser)
    page = browser.get(f"/rosters/{hand['roster_id']}?week=all").get_data(as_text=True)
    assert f"当前：{shifts} 个班次，软性成本" in page
    assert "已发布 v1" in page  # the header's state
    assert "Now:" not in page
    assert "Soft rules broken" not in page
    assert "未满足的软性规则" in page


def test_refusals_and_flashes_are_chinese(hand, browser, db_session):
    roster = db_session.get(Roster, hand["roster_id"])
    _read_chinese(browser)
    # a refusal of the operation, on the field it names, with its values filled in
    page = browser.get(f"/rosters/{roster.id}/activity")
    token = browser.csrf(f"/rosters/{roster.id}/activity")
    answer = browser.post(
        f"/rosters/{roster.id}/activity",
        {
            "csrf_token": token,
            "lock_version": roster.lock_version,
            "kind": "meeting",
            "title": "Huddle",
            "day": _day(0).isoformat(),
            "agents": [hand["A001"].id],
            "minutes": 60,
            "window_from": "09:00",
            "window_to": "09:30",
            "together": "y",
        },
    )
    assert page.status_code == 200
    assert answer.status_code == 400
    assert "60 分钟的活动放不进 30 分钟的时间窗口" in answer.get_data(as_text=True)
    # a form's own validation
    token = browser.csrf(f"/rosters/{roster.id}/reoptimise")
    answer = browser.post(
        f"/rosters/{roster.id}/reoptimise",
        {
            "csrf_token": token,
            "lock_version": roster.lock_version,
            "first": _day(3).isoformat(),
            "last": _day(1).isoformat(),
            "time_limit": 30,
        },
    )
    assert answer.status_code == 400
    assert "最后一天不能早于第一天。" in answer.get_data(as_text=True)
    # a flash after a redirect
    answer = browser.get(f"/rosters/{roster.id}/cell?agent={hand['A001'].id}&day=someday")
    assert answer.status_code == 302
    assert "请选择排班表中的一天。" in browser.get(answer.headers["Location"]).get_data(as_text=True)


def test_each_agent_is_told_in_their_own_language(hand, browser, db_session):
    """The scheduler reads English; A001's account reads Chinese, A002's English: each notice in its
    reader's language, with the day written for that reader."""
    users = {u.agent_id: u for u in db_session.scalars(select(User).where(User.agent_id.isnot(None)))}
    a001, a002 = hand["A001"].id, hand["A002"].id
    if a001 not in users or a002 not in users:
        pytest.skip("the demo gives A001 and A002 logins")
    users[a001].language, users[a002].language = "zh_CN", "en"
    roster = db_session.get(Roster, hand["roster_id"])
    edit_cell(roster, a001, _day(2), None, roster.lock_version, None)
    edit_cell(roster, a002, _day(3), None, roster.lock_version, None)
    db_session.commit()
    before = {n.id for n in db_session.scalars(select(Notification))}
    browser.login("scheduler")
    db_session.refresh(roster)
    assert (
        browser.post(f"/rosters/{roster.id}/publish", {"lock_version": roster.lock_version}).status_code
        == 302
    )
    new = {n.user_id: n for n in db_session.scalars(select(Notification)) if n.id not in before}
    chinese, english = new[users[a001].id], new[users[a002].id]
    # each notice kept as sentences, written out in its reader's language when read
    from wfm.selfservice.messages import decode, written_in

    def read(notice, language):
        return (
            written_in(decode(notice.text["message"]), language),
            "\n".join(written_in(decode(line), language) for line in notice.text["detail"]),
        )

    day = _day(2)
    weekday = "一二三四五六日"[day.weekday()]
    message, detail = read(chinese, "zh_CN")
    assert message.startswith("您已发布的排班有")
    assert "1 天" in message
    assert f"{day.month}月{day.day}日周{weekday}：08:00–16:00 (T-Day) → 休息日" in detail
    message, detail = read(english, "en")
    assert message.startswith("Your published schedule changed on 1 day: ")
    assert f"{_day(3):%a %d %b}: 14:00–22:00 (T-Late) → day off" in detail


def test_break_lines_read_in_either_language(app):
    english = parse_breaks("lunch, 30, 03:00-05:00, unpaid, from 360 min")
    assert parse_breaks("lunch，30，03:00-05:00，无薪，满 360 分钟") == english
    assert english == [
        {
            "name": "lunch",
            "minutes": 30,
            "window": ["03:00", "05:00"],
            "paid": False,
            "min_shift_minutes": 360,
        }
    ]
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        written = format_breaks(english)
        assert written == "lunch, 30, 03:00-05:00, 无薪, 满 360 分钟"
        assert parse_breaks(written) == english  # what the form shows reads back the same
        with pytest.raises(ValueError, match="第 2 行"):
            parse_breaks("lunch, 30, 03:00-05:00\nbreak at noon")


def test_the_template_list_names_weekdays_in_chinese(demo, browser):
    browser.login("scheduler")
    english = browser.get("/planning/templates").get_data(as_text=True)
    _read_chinese(browser)
    page = browser.get("/planning/templates").get_data(as_text=True)
    assert "<th>适用日</th>" in page
    assert "<th>Days</th>" in english
    assert "周一" in page
    assert "Deactivate" not in page
    assert "停用" in page


def test_the_roster_pdf_prints_its_words_in_chinese(hand, browser, db_session):
    import io
    import re

    from pypdf import PdfReader

    days = db_session.get(Roster, hand["roster_id"]).days
    _read_chinese(browser)
    response = browser.get(f"/rosters/{hand['roster_id']}.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    text = re.sub(r"\s+", "", "\n".join(page.extract_text() for page in reader.pages))
    assert "已发布第1版" in text
    assert "坐席" in text
    assert f"第1页，共{len(reader.pages)}页" in text
    assert "published version" not in text
    assert text.count("周") >= days  # every day's heading has its weekday in Chinese


def test_the_change_log_is_written_in_the_language_of_who_made_the_change(hand, browser, db_session):
    """A scheduler reading Chinese publishes: the roster's change log says so in Chinese, with the version
    and the count of agents affected (counted here from the notices sent)."""
    from wfm.models import RosterChange

    roster = db_session.get(Roster, hand["roster_id"])
    edit_cell(roster, hand["A001"].id, _day(2), None, roster.lock_version, None)
    db_session.commit()
    scheduler = db_session.scalar(select(User).where(User.username == "scheduler"))
    scheduler.language = "zh_CN"
    db_session.commit()
    told_before = db_session.scalar(select(func.count()).select_from(Notification))
    browser.login("scheduler")
    db_session.refresh(roster)
    answer = browser.post(f"/rosters/{roster.id}/publish", {"lock_version": roster.lock_version})
    assert answer.status_code == 302
    told = db_session.scalar(select(func.count()).select_from(Notification)) - told_before
    note = (
        db_session.scalars(
            select(RosterChange).where(RosterChange.kind == "publish").order_by(RosterChange.id.desc())
        )
        .first()
        .note
    )
    assert note == f"第 {roster.published_version} 版：影响 {told} 名坐席"
    page = browser.get(f"/rosters/{roster.id}").get_data(as_text=True)
    assert note in page
