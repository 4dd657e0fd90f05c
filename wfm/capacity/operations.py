"""Saving a capacity scenario: the form is checked in the request; building the scenario from the live
centre (measured rates, the long-range forecast) and solving it run as a job (`capacity`), whose result is
stored with the scenario, so the pages, the comparison and the exports only read. A job that fails or is
cancelled stores nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

from flask_babel import gettext as _

from scheduling.capacity import ScenarioError, balanced_rows, parse_scenario, solve
from scheduling.capacity.scenario import MONTH
from wfm.capacity.centre import VARIANTS, Settings, build_document
from wfm.careers.forms import number, text
from wfm.commands.capacity import plan_summary
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.i18n import translate
from wfm.jobs.lifecycle import JobContext, job_function
from wfm.models import CapacityScenario

SOLVE_SECONDS = 20.0
LOOKAHEAD_MONTHS = 6  # plan past the horizon so its last months are not left short (see `solve`)


class CapacityRefused(FieldError):
    """A capacity scenario the form cannot build."""


def next_month(today: dt.date) -> str:
    year, month = divmod(today.year * 12 + today.month, 12)
    return f"{year:04d}-{month + 1:02d}"


def read_settings(form: Mapping, today: dt.date) -> Settings:
    variant = (form.get("variant") or "base").strip()
    if variant not in VARIANTS:
        raise CapacityRefused("variant", _("Choose one of the listed variants."))
    start = (form.get("start") or next_month(today)).strip()
    match = MONTH.match(start)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise CapacityRefused("start", _("Write the first month as YYYY-MM, for example 2027-03."))
    if start < next_month(today):
        raise CapacityRefused("start", _("The plan starts next month or later."))
    class_min = int(number(form, "class_min", 1, 200, integer=True) or 1)
    class_max = int(number(form, "class_max", 1, 200, integer=True) or 1)
    if class_max < class_min:
        raise CapacityRefused("class_max", _("The largest class must be at least the smallest."))
    return Settings(
        name=text(form, "name", limit=120),
        variant=variant,
        start=start,
        months=int(number(form, "months", 12, 24, integer=True) or 18),
        entry_salary=float(number(form, "entry_salary", 0, 1e6) or 0),
        salary_step=float(number(form, "salary_step", 0, 1e6) or 0),
        class_min=class_min,
        class_max=class_max,
        training_months=int(number(form, "training_months", 0, 12, integer=True) or 0),
        cost_per_hire=float(number(form, "cost_per_hire", 0, 1e6) or 0),
        shortfall_cost=float(number(form, "shortfall_cost", 0, 1e7) or 0),
        overtime_share=float(number(form, "overtime_share", 0, 0.5) or 0),
    )


def job_params(settings: Settings, today: dt.date) -> dict:
    return {"settings": dataclasses.asdict(settings), "today": today.isoformat()}


@job_function("capacity")
def run_capacity(ctx: JobContext, settings: dict, today: str) -> dict:
    ctx.progress(0.05, _("Measuring headcount, attrition and promotions, and forecasting demand"))
    row = create_scenario(Settings(**settings), dt.date.fromisoformat(today), ctx.user_id, ctx)
    return {
        "scenario_id": row.id,
        "url": f"/capacity/{row.id}",
        "message": _("Planned %(name)s.", name=row.name),
    }


def create_scenario(
    settings: Settings, today: dt.date, user_id: int | None, ctx: JobContext | None = None
) -> CapacityScenario:
    document, note, measured_figures = build_document(settings, today)
    try:
        scenario = parse_scenario(document)
    except ScenarioError as error:  # the centre's own figures: say what is wrong with them
        raise CapacityRefused(
            "name", _("The centre's figures do not make a scenario: %(why)s", why=translate(error.detail))
        ) from None
    if not scenario.hiring:
        raise CapacityRefused("name", _("No one is employed yet: there is no group to plan for."))
    if ctx is None:
        plan = solve(scenario, time_limit=SOLVE_SECONDS, lookahead=LOOKAHEAD_MONTHS)
    else:
        with ctx.timed(0.3, 0.95, SOLVE_SECONDS, _("Solving the plan")):
            plan = solve(
                scenario, time_limit=SOLVE_SECONDS, should_stop=ctx.should_stop, lookahead=LOOKAHEAD_MONTHS
            )
    if plan.report is not None and not plan.report.has_solution:
        raise CapacityRefused("name", _("The solver found no plan in time; try fewer months."))
    row = CapacityScenario(
        name=settings.name,
        variant=settings.variant,
        document=document,
        plan={
            "summary": plan_summary(plan),
            "rows": balanced_rows(scenario, plan),
            "note": note,
            "measured": measured_figures,
        },
        created_by_id=user_id,
    )
    db.session.add(row)
    db.session.flush()
    return row


def delete_scenario(row: CapacityScenario) -> None:
    db.session.delete(row)
    db.session.flush()
