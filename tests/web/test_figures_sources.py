"""Every derived object says what it was built from and, once that changed, that it is out of date with a way
to rebuild: forecast → requirement → shift plan → roster, on the pages and in the API's JSON."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.web.api_support import Api, make_token
from tests.web.conftest import FIRST, HISTORY_DAYS, plan_via_pages
from tests.web.planning_data import history_csv, upload
from wfm.models import Agent, Forecast, Queue, Requirement, Roster, ShiftPlan, ShiftTemplate, Site

START = FIRST + dt.timedelta(days=HISTORY_DAYS)
DAYS = 7
OUT_OF_DATE = "Out of date"


@pytest.fixture
def chain(app, history, built, browser, db_session):
    """Forecast, requirement, shift plan and roster of a week of the test queue, each built by its page."""

    def build():
        plan = plan_via_pages(browser, history, START, DAYS)
        from wfm.rosters.problem import rules_for

        rules_for(db_session.scalar(select(Site))).hours_below_contract = 40
        db_session.commit()
        response = browser.post(
            "/rosters/",
            {"plan_id": plan.id, "name": "Week", "start": START.isoformat(), "days": DAYS, "time_limit": 5},
        )
        assert browser.get(response.headers["Location"]).status_code == 302
        return make_token(db_session, "scheduler")

    secret = built("sources-chain", build)
    browser.login("scheduler")
    browser.api = Api(app, secret)
    return {
        "forecast": db_session.scalar(select(Forecast)),
        "requirement": db_session.scalar(select(Requirement)),
        "plan": db_session.scalar(select(ShiftPlan)),
        "roster": db_session.scalar(select(Roster)),
    }


def _page(browser, path: str) -> str:
    response = browser.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _api(browser, path: str) -> dict:
    response = browser.api.get("/api/v1" + path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["sources"]


PAGES = {
    "requirement": lambda c: f"/planning/requirements/{c['requirement'].id}",
    "plan": lambda c: f"/planning/plans/{c['plan'].id}",
    "roster": lambda c: f"/rosters/{c['roster'].id}",
}
APIS = {
    "requirement": lambda c: f"/requirements/{c['requirement'].id}",
    "plan": lambda c: f"/plans/{c['plan'].id}",
    "roster": lambda c: f"/rosters/{c['roster'].id}",
}


def test_a_fresh_chain_names_its_sources_and_is_up_to_date(chain, browser):
    requirement = _page(browser, PAGES["requirement"](chain))
    assert f"forecast #{chain['forecast'].id}" in requirement
    assert OUT_OF_DATE not in requirement
    plan = _page(browser, PAGES["plan"](chain))
    assert f"requirement #{chain['requirement'].id}" in plan
    assert OUT_OF_DATE not in plan
    roster = _page(browser, PAGES["roster"](chain))
    assert f"shift plan #{chain['plan'].id}" in roster
    assert OUT_OF_DATE not in roster
    for name, path in APIS.items():
        sources = _api(browser, path(chain))
        assert sources["checked"], name
        assert not sources["out_of_date"], name
        assert sources["built_from"], name


@pytest.mark.postgres
def test_an_adjusted_forecast_makes_the_whole_chain_out_of_date_until_rebuilt(chain, browser, db_session):
    forecast = chain["forecast"]
    first = forecast.start_date + dt.timedelta(days=1)
    response = browser.post(
        f"/planning/forecasts/{forecast.id}/adjust",
        {
            "first_day": first.isoformat(),
            "last_day": (first + dt.timedelta(days=3)).isoformat(),
            "percent": "20",
            "reason": "campaign",
        },
    )
    assert response.status_code == 302
    requirement = _page(browser, PAGES["requirement"](chain))
    assert OUT_OF_DATE in requirement
    assert "adjusted" in requirement
    assert f'action="/planning/forecasts/{forecast.id}/requirement"' in requirement
    for name, path in APIS.items():
        sources = _api(browser, path(chain))
        assert sources["out_of_date"], name
    assert _api(browser, APIS["requirement"](chain))["changed"] == ["forecast"]
    for name in ("plan", "roster"):
        assert OUT_OF_DATE in _page(browser, PAGES[name](chain)), name

    # Rebuilding the requirement carries the +20 % through; the old one stays out of date.
    assert browser.post(f"/planning/forecasts/{forecast.id}/requirement").status_code == 302
    newest = db_session.scalar(select(Requirement).order_by(Requirement.id.desc()))
    assert newest.id != chain["requirement"].id
    adjusted = sum(i.adjusted for i in forecast.intervals)
    assert sum(i.forecast for i in newest.intervals) == pytest.approx(adjusted)
    assert not _api(browser, f"/requirements/{newest.id}")["out_of_date"]
    # The plan is still out of date: a newer requirement exists for its queue.
    plan = _api(browser, APIS["plan"](chain))
    assert plan["out_of_date"]
    assert "requirements" in plan["changed"]


def test_targets_change_outdates_the_requirement_and_an_unchanged_save_does_not(chain, browser, db_session):
    queue = chain["requirement"].queue
    page = f"/planning/queues/{queue.id}/targets"
    form = _targets_form(queue)
    assert browser.post(page, form).status_code == 302  # the same values again
    assert not _api(browser, APIS["requirement"](chain))["out_of_date"]
    form["shrinkage_percent"] = str(round(queue.shrinkage * 100 + 10, 1))
    assert browser.post(page, form).status_code == 302
    sources = _api(browser, APIS["requirement"](chain))
    assert sources["out_of_date"]
    assert sources["changed"] == ["targets"]
    assert "targets" in " ".join(sources["reasons"])


def _targets_form(queue: Queue) -> dict:
    def pct(v):
        return "" if v is None else str(round(v * 100, 1))

    return {
        "import_codes": queue.import_codes,
        "staffing_model": queue.staffing_model,
        "service_level_percent": pct(queue.service_level),
        "answer_seconds": queue.answer_seconds or "",
        "deadline_hours": queue.deadline_hours or "",
        "max_asa_seconds": queue.max_asa_seconds or "",
        "max_abandon_percent": pct(queue.max_abandon),
        "max_occupancy_percent": pct(queue.max_occupancy),
        "shrinkage_percent": pct(queue.shrinkage) or "0",
        "aht_seconds": queue.aht_seconds,
        "patience_seconds": queue.patience_seconds or "",
    }


@pytest.mark.postgres
def test_a_history_import_outdates_the_forecast_and_what_was_built_from_it(chain, browser, db_session):
    site = db_session.scalar(select(Site))
    # Re-import the last week before the forecast with other draws of the same volumes.
    csv_text = history_csv(START - dt.timedelta(days=7), 7, seed=99)
    response = browser.post(
        "/planning/history",
        {"site_id": site.id, "kind": "intervals", "file": upload(csv_text)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    forecast = _api(browser, f"/forecasts/{chain['forecast'].id}")
    assert forecast["out_of_date"]
    assert forecast["changed"] == ["history"]
    requirement = _api(browser, APIS["requirement"](chain))
    assert requirement["out_of_date"]
    assert requirement["changed"] == []
    assert any("Forecast" in r for r in requirement["reasons"])
    assert OUT_OF_DATE in _page(browser, f"/planning/forecasts/{chain['forecast'].id}")


def test_a_template_change_outdates_the_plan(chain, browser, db_session):
    template = db_session.scalar(select(ShiftTemplate).where(ShiftTemplate.active))
    template.per_hour = template.per_hour + 1
    db_session.commit()
    plan = _api(browser, APIS["plan"](chain))
    assert plan["out_of_date"]
    assert plan["changed"] == ["templates"]
    page = _page(browser, PAGES["plan"](chain))
    assert OUT_OF_DATE in page
    assert f'action="/planning/plans/{chain["plan"].id}/rebuild"' in page


def test_an_agents_contract_change_outdates_the_roster_only(chain, browser, db_session):
    agent = db_session.scalar(select(Agent).where(Agent.employee_number == "A001"))
    agent.contracted_hours = 20 if agent.contracted_hours != 20 else 30
    db_session.commit()
    roster = _api(browser, APIS["roster"](chain))
    assert roster["out_of_date"]
    assert roster["changed"] == ["agents"]
    assert not _api(browser, APIS["plan"](chain))["out_of_date"]
    assert OUT_OF_DATE in _page(browser, PAGES["roster"](chain))


def test_rebuilding_a_plan_solves_it_again_with_the_same_settings(chain, browser, db_session):
    plan = chain["plan"]
    response = browser.post(f"/planning/plans/{plan.id}/rebuild")
    assert response.status_code == 302
    assert "/jobs/" in response.headers["Location"]
    browser.get(response.headers["Location"])
    again = db_session.scalar(select(ShiftPlan).order_by(ShiftPlan.id.desc()))
    assert again.id != plan.id
    assert (again.start_date, again.days, again.settings["column"]) == (
        plan.start_date,
        plan.days,
        plan.settings["column"],
    )
    assert not _api(browser, f"/plans/{again.id}")["out_of_date"]


def test_a_special_day_in_the_horizon_outdates_the_forecast_and_one_far_after_does_not(
    chain, browser, db_session
):
    site = db_session.scalar(select(Site))
    forecast = chain["forecast"]

    def special(day: dt.date):
        response = browser.post(
            "/planning/special-days",
            {"site_id": site.id, "day": day.isoformat(), "name": "Holiday", "kind": "closed"},
        )
        assert response.status_code == 302

    special(forecast.end_date + dt.timedelta(days=60))
    assert not _api(browser, f"/forecasts/{forecast.id}")["out_of_date"]
    special(forecast.start_date + dt.timedelta(days=2))
    sources = _api(browser, f"/forecasts/{forecast.id}")
    assert sources["out_of_date"]
    assert sources["changed"] == ["special_days"]


def test_a_queues_minimum_proficiency_outdates_the_roster(chain, browser, db_session):
    queue = chain["requirement"].queue
    queue.min_proficiency = 5 if queue.min_proficiency != 5 else 1
    db_session.commit()
    roster = _api(browser, APIS["roster"](chain))
    assert roster["out_of_date"]
    assert roster["changed"] == ["queue_skills"]


def test_the_rebuild_offered_starts_with_the_stalest_source(chain, browser, db_session):
    """With the forecast out of date, recalculating the requirement from it would be stale again: the
    requirement, plan and roster all offer to forecast again first."""
    site = db_session.scalar(select(Site))
    response = browser.post(
        "/planning/history",
        {
            "site_id": site.id,
            "kind": "intervals",
            "file": upload(history_csv(START - dt.timedelta(days=7), 7, seed=99)),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    rebuild = f"/planning/forecasts/{chain['forecast'].id}/rebuild"
    for name, path in APIS.items():
        assert _api(browser, path(chain))["rebuild"]["url"] == rebuild, name
    assert f'action="{rebuild}"' in _page(browser, PAGES["plan"](chain))
    response = browser.post(rebuild)
    assert response.status_code == 302
    browser.get(response.headers["Location"])
    again = db_session.scalar(select(Forecast).order_by(Forecast.id.desc()))
    assert again.id != chain["forecast"].id
    assert not _api(browser, f"/forecasts/{again.id}")["out_of_date"]


def test_re_optimising_the_whole_roster_brings_it_up_to_date_with_the_agents(chain, browser, db_session):
    """The roster is a draft (nothing frozen), so a re-optimise re-solves all of it against today's agents."""
    agent = db_session.scalar(select(Agent).where(Agent.employee_number == "A001"))
    agent.contracted_hours = 20 if agent.contracted_hours != 20 else 30
    db_session.commit()
    roster = chain["roster"]
    assert _api(browser, APIS["roster"](chain))["out_of_date"]
    response = browser.post(
        f"/rosters/{roster.id}/reoptimise", {"lock_version": roster.lock_version, "time_limit": 5}
    )
    assert response.status_code == 302
    browser.get(response.headers["Location"])
    db_session.expire_all()
    assert not _api(browser, APIS["roster"](chain))["out_of_date"]
