"""Check by simulation through the pages: a job on a hand-made roster and plan of the demo centre, every
figure on the page counted again from the stored roster, requirement and per-interval rows; stale when
the roster changes; planners only."""

import datetime as dt

import pytest
from babel.dates import format_skeleton
from sqlalchemy import select

from tests.hand_roster import START, hand_requirement, make_published
from wfm.models import HistoryInterval, Queue, Roster, SimulationCheck
from wfm.rosters.coverage import on_phones
from wfm.rosters.operations import edit_cell
from wfm.rosters.shift_types import by_id
from wfm.simcheck.figures import summary

DAY0 = dt.datetime.combine(START, dt.time())
OPEN = [DAY0 + dt.timedelta(hours=8, minutes=30 * k) for k in range(28)]  # 08:00 to 22:00


def calls(moment: dt.datetime) -> float:
    return 6.0 + (moment.hour % 5)


def promised(moment: dt.datetime) -> float:
    return 0.8 + 0.01 * (moment.hour % 3)


@pytest.fixture
def roster_id(demo, built, db_session):
    """The hand roster (two day shifts and a late on day 0, lunch breaks from the plan) with a requirement
    of Retail voice for its plan, promising a known service level per interval."""

    def make():
        published = make_published(db_session)
        roster = db_session.get(Roster, published["roster_id"])
        queue = db_session.scalar(select(Queue).where(Queue.name == "Retail voice"))
        rows = {
            DAY0 + dt.timedelta(days=d) + (t - DAY0): (calls(t), 180.0, 2) for d in range(2) for t in OPEN
        }
        requirement = hand_requirement(db_session, queue, START, 7, 30, rows)
        requirement.targets = {
            "model": "erlang-c",
            "service_level": 0.8,
            "answer_seconds": 20,
            "shrinkage": 0.0,
        }
        for row in requirement.intervals:
            row.service_level = promised(row.interval_start)
        roster.plan.settings = {"requirements": {queue.name: requirement.id}, "column": "agents"}
        db_session.commit()
        return roster.id

    return built("simulation roster", make)


def _check(browser, path: str, **fields) -> SimulationCheck:
    data = {"demand": "forecast", "replications": 4, "start": START.isoformat(), "days": 1, **fields}
    response = browser.post(path, {**data, "csrf_token": browser.csrf(path)})
    assert response.status_code == 302, response.get_data(as_text=True)
    from wfm.extensions import db

    return db.session.scalar(select(SimulationCheck).order_by(SimulationCheck.id.desc()))


def _recount(check: SimulationCheck) -> dict:
    rows = check.intervals
    within = sum(r["served_within_target"] for r in rows)
    answered = sum(r["served"] + r["abandoned_after_target"] for r in rows)
    weighted = [(r["forecast"], r["promised"]) for r in rows if r["promised"] is not None]
    return {
        "service_level": within / answered,
        "promised": sum(w * p for w, p in weighted) / sum(w for w, _ in weighted),
        "short": sum(1 for r in rows if r["service_level"] is not None and r["service_level"] < 0.8),
    }


def test_roster_check_counts_agents_forecast_and_summary_from_the_stored_roster(
    roster_id, browser, db_session
):
    browser.login("scheduler")
    check = _check(browser, f"/simulation/rosters/{roster_id}")
    assert check.roster_id == roster_id
    assert check.demand == "forecast"
    roster = db_session.get(Roster, roster_id)
    step = dt.timedelta(minutes=30)
    phones = on_phones(roster, by_id(roster.shift_types), DAY0, DAY0 + dt.timedelta(days=1), step)
    rows = {dt.datetime.fromisoformat(r["interval_start"]): r for r in check.intervals}
    assert sorted(rows) == OPEN  # one row per interval with contacts, one queue
    for moment, row in rows.items():
        assert row["agents_on"] == phones.get(moment, 0)
        assert row["forecast"] == calls(moment)
        assert row["promised"] == pytest.approx(promised(moment))
        assert row["short"] == (row["service_level"] is not None and row["service_level"] < 0.8)
    # By hand: A001 and A003 work 08:00-16:00 with lunch at 12:00; A002 14:00-22:00 with lunch at 18:00.
    hand = {10: 2, 12: 0, 13: 2, 15: 3, 17: 1, 18: 0, 21: 1}
    assert {h: rows[DAY0 + dt.timedelta(hours=h)]["agents_on"] for h in hand} == hand
    again = _recount(check)
    total = check.totals["total"]
    assert total["service_level"] == pytest.approx(again["service_level"])
    assert total["promised"] == pytest.approx(again["promised"])
    assert total["short"] == again["short"]
    assert again["short"] > 0  # nobody answers at lunch: those intervals miss
    lo, hi = total["service_level_ci"]
    assert lo <= total["service_level"] <= hi

    page = browser.get(f"/simulation/{check.id}").get_data(as_text=True)
    expected = summary({**again, "service_level_ci": [lo, hi]})
    assert f"Simulated {100 * again['service_level']:.1f}%" in expected
    assert expected in page
    assert page.count('class="short"') == again["short"]
    shown = browser.get(f"/rosters/{roster_id}").get_data(as_text=True)
    assert expected in shown
    assert 'data-testid="simulation-stale"' not in shown


def test_an_edit_of_the_roster_marks_its_check_out_of_date(roster_id, browser, db_session):
    browser.login("scheduler")
    _check(browser, f"/simulation/rosters/{roster_id}")
    roster = db_session.get(Roster, roster_id)
    a001 = next(a for a in roster.assignments if a.day == START and a.start.hour == 8)
    edit_cell(roster, a001.agent_id, START, None, roster.lock_version, None)
    db_session.commit()
    page = browser.get(f"/rosters/{roster_id}").get_data(as_text=True)
    assert 'data-testid="simulation-stale"' in page
    assert "The shifts, breaks or activities it simulated changed." in page


def test_plan_check_counts_the_planned_agents_and_replays_the_actual_history(roster_id, browser, db_session):
    roster = db_session.get(Roster, roster_id)
    queue = db_session.scalar(select(Queue).where(Queue.name == "Retail voice"))
    actual = {t: 3.0 + (t.minute // 30) for t in OPEN}
    for t, offered in actual.items():
        db_session.add(
            HistoryInterval(
                queue_id=queue.id, interval_start=t, interval_minutes=30, offered=offered, aht_seconds=150
            )
        )
    db_session.commit()
    browser.login("scheduler")
    check = _check(browser, f"/simulation/plans/{roster.plan_id}", demand="actual")
    assert check.roster_id is None
    assert check.plan_id == roster.plan_id
    assert check.demand == "actual"
    rows = {dt.datetime.fromisoformat(r["interval_start"]): r for r in check.intervals}
    assert {t: r["forecast"] for t, r in rows.items()} == actual
    # The plan starts two day shifts at 08:00 and a late at 14:00, each with a lunch break as above.
    hand = {10: 2, 12: 0, 13: 2, 15: 3, 17: 1, 18: 0, 21: 1}
    assert {h: rows[DAY0 + dt.timedelta(hours=h)]["agents_on"] for h in hand} == hand
    assert any("actual contacts" in note for note in check.notes)
    page = browser.get(f"/planning/plans/{roster.plan_id}").get_data(as_text=True)
    assert summary(check.totals["total"]) in page  # the plan page shows its latest check
    assert "The planned shifts against the actual history" in page


def test_only_planners_run_or_read_checks(roster_id, browser):
    browser.login("scheduler")
    check = _check(browser, f"/simulation/rosters/{roster_id}")
    browser.post("/logout")
    browser.login("agent")
    for path in (
        f"/simulation/{check.id}",
        f"/simulation/rosters/{roster_id}",
        f"/simulation/rosters/{roster_id}/latest",
    ):
        assert browser.get(path).status_code == 403
    assert browser.post(f"/simulation/rosters/{roster_id}", {"replications": 2}).status_code in (400, 403)


def test_requirement_corrected_by_simulation_meets_its_target_where_it_has_calls(
    roster_id, browser, db_session
):
    from wfm.models import Requirement

    base = db_session.scalar(select(Requirement).order_by(Requirement.id.desc()))
    browser.login("scheduler")
    path = f"/planning/requirements/{base.id}"
    assert "Correct by simulation" in browser.get(path).get_data(as_text=True)
    response = browser.post(
        f"/simulation/requirements/{base.id}", {"replications": 8, "csrf_token": browser.csrf(path)}
    )
    assert response.status_code == 302
    made = db_session.scalar(select(Requirement).order_by(Requirement.id.desc()))
    assert made.id != base.id
    assert made.targets["by_simulation"]["from_requirement"] == base.id
    assert made.targets["by_simulation"]["converged"]
    before = {r.interval_start: r for r in base.intervals}
    assert sorted(r.interval_start for r in made.intervals) == sorted(before)
    for row in made.intervals:
        assert row.forecast == before[row.interval_start].forecast
        assert row.scheduled_agents == row.agents  # no shrinkage in these targets
        if row.forecast > 0:
            assert row.service_level >= 0.8
    page = browser.get(f"/planning/requirements/{made.id}").get_data(as_text=True)
    assert "Corrected by simulation from" in page


def test_the_check_runs_on_rq_workers_too(roster_id, browser, db_session, jobs_on_redis):
    from wfm.models import Job, JobStatus

    browser.login("scheduler")
    check = _check(browser, f"/simulation/rosters/{roster_id}")
    job = db_session.scalar(select(Job).order_by(Job.id.desc()))
    assert job.kind == "simulation-check"
    assert job.status == JobStatus.DONE
    assert job.result["check_id"] == check.id
    assert job.result["message"] == summary(check.totals["total"])


def test_a_check_of_several_days_shows_one_day_at_a_time_with_each_days_short_count(roster_id, browser):
    browser.login("scheduler")
    check = _check(browser, f"/simulation/rosters/{roster_id}", days=2)
    second = START + dt.timedelta(days=1)
    per_day = {
        day: [r for r in check.intervals if r["interval_start"].startswith(day.isoformat())]
        for day in (START, second)
    }
    assert all(len(rows) == len(OPEN) for rows in per_day.values())
    first_page = browser.get(f"/simulation/{check.id}").get_data(as_text=True)
    second_page = browser.get(f"/simulation/{check.id}?day={second.isoformat()}").get_data(as_text=True)
    for page, day in ((first_page, START), (second_page, second)):
        assert page.count("data-interval=") == len(OPEN)
        assert page.count('class="short"') == sum(r["short"] for r in per_day[day])
        assert f'data-interval="{day.isoformat()}T08:00:00"' in page
        assert "<svg" in page
    for day, rows in per_day.items():  # the pager names each day with its intervals short
        short = sum(r["short"] for r in rows)
        pager = first_page.split('aria-label="Days of the check"', 1)[1].split("</nav>", 1)[0]
        after = pager.split(f"{day:%a %d %b}</", 1)[1][:40]
        assert (f"({short} short)" in after) == bool(short)


def test_a_published_check_counts_the_published_rows_not_the_draft(roster_id, browser, db_session):
    roster = db_session.get(Roster, roster_id)
    a001 = next(a for a in roster.assignments if a.day == START and a.start.hour == 8)
    edit_cell(
        roster, a001.agent_id, START, None, roster.lock_version, None
    )  # a draft change: one day shift fewer
    db_session.commit()
    browser.login("scheduler")
    draft = _check(browser, f"/simulation/rosters/{roster_id}", cells="draft")
    published = _check(browser, f"/simulation/rosters/{roster_id}", cells="published")
    assert draft.version is None
    assert published.version == 1
    at_ten = DAY0 + dt.timedelta(hours=10)

    def on_at_ten(check):
        return next(r["agents_on"] for r in check.intervals if r["interval_start"] == at_ten.isoformat())

    assert on_at_ten(draft) == 1
    assert on_at_ten(published) == 2  # as published: A001 and A003
    page = browser.get(f"/rosters/{roster_id}").get_data(as_text=True)
    assert "Published version 1 against the forecast" in page
    assert 'data-testid="simulation-stale"' not in page  # the published rows did not change since


def test_a_plan_covering_agents_to_schedule_simulates_them_less_its_shrinkage(roster_id, browser, db_session):
    roster = db_session.get(Roster, roster_id)
    requirement_id = roster.plan.settings["requirements"]["Retail voice"]
    roster.plan.settings = {**roster.plan.settings, "column": "scheduled_agents"}
    from wfm.models import Requirement

    requirement = db_session.get(Requirement, requirement_id)
    requirement.targets = {**requirement.targets, "shrinkage": 0.5}
    db_session.commit()
    browser.login("scheduler")
    check = _check(browser, f"/simulation/plans/{roster.plan_id}")
    rows = {dt.datetime.fromisoformat(r["interval_start"]): r for r in check.intervals}
    # The planned agents on the phones (as in the test above) at 10, 12, 13, 15, 17, 18, 21 h are
    # 2, 0, 2, 3, 1, 0, 1; with half of them off for shrinkage, floor(n / 2) stay.
    hand = {10: 1, 12: 0, 13: 1, 15: 1, 17: 0, 18: 0, 21: 0}
    assert {h: rows[DAY0 + dt.timedelta(hours=h)]["agents_on"] for h in hand} == hand
    assert any("shrinkage in its headcount (50% in Retail voice)" in note for note in check.notes)
    _chinese(browser)
    page = browser.get(f"/simulation/{check.id}").get_data(as_text=True)
    assert "该排班计划的人数已计入损耗率（Retail voice 50%）" in page  # the stored note, read back


def test_the_roster_page_keeps_the_out_of_date_test_until_an_edit(
    roster_id, browser, db_session, monkeypatch
):
    from wfm import revision
    from wfm.models import DataRevision
    from wfm.rosters import grid_cache
    from wfm.simcheck import freshness

    if db_session.scalar(select(DataRevision)) is None:  # tests empty every table, this one too
        db_session.add(DataRevision(id=1, token=revision.new_token()))
        db_session.commit()
    grid_cache.clear()
    browser.login("scheduler")
    _check(browser, f"/simulation/rosters/{roster_id}")
    computed = []
    reasons = freshness.reasons
    monkeypatch.setattr(freshness, "reasons", lambda check: computed.append(check.id) or reasons(check))
    for _ in range(2):
        page = browser.get(f"/rosters/{roster_id}").get_data(as_text=True)
        assert 'data-testid="simulation-stale"' not in page
    assert len(computed) == 1  # the second view did not test again
    roster = db_session.get(Roster, roster_id)
    a001 = next(a for a in roster.assignments if a.day == START and a.start.hour == 8)
    edit_cell(roster, a001.agent_id, START, None, roster.lock_version, None)
    db_session.commit()
    page = browser.get(f"/rosters/{roster_id}").get_data(as_text=True)
    assert 'data-testid="simulation-stale"' in page
    assert len(computed) == 2


def test_a_start_day_outside_the_roster_is_refused_by_the_form_and_bands_read_alike(
    roster_id, browser, db_session
):
    from wfm.formatting import band
    from wfm.models import Job

    browser.login("scheduler")
    roster = db_session.get(Roster, roster_id)
    path = f"/simulation/rosters/{roster_id}"
    jobs = db_session.query(Job).count()
    outside = roster.start_date + dt.timedelta(days=roster.days)
    data = {"demand": "forecast", "replications": 2, "start": outside.isoformat(), "days": 1}
    response = browser.post(path, {**data, "csrf_token": browser.csrf(path)})
    assert response.status_code == 400
    last = outside - dt.timedelta(days=1)
    page = response.get_data(as_text=True)
    after_start_field = page.split('name="start"', 1)[1].split('name="', 1)[0]
    assert f"Choose a day from {roster.start_date:%a %d %b %Y} to {last:%a %d %b %Y}." in after_start_field
    assert db_session.query(Job).count() == jobs  # no job started
    check = _check(browser, path)
    shown = browser.get(f"/simulation/{check.id}").get_data(as_text=True)
    for row in check.intervals:
        if row["service_level_ci"]:
            lo, hi = row["service_level_ci"]
            assert f"{100 * lo:.1f}% – {100 * hi:.1f}%" in shown
    lo, hi = check.totals["Retail voice"]["service_level_ci"]
    assert band([lo, hi]) == f"{100 * lo:.1f}% – {100 * hi:.1f}%"
    assert band([lo, hi]) in shown


def _chinese(browser) -> None:
    token = browser.csrf("/")
    assert browser.post("/language", data={"language": "zh_CN", "csrf_token": token}).status_code == 302


def _english_left(html: str) -> list[str]:
    from tests.i18n.walk import VisibleText, data_words, english_words

    parser = VisibleText()
    parser.feed(html)
    return english_words(" ".join(parser.parts), data_words())


def test_a_check_reads_in_chinese_with_its_figures(roster_id, browser, db_session):
    browser.login("scheduler")
    check = _check(browser, f"/simulation/rosters/{roster_id}")
    again = _recount(check)
    _chinese(browser)
    page = browser.get(f"/simulation/{check.id}").get_data(as_text=True)
    level = f"{100 * again['service_level']:.1f}%"
    assert f"模拟服务水平 {level}" in page
    assert f"{again['short']} 个时段未达目标" in page
    assert "Simulated" not in page
    assert _english_left(page) == []
    shown = browser.get(f"/rosters/{roster_id}").get_data(as_text=True)
    assert f"模拟服务水平 {level}" in shown  # the box on the roster page
    box = shown.split('data-testid="simulation-check"')[1].split("</section>")[0]
    assert "当前排班（工作副本），对照预测，" in box  # the draft was checked against the forecast
    assert "已发布版本" not in box
    form = browser.get(f"/simulation/rosters/{roster_id}").get_data(as_text=True)
    assert _english_left(form) == []
    refused = browser.post(
        f"/simulation/rosters/{roster_id}",
        {
            "demand": "forecast",
            "replications": 4,
            "start": (START + dt.timedelta(days=30)).isoformat(),
            "csrf_token": browser.csrf(f"/simulation/rosters/{roster_id}"),
        },
    )
    assert refused.status_code == 400
    roster = db_session.get(Roster, roster_id)
    last = roster.start_date + dt.timedelta(days=roster.days - 1)
    first_day, last_day = (format_skeleton("yMMMEd", d, locale="zh_CN") for d in (roster.start_date, last))
    assert f"请选择 {first_day} 至 {last_day} 之间的日期。" in refused.get_data(as_text=True)


def test_a_stale_check_says_why_in_chinese(roster_id, browser, db_session):
    browser.login("scheduler")
    _check(browser, f"/simulation/rosters/{roster_id}")
    roster = db_session.get(Roster, roster_id)
    a001 = next(a for a in roster.assignments if a.day == START and a.start.hour == 8)
    edit_cell(roster, a001.agent_id, START, None, roster.lock_version, None)
    db_session.commit()
    _chinese(browser)
    page = browser.get(f"/rosters/{roster_id}").get_data(as_text=True)
    assert "所仿真的班次、小休或活动已变更。" in page
    assert "已过时：请重新检验。" in page
