"""Self-service, sign-in and the API in Chinese: figures filled into whole sentences, refusals next to their
field, notifications written in the language of whoever reads them (not of whoever caused them), and API
error messages in the token owner's language with the machine-readable codes unchanged."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.hand_roster import PATTERN, START, make_published
from tests.web.api_support import Api, make_token
from wfm.models import Notification, TimeOff, User


def _chinese(browser) -> None:
    token = browser.csrf("/")
    assert browser.post("/language", data={"language": "zh_CN", "csrf_token": token}).status_code == 302


@pytest.fixture
def published(demo, db_session):
    return make_published(db_session)


def test_my_schedule_in_chinese_fills_the_hours_into_the_sentence(published, browser):
    browser.login("agent")
    _chinese(browser)
    html = browser.get("/my/schedule").get_data(as_text=True)
    # The rolling week (today and six days) holds all of A001's day shifts: 8 h less a 30-minute lunch.
    assert all(0 <= (START - dt.date.today()).days + d <= 6 for d in PATTERN["A001"])
    found = re.search(r"本周在班([\d.]+) 小时（不含小休）。", html)
    assert found, html[:2000]
    assert float(found.group(1)) == pytest.approx(len(PATTERN["A001"]) * 7.5)
    assert "我的排班" in html
    assert "日历订阅" in html
    assert "on shift (breaks excluded)" not in html
    month = browser.get(f"/my/schedule?view=month&date={START}").get_data(as_text=True)
    assert f"{START.year}年{START.month}月" in month  # the month's title in Chinese date form


def test_time_off_refusal_and_success_read_in_chinese(published, browser, db_session):
    browser.login("agent")
    _chinese(browser)
    token = browser.csrf("/my/time-off")
    first = dt.date.today() + dt.timedelta(days=20)
    refused = browser.post(
        "/my/time-off",
        data={
            "csrf_token": token,
            "kind": "vacation",
            "first_day": first.isoformat(),
            "last_day": (first - dt.timedelta(days=2)).isoformat(),
        },
    )
    assert refused.status_code == 400
    assert "最后一天早于第一天" in refused.get_data(as_text=True)
    asked = browser.post(
        "/my/time-off",
        data={"csrf_token": token, "kind": "vacation", "first_day": first, "last_day": first},
        follow_redirects=True,
    )
    page = asked.get_data(as_text=True)
    assert f"休假{first.month}月{first.day}日" in page  # the flash: its period in Chinese date form
    row = db_session.scalar(select(TimeOff).where(TimeOff.first_day == first))
    assert row is not None
    assert row.status in ("requested", "approved")
    assert ("待审批" if row.status == "requested" else "已批准") in page


def test_a_notification_reads_in_the_readers_language_whoever_caused_it(published, browser, db_session):
    """The agent asks in Chinese; the scheduler reads the notice in English. The scheduler decides in
    Chinese; the agent reads the decision in Chinese and English alike, from the same stored row."""
    scheduler = db_session.scalar(select(User).where(User.username == "scheduler"))
    before = {n.id for n in db_session.scalars(select(Notification))}
    browser.login("agent")
    _chinese(browser)
    first = dt.date.today() + dt.timedelta(days=25)
    token = browser.csrf("/my/time-off")
    browser.post(
        "/my/time-off", data={"csrf_token": token, "kind": "vacation", "first_day": first, "last_day": first}
    )
    request = db_session.scalar(select(TimeOff).where(TimeOff.first_day == first))
    if request.status != "requested":
        pytest.skip("the demo site's policy approved it at once")
    to_scheduler = [
        n
        for n in db_session.scalars(select(Notification).where(Notification.user_id == scheduler.id))
        if n.id not in before
    ]
    assert len(to_scheduler) == 1
    english_day = f"{first:%a %d %b}"
    assert to_scheduler[0].message.endswith(f"asks for time off {english_day}")  # stored English copy
    browser.post("/logout", data={"csrf_token": browser.csrf("/")})
    browser.login("scheduler")
    token = browser.csrf("/")
    browser.post("/language", data={"language": "en", "csrf_token": token})  # the scheduler reads English
    assert f"asks for time off {english_day}" in browser.get("/notifications").get_data(as_text=True)
    _chinese(browser)
    token = browser.csrf(f"/inbox/time-off/{request.id}")
    browser.post(
        f"/inbox/time-off/{request.id}", data={"csrf_token": token, "decision": "approve", "note": ""}
    )
    browser.post("/logout", data={"csrf_token": browser.csrf("/")})
    browser.login("agent")  # the agent's stored choice is Chinese
    chinese = browser.get("/notifications").get_data(as_text=True)
    assert f"您{first.month}月{first.day}日" in chinese
    assert "的休假已批准" in chinese
    token = browser.csrf("/")
    browser.post("/language", data={"language": "en", "csrf_token": token})
    english = browser.get("/notifications").get_data(as_text=True)
    assert f"Your time off {english_day} was approved" in english


def test_a_notification_kept_before_reads_through_the_catalogue(published, browser, db_session):
    agent = db_session.scalar(select(User).where(User.username == "agent"))
    db_session.add(Notification(user_id=agent.id, message="Swap declined.", url=""))  # a fixed sentence
    db_session.add(Notification(user_id=agent.id, message="Something only English knows.", url=""))
    db_session.commit()
    browser.login("agent")
    _chinese(browser)
    html = browser.get("/notifications").get_data(as_text=True)
    assert "已拒绝换班。" in html
    assert "Something only English knows." in html  # shown as it was kept, never lost


def test_api_messages_follow_the_token_owners_language_codes_stay(app, demo, db_session):
    agent = db_session.scalar(select(User).where(User.username == "scheduler"))
    secret = make_token(db_session, "scheduler")
    caller = Api(app, secret)
    english = caller.get("/api/v1/jobs/987654")
    assert english.status_code == 404
    assert english.json["message"] == "no job with id 987654"
    agent.language = "zh_CN"
    db_session.commit()
    chinese = caller.get("/api/v1/jobs/987654")
    assert chinese.status_code == 404
    assert chinese.json["code"] == 404
    assert chinese.json["status"] == "Not Found"
    assert chinese.json["message"] == "没有编号为 987654 的任务"
    anonymous = Api(app, None).get("/api/v1/jobs/1", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert anonymous.status_code == 401
    assert anonymous.json["message"].startswith("请发送有效的 API 令牌")


def test_sign_in_refusal_in_chinese(demo, browser):
    token = browser.csrf("/login")
    browser.post("/language", data={"language": "zh_CN", "csrf_token": token})
    token = browser.csrf("/login")
    refused = browser.post("/login", data={"username": "agent", "password": "wrong", "csrf_token": token})
    assert "用户名或密码错误" in refused.get_data(as_text=True)


def test_the_mail_is_in_the_recipients_language_not_the_deciders(
    published, browser, db_session, app, monkeypatch
):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            sent.append((message["To"], message["Subject"], message.get_content()))

    from wfm.selfservice import notify

    monkeypatch.setattr(notify.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example.org")
    agent = db_session.scalar(select(User).where(User.username == "agent"))
    agent.email, agent.language = "agent@example.org", "zh_CN"
    db_session.commit()
    first = dt.date.today() + dt.timedelta(days=30)
    browser.login("agent")
    token = browser.csrf("/my/time-off")
    browser.post(
        "/my/time-off", data={"csrf_token": token, "kind": "vacation", "first_day": first, "last_day": first}
    )
    request = db_session.scalar(select(TimeOff).where(TimeOff.first_day == first))
    if request.status != "requested":
        pytest.skip("the demo site's policy approved it at once")
    browser.post("/logout", data={"csrf_token": browser.csrf("/")})
    browser.login("scheduler")
    browser.post("/language", data={"language": "en", "csrf_token": browser.csrf("/")})  # reads English
    token = browser.csrf(f"/inbox/time-off/{request.id}")
    browser.post(
        f"/inbox/time-off/{request.id}", data={"csrf_token": token, "decision": "reject", "note": "busy"}
    )
    mails = [m for m in sent if m[0] == "agent@example.org"]
    assert len(mails) == 1
    assert mails[0][1].startswith(f"WFM: 您{first.month}月{first.day}日")
    assert mails[0][1].endswith("的休假未获批准：busy")
    stored = db_session.scalar(
        select(Notification).where(Notification.user_id == agent.id).order_by(Notification.id.desc())
    )
    assert stored.message == f"Your time off {first:%a %d %b} was not approved: busy"  # the English copy


def test_the_calendar_feed_speaks_its_owners_language(published, browser, db_session):
    """Nobody signs in to read a feed: its titles follow the agent's stored language."""
    from icalendar import Calendar

    browser.login("agent")
    response = browser.post("/my/calendar", {"action": "renew", "csrf_token": browser.csrf("/my/schedule")})
    token = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", response.get_data(as_text=True)).group(1)
    browser.post("/logout", data={"csrf_token": browser.csrf("/")})

    def shift_titles() -> list[str]:
        calendar = Calendar.from_ical(browser.get(f"/calendar/{token}.ics").data)
        return [str(e["summary"]) for e in calendar.walk("VEVENT") if str(e["uid"]).startswith("shift-")]

    english = shift_titles()
    assert len(english) == len(PATTERN["A001"])
    assert all(title.startswith("Shift ") for title in english)
    agent = db_session.scalar(select(User).where(User.username == "agent"))
    agent.language = "zh_CN"
    db_session.commit()
    chinese = shift_titles()
    assert [title.replace("班次 ", "Shift ", 1) for title in chinese] == english
