"""The Beijing demo centre (`wfm demo`'s default): Beijing time, China's public holidays and make-up working
days, a Saturday–Sunday weekend, Chinese names for people, teams and queues, the seed article's channels,
and the 1999 calls moved onto its Monday-to-Friday week. The whole demo (history, forecasts, plan, roster)
is loaded by the slow test in test_demo_command.py."""

from __future__ import annotations

import datetime as dt
import re

import holidays
import pytest
from sqlalchemy import select

from tests.hand_roster import make_published
from wfm.demo import beijing, centres, organisation
from wfm.demo import history as demo_history
from wfm.models import Agent, Channel, Queue, ShiftTemplate, Site, Team, User
from wfm.rosters.problem import rules_in_force

HAN = re.compile(r"[\u4e00-\u9fff]")
TODAY = dt.date(2026, 3, 4)


def test_the_default_centre_is_beijing_and_tel_aviv_stays_the_structure():
    assert centres.named(None) is beijing.CENTRE
    assert centres.named("tel-aviv") is organisation.TEL_AVIV
    assert organisation.TEL_AVIV.site["name"] == organisation.SITE["name"]  # Tel Aviv keeps its own words
    assert all(organisation.TEL_AVIV.say("queue", q[0]) == q[0] for q in organisation.QUEUES)


def test_the_site_is_in_beijing_with_china_s_calendar_and_a_saturday_sunday_weekend(demo_beijing, db_session):
    site = db_session.scalars(select(Site)).one()
    assert site.name == beijing.CENTRE.site["name"]
    assert site.time_zone == "Asia/Shanghai"
    assert site.country == "CN"
    assert rules_in_force(site).weekend_days == [5, 6]
    # China's calendar for that country: the Spring Festival of 2026 is a holiday, and the Saturday before
    # it (a weekend day of the site) is a make-up working day (调休) the holidays package knows.
    calendar = holidays.country_holidays(site.country, years=2026)
    assert dt.date(2026, 2, 17) in calendar
    make_up = dt.date(2026, 2, 14)
    assert make_up.weekday() in rules_in_force(site).weekend_days
    assert make_up in calendar.weekend_workdays
    assert calendar.is_working_day(make_up)
    # Open Monday to Friday all day, a short Saturday and a Sunday evening: the structure's week a day later
    hours = {h.weekday: (h.opens_minute, h.closes_minute) for h in site.opening_hours}
    structure = organisation.SITE["hours"]
    assert hours == {(day + 1) % 7: span for day, span in structure.items()}
    assert all(hours[day] == hours[0] for day in range(5))
    assert hours[5][1] - hours[5][0] < hours[0][1] - hours[0][0]
    assert hours[6][0] >= 18 * 60


def test_people_teams_queues_and_templates_have_chinese_names(demo_beijing, db_session):
    agents = db_session.scalars(select(Agent)).all()
    names = [a.name for a in agents]
    assert len(names) == len(set(names)) == len(agents)
    surnames = {s for s, _ in beijing.SURNAMES}
    for name in names:
        assert 2 <= len(name) <= 3
        assert all(HAN.fullmatch(c) for c in name), name
        assert name[0] in surnames
        assert name[1:] in beijing.GIVEN_NAMES
    assert len({n[0] for n in names}) >= 15  # many surnames, the common ones more often
    for model in (Team, Queue, ShiftTemplate):
        rows = db_session.scalars(select(model)).all()
        assert rows
        assert all(HAN.search(r.name) and not re.search("[A-Za-z]", r.name) for r in rows), model
    teams = {t.name for t in db_session.scalars(select(Team))}
    assert "零售客服一组" in teams
    assert len(teams) == len(organisation.TEAMS) + 1  # and the floor-support team


def test_the_article_s_channels_are_queues_and_voice_keeps_the_1999_call_types(demo_beijing, db_session):
    queues = db_session.scalars(select(Queue)).all()
    by_channel = {}
    for q in queues:
        by_channel.setdefault(q.channel, []).append(q.name)
    assert set(by_channel) == {Channel.VOICE, Channel.CHAT, Channel.VIDEO, Channel.BACK_OFFICE}
    assert "在线文字客服" in by_channel[Channel.CHAT]  # 文字
    assert "视频客服" in by_channel[Channel.VIDEO]  # 视频
    assert "后台业务处理" in by_channel[Channel.BACK_OFFICE]  # 后台业务处理
    assert all(name.endswith(("语音", "热线", "咨询")) for name in by_channel[Channel.VOICE])  # 语音
    codes = {c.strip() for q in queues for c in q.import_codes.split(",") if c.strip()}
    assert {"PS", "PS-priority", "NE", "IN", "PE", "NW", "TT"} <= codes


def test_demo_users_keep_their_names_and_password_and_show_chinese_names(demo_beijing, db_session, browser):
    users = {u.username: u for u in db_session.scalars(select(User))}
    assert {username for username, *_ in organisation.DEMO_USERS} <= set(users)  # (and the careers' "qa")
    for username, user in users.items():
        assert HAN.search(user.display_name), username
        if user.agent_id is not None:
            assert user.display_name == db_session.get(Agent, user.agent_id).name
    assert browser.login("scheduler").status_code == 302
    assert users["scheduler"].display_name in browser.get("/planning").get_data(as_text=True)


def test_every_career_field_has_people(demo_beijing, db_session):
    from wfm.careers.store import load_catalogue
    from wfm.models.careers import CareerProfile

    fields = {p.primary_field for p in db_session.scalars(select(CareerProfile))}
    assert fields == set(load_catalogue().fields)
    assert len(fields) == 9  # the article's four service, two operations and three analysis fields


def test_a_published_roster_shows_chinese_names_to_the_scheduler_and_the_agent(
    demo_beijing, db_session, browser
):
    made = make_published(db_session)
    browser.login("scheduler")
    page = browser.get(f"/rosters/{made['roster_id']}").get_data(as_text=True)
    for number in ("A001", "A002", "A003"):
        assert made[number].name in page
    browser.post("/logout")
    browser.login("agent")
    me = db_session.scalars(select(User).where(User.username == "agent")).one()
    page = browser.get("/my/schedule").get_data(as_text=True)
    assert me.display_name in page


def test_the_history_is_the_1999_calls_moved_onto_the_centre_s_week():
    """Beijing's history is the 1999 calls one weekday later: its calls per weekday are the source file's
    calls of the weekday before (the few imputed half calls rounded), and it ends before the day it is
    loaded."""
    import pandas as pd

    ours = demo_history.queue_history(TODAY, beijing.CENTRE.days_later)[0].frame
    source = pd.read_csv(demo_history.DATA / "calls_6min_1999.csv.gz", usecols=["date", "calls"])
    weekday = pd.to_datetime(source["date"]).dt.day_of_week
    theirs = source.groupby(weekday)["calls"].sum()
    halves = source.groupby(weekday)["calls"].agg(lambda c: int((c != c.round()).sum()))
    assert ours["interval_start"].max() < dt.datetime.combine(TODAY, dt.time())
    assert ours["interval_start"].max() >= dt.datetime.combine(TODAY - dt.timedelta(days=7), dt.time())
    per_day = ours.groupby(ours["interval_start"].dt.day_of_week)["offered"].sum()
    for day in range(7):
        assert abs(per_day[(day + 1) % 7] - theirs[day]) <= halves[day], day
    assert per_day.idxmin() == 6  # the 1999 Saturday (closed until the evening) is Beijing's Sunday
    assert per_day[[0, 1, 2, 3, 4]].min() > per_day[5]  # Monday to Friday are the working days


@pytest.mark.slow  # derives the 1999 year twice (~10 s)
def test_replay_sends_a_beijing_day_its_own_weekday_of_1999(demo_beijing, db_session):
    """`wfm demo replay-day` on the Beijing centre replays the day its history holds: a Sunday gets the 1999
    Saturday (closed until the evening), a Monday the 1999 Sunday (a full working day)."""
    from wfm.demo.replay import interval_rows

    site = db_session.scalars(select(Site)).one()
    sunday, monday = dt.date(2026, 3, 8), dt.date(2026, 3, 9)
    for day, evening_share in ((sunday, (0.8, 1.0)), (monday, (0.0, 0.5))):
        rows = [item.row for item in interval_rows(site, day)]
        assert {r["queue"] for r in rows} <= {q.name for q in db_session.scalars(select(Queue))}
        total = sum(r["offered"] for r in rows)
        evening = sum(r["offered"] for r in rows if r["interval_start"][11:] >= "18:00")
        assert total > 0
        assert evening_share[0] <= evening / total <= evening_share[1], day


def test_a_renamed_demo_site_is_still_known_as_its_centre():
    renamed = Site(name="总行客服中心", time_zone="Asia/Shanghai", country="CN")
    assert centres.of_site(renamed) is beijing.CENTRE
    assert (
        centres.of_site(Site(name="Zurich", time_zone="Europe/Zurich", country="CH")) is organisation.TEL_AVIV
    )


def test_careers_open_the_centre_s_chinese_named_queue_skills(demo_beijing, db_session):
    """The career rules name skills in English ("English"); the Beijing centre's 英语服务 carries that name
    as its code, so a validated English competency opens it, as it opens "English" in Tel Aviv."""
    from wfm.careers import operations as ops
    from wfm.models import Skill

    today = dt.date.today()  # the demo is loaded for today
    english = db_session.scalars(select(Skill).where(Skill.name == "英语服务")).one()
    assert english.code == "English"
    agent = next(
        a
        for a in db_session.scalars(select(Agent).where(Agent.leaving_date.is_(None)).order_by(Agent.id))
        if not any(s.skill_id == english.id for s in a.skills_on(today))
    )
    users = {u.username: u for u in db_session.scalars(select(User))}
    item = ops.submit_evidence(agent, users["hr"], "english", 3, today, "IELTS 7.5", today=today)
    ops.decide_evidence(item, users["admin"], "validated", today=today)
    db_session.commit()
    assert any(s.skill_id == english.id for s in agent.skills_on(today))


def test_the_beijing_site_works_the_spring_festival_make_up_saturday(demo_beijing, db_session):
    """China's 2026 Spring Festival: Saturday 14 February is worked (调休), 16–20 February are off. The
    site's calendar plans the Saturday as a weekday its day templates serve, and time off counts it."""
    from wfm.calendars import make_up_weekdays, site_calendar
    from wfm.selfservice.timeoff import working_days

    site = db_session.scalars(select(Site)).one()
    make_up = dt.date(2026, 2, 14)
    calendar = site_calendar(site, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert make_up in calendar.workdays
    assert dt.date(2026, 2, 17) in calendar.holidays
    planned_as = make_up_weekdays(site, [make_up])[make_up]
    assert planned_as < 5
    day_shift = db_session.scalars(select(ShiftTemplate).where(ShiftTemplate.name == "白班")).one()
    assert planned_as in day_shift.days
    agent = db_session.scalars(select(Agent).where(Agent.leaving_date.is_(None)).order_by(Agent.id)).first()
    week = working_days(agent, dt.date(2026, 2, 9), dt.date(2026, 2, 15), rostered=False)
    assert week == [dt.date(2026, 2, d) for d in range(9, 15)]  # Monday to the make-up Saturday
    assert working_days(agent, dt.date(2026, 2, 16), dt.date(2026, 2, 22), rostered=False) == []
