"""Capacity pages on the demo centre: HR builds scenarios from the live centre, compares them, exports the
plan as CSV and PDF; agents never see them; a bad form value is refused naming the field, nothing saved."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from wfm.models import Agent, CapacityScenario, Job

FORM = {
    "months": "12",
    "entry_salary": "3000",
    "salary_step": "700",
    "class_min": "3",
    "class_max": "10",
    "training_months": "2",
    "cost_per_hire": "4000",
    "shortfall_cost": "9000",
    "overtime_share": "0.05",
}


def build(browser, name: str, variant: str):
    """Submit the form; the plan is a job (run at once under the tests' JOBS_INLINE), whose page then
    sends the browser to the saved scenario."""
    token = browser.csrf("/capacity/")
    answer = browser.post("/capacity/", {**FORM, "name": name, "variant": variant, "csrf_token": token})
    assert answer.status_code == 302
    assert "/capacity/jobs/" in answer.headers["Location"]
    return browser.get(answer.headers["Location"])


@pytest.fixture
def signed_in_hr(demo, browser):
    assert browser.login("hr").status_code == 302
    return browser


def test_hr_builds_compares_and_exports_scenarios_from_the_live_centre(signed_in_hr, db_session):
    browser = signed_in_hr
    base = build(browser, "Base", "base")
    assert base.status_code == 302
    high = build(browser, "Leavers up", "high_attrition")
    assert high.status_code == 302
    rows = db_session.scalars(select(CapacityScenario).order_by(CapacityScenario.id)).all()
    assert [r.name for r in rows] == ["Base", "Leavers up"]
    employed = db_session.scalar(select(func.count(Agent.id)).where(Agent.leaving_date.is_(None)))
    document = rows[0].document
    assert sum(g["headcount"] for g in document["groups"]) == employed
    by_name = {g["name"]: g for g in document["groups"]}
    for group in rows[1].document["groups"]:
        assert group["monthly_attrition"] == pytest.approx(
            min(by_name[group["name"]]["monthly_attrition"] * 1.5, 0.5), abs=1e-5
        )

    page = browser.get(base.headers["Location"]).get_data(as_text=True)
    assert "<svg" in page
    assert "Classes to start" in page
    compared = browser.get(f"/capacity/compare?ids={rows[0].id}&ids={rows[1].id}")
    assert compared.status_code == 200
    text = compared.get_data(as_text=True)
    assert "Base" in text
    assert "Leavers up" in text
    assert text.count("<svg") == 4

    exported = browser.get(f"/capacity/{rows[0].id}/plan.csv")
    assert exported.status_code == 200
    lines = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert len(lines) == 12 * len(document["groups"])
    ends: dict[str, Decimal] = {}
    for line in lines:
        d = {k: Decimal(line[k]) for k in ("headcount_start", "hires", "leavers", "moved_out", "moved_in")}
        end = Decimal(line["headcount_end"])
        assert end == d["headcount_start"] + d["hires"] - d["leavers"] - d["moved_out"] + d["moved_in"]
        assert ends.get(line["group"], d["headcount_start"]) == d["headcount_start"]
        ends[line["group"]] = end
    pdf = browser.get(f"/capacity/{rows[0].id}/plan.pdf")
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("class_max", "2", "The largest class must be at least the smallest."),
        ("start", "2027-13", "Write the first month as YYYY-MM"),
        ("start", "2001-01", "The plan starts next month or later."),
        ("months", "40", "Between 12 and 24."),
        ("cost_per_hire", "-5", "Between 0 and 1,000,000."),
        ("overtime_share", "0.9", "Between 0 and 0.5."),
        ("variant", "optimistic", "Choose one of the listed variants."),
    ],
)
def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_saved(
    signed_in_hr, db_session, field, value, message
):
    token = signed_in_hr.csrf("/capacity/")
    form = {**FORM, "name": "Bad", "variant": "base", "csrf_token": token, field: value}
    answer = signed_in_hr.post("/capacity/", form)
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert message in page
    at_field = page[page.index(f'id="{field}"') :]
    at_field = at_field[: at_field.index("</p>")]  # the field's own paragraph holds its message
    assert message in at_field
    assert db_session.scalar(select(func.count(CapacityScenario.id))) == 0
    assert db_session.scalar(select(func.count(Job.id))) == 0


def test_agents_never_see_capacity(demo, browser):
    browser.login("agent")
    assert browser.get("/capacity/").status_code == 403
    assert browser.get("/capacity/compare?ids=1&ids=2").status_code == 403
