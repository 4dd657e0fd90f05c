"""Internal mobility on the demo centre: a move is a placement, not a loss, on every turnover figure; a
vacancy lists the agents eligible for its rung (and those one requirement short), counted independently;
the application workflow checks who takes each step, and an agent sees only their own applications."""

import datetime as dt
import re

import pytest
from sqlalchemy import select

from training.dashboard import ready_for_next_level
from training.eligibility import eligibility
from wfm.careers import dashboards, talent
from wfm.careers.store import load_catalogue, records_of
from wfm.demo import careers as demo_careers
from wfm.home.figures import people_overview
from wfm.models import Agent, User
from wfm.models.talent import Application, Departure, Vacancy

TODAY = dt.date.today()


@pytest.fixture
def centre(demo, built, db_session):
    def load():
        demo_careers.load()
        db_session.commit()

    built("careers demo", load)


def _user(db_session, name) -> User:
    return db_session.scalar(select(User).where(User.username == name))


def _employed(db_session) -> list[Agent]:
    return [a for a in db_session.scalars(select(Agent).order_by(Agent.id)) if a.leaving_date is None]


def test_a_move_is_placed_in_the_bank_and_a_leaver_lost_to_it(centre, browser, db_session):
    hr = _user(db_session, "hr")
    mover, leaver = _employed(db_session)[5:7]
    before = people_overview(TODAY)["year"]
    browser.login("hr")
    on = (TODAY - dt.timedelta(days=3)).isoformat()
    moved = {"kind": "moved", "on": on, "department": "wealth_management", "role": "Relationship assistant"}
    assert browser.post(f"/careers/agents/{mover.id}/departure", moved).status_code == 302
    refused = browser.post(
        f"/careers/agents/{leaver.id}/departure", {"kind": "left", "on": on, "reason": "other"}
    )
    assert refused.status_code == 400
    assert "Say in words why the agent left" in refused.get_data(as_text=True).replace("&#39;", "'")
    left = {"kind": "left", "on": on, "reason": "shift_pattern", "voluntary": "yes", "regretted": "yes"}
    assert browser.post(f"/careers/agents/{leaver.id}/departure", left).status_code == 302
    db_session.expire_all()
    assert (
        db_session.scalar(select(Departure).where(Departure.agent_id == mover.id)).recorded_by == hr.username
    )

    year_ago = TODAY - dt.timedelta(days=365)
    agents = db_session.scalars(select(Agent)).all()
    moved_ids = {d.agent_id for d in db_session.scalars(select(Departure).where(Departure.kind == "moved"))}
    in_year = [a for a in agents if a.leaving_date and year_ago <= a.leaving_date <= TODAY]
    placed = [a for a in in_year if a.id in moved_ids]
    year = people_overview(TODAY)["year"]
    assert year.leavers == before.leavers + 2 == len(in_year)
    assert year.placed == before.placed + 1 == len(placed)
    assert year.lost == len(in_year) - len(placed)
    careers = dashboards.careers_overview(TODAY)
    assert sum(t.placed for t in careers["turnover_by_track"].values()) == len(placed)
    assert sum(t.lost for t in careers["turnover_by_track"].values()) == len(in_year) - len(placed)
    assert careers["placements_by_year"][TODAY.year] == len(
        [d for d in db_session.scalars(select(Departure)) if d.kind == "moved" and d.on.year == TODAY.year]
    )
    page = browser.get("/people").get_data(as_text=True)
    assert "placed in the bank in the last 12 months" in page
    assert f'<div class="figure">{year.placed}</div><div>placed in the bank in the last 12 months' in page


def test_vacancy_lists_the_eligible_and_the_nearly_eligible(centre, browser, db_session):
    browser.login("hr")
    post = {
        "title": "Senior associate",
        "department": "branch_network",
        "field_code": "basic_service",
        "level": "2",
    }
    assert browser.post("/careers/vacancies", post).status_code == 302
    vacancy = db_session.scalar(select(Vacancy).where(Vacancy.title == "Senior associate"))
    cat = load_catalogue()
    employed = _employed(db_session)
    records = records_of(employed)
    ready = {
        r.agent_id
        for r in ready_for_next_level(records, cat, TODAY)
        if r.field == "basic_service" and r.next_level == 2
    }
    rung = cat.level("basic_service", 2)
    one_short = {
        r.agent_id
        for r in records
        if r.level_on("basic_service", TODAY) < 2 and len(eligibility(r, rung, TODAY, cat).missing) == 1
    }
    found = talent.vacancy_candidates(vacancy, TODAY)
    assert {str(c["agent"].id) for c in found["eligible"]} == ready
    assert {str(c["agent"].id) for c in found["nearly"]} == one_short
    assert ready or one_short  # the demo has someone to list
    page = browser.get(f"/careers/vacancies/{vacancy.id}").get_data(as_text=True)
    names = {a.id: a.name for a in employed}
    for agent_id in ready | one_short:
        assert names[int(agent_id)].replace("'", "&#39;") in page


def test_application_workflow_checks_who_takes_each_step(centre, browser, db_session):
    cat = load_catalogue()
    rungs = [(code, lv) for code, f in cat.fields.items() for lv in f.ladder.levels]

    def shorts_of(user):
        record = records_of([user.agent])[0]
        return {
            (code, lv.number): len(eligibility(record, lv, TODAY, cat).missing)
            for code, lv in rungs
            if record.level_on(code, TODAY) < lv.number
        }

    # a demo agent with a rung within reach (at most one requirement short) and one beyond it
    mine = next(
        name
        for name in ("agent", "agent2", "agent3")
        if min(shorts_of(_user(db_session, name)).values()) <= 1
    )
    other_name = "agent3" if mine != "agent3" else "agent"
    me, other = _user(db_session, mine), _user(db_session, other_name)
    shorts = shorts_of(me)
    reach = next(rung for rung, missing in shorts.items() if missing <= 1)
    beyond = next(rung for rung, missing in shorts.items() if missing >= 2)
    hr = _user(db_session, "hr")
    vacancy = talent.post_vacancy(hr, "Within reach", "risk", *reach, today=TODAY)
    talent.post_vacancy(hr, "Out of reach", "it", *beyond, today=TODAY)
    db_session.commit()
    browser.login(mine)
    listed = browser.get("/careers/me/vacancies").get_data(as_text=True)
    assert "Within reach" in listed
    assert "Out of reach" not in listed
    assert browser.post(f"/careers/me/vacancies/{vacancy.id}/apply").status_code == 302
    row = db_session.scalar(
        select(Application).where(Application.agent_id == me.agent_id, Application.vacancy_id == vacancy.id)
    )
    assert row.status == "applied"
    assert browser.post(f"/careers/applications/{row.id}", {"to": "shortlisted"}).status_code == 403
    browser.client.post("/logout")
    browser.login(other_name)
    assert (
        "Within reach"
        not in browser.get("/careers/me/vacancies").get_data(as_text=True).split("My applications")[1]
    )
    assert browser.post(f"/careers/applications/{row.id}", {"to": "withdrawn"}).status_code == 404
    browser.client.post("/logout")
    browser.login("hr")
    assert browser.post(f"/careers/applications/{row.id}", {"to": "shortlisted"}).status_code == 302
    assert browser.post(f"/careers/applications/{row.id}", {"to": "offered"}).status_code == 302
    assert browser.post(f"/careers/applications/{row.id}", {"to": "accepted"}).status_code == 403
    browser.client.post("/logout")
    browser.login(mine)
    assert browser.post(f"/careers/applications/{row.id}", {"to": "accepted"}).status_code == 302
    db_session.expire_all()
    assert [e.to_state for e in db_session.get(Application, row.id).log] == [
        "applied",
        "shortlisted",
        "offered",
        "accepted",
    ]
    assert other.agent_id != me.agent_id
    page = browser.get("/careers/me/vacancies").get_data(as_text=True)
    assert re.search(r"Within reach</td><td>accepted", page)


def test_hr_edits_and_closes_a_vacancy_and_an_agent_cannot(centre, browser, db_session):
    hr = _user(db_session, "hr")
    vacancy = talent.post_vacancy(hr, "Analyst", "risk", "basic_service", 1, today=TODAY)
    db_session.commit()
    assert vacancy.id in {v.id for v in talent.open_vacancies(TODAY)}
    browser.login("agent")
    edit = {"title": "Analyst", "description": "", "closes_on": "", "is_open": "no"}
    assert browser.post(f"/careers/vacancies/{vacancy.id}", edit).status_code == 403
    db_session.expire_all()
    assert db_session.get(Vacancy, vacancy.id).is_open
    browser.client.post("/logout")
    browser.login("hr")
    refused = browser.post(f"/careers/vacancies/{vacancy.id}", {**edit, "title": " ", "is_open": "yes"})
    assert refused.status_code == 400
    renamed = {**edit, "title": "Risk analyst", "description": "Credit files", "is_open": "yes"}
    assert browser.post(f"/careers/vacancies/{vacancy.id}", renamed).status_code == 302
    db_session.expire_all()
    row = db_session.get(Vacancy, vacancy.id)
    assert (row.title, row.description, row.is_open) == ("Risk analyst", "Credit files", True)
    assert browser.post(f"/careers/vacancies/{vacancy.id}", {**renamed, "is_open": "no"}).status_code == 302
    db_session.expire_all()
    assert not db_session.get(Vacancy, vacancy.id).is_open
    assert vacancy.id not in {v.id for v in talent.open_vacancies(TODAY)}
