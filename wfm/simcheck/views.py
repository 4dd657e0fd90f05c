"""Check by simulation: start a check of a plan or a roster (a job), and read its figures. Planners only."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from scheduling.text import Sentence
from wfm.access import PLANNERS, roles
from wfm.extensions import db
from wfm.jobs.views import launch
from wfm.models import Requirement, Roster, ShiftPlan, SimulationCheck
from wfm.requests import date_argument
from wfm.simcheck import corrected, operations, pages  # noqa: F401  (they register their jobs)
from wfm.simcheck.forms import CheckForm, CorrectForm
from wfm.simcheck.inputs import grid_of, has_history

blueprint = Blueprint("simulation", __name__, url_prefix="/simulation")


def _params(form: CheckForm) -> dict:
    return {
        "demand": form.demand.data,
        "replications": form.replications.data,
        "start": form.start.data.isoformat() if form.start.data else None,
        "days": form.days.data or None,
    }


def _history_note(plan: ShiftPlan | None, first, days: int) -> str | None:
    if plan is None or not has_history(plan.site_id, grid_of(plan, first, days)):
        return None
    return Sentence("Some of these days have actual history: its real contacts can be simulated instead.")


def _start(first, days: int, title: str, target: dict, what: str, roster=None, plan=None, history_note=None):
    """The check form of a roster or a plan (`target` names it for the job), or the job once it is valid."""
    form = CheckForm(first, first + dt.timedelta(days=days - 1))
    if form.validate_on_submit():
        params = {**target, **_params(form)}
        if roster is not None:
            params["version"] = 0 if form.cells.data == "published" else None
        return launch("simulation-check", title, params)
    return render_template(
        "simulation/start.html", form=form, what=what, roster=roster, plan=plan, history_note=history_note
    ), 400 if form.errors else 200


@blueprint.route("/rosters/<int:roster_id>", methods=["GET", "POST"])
@roles(*PLANNERS)
def check_roster(roster_id: int):
    roster = db.get_or_404(Roster, roster_id)
    return _start(
        roster.start_date,
        roster.days,
        f"Check by simulation: roster {roster.name}",
        {"roster_id": roster.id},
        Sentence("roster #%(id)s %(name)s", id=roster.id, name=roster.name),
        roster=roster,
    )


@blueprint.route("/plans/<int:plan_id>", methods=["GET", "POST"])
@roles(*PLANNERS)
def check_plan(plan_id: int):
    plan = db.get_or_404(ShiftPlan, plan_id)
    return _start(
        plan.start_date,
        plan.days,
        f"Check by simulation: plan {plan.name}",
        {"plan_id": plan.id},
        Sentence("shift plan #%(id)s %(name)s", id=plan.id, name=plan.name),
        history_note=_history_note(plan, plan.start_date, plan.days),
    )


@blueprint.route("/<int:check_id>")
@roles(*PLANNERS)
def show(check_id: int):
    check = db.get_or_404(SimulationCheck, check_id)
    return render_template("simulation/show.html", check=pages.page(check, date_argument("day")))


@blueprint.route("/rosters/<int:roster_id>/latest")
@roles(*PLANNERS)
def latest_of_roster(roster_id: int):
    roster = db.get_or_404(Roster, roster_id)
    check = operations.latest(roster=roster)
    if check is None:
        return redirect(url_for("simulation.check_roster", roster_id=roster.id))
    return redirect(url_for("simulation.show", check_id=check.id))


@blueprint.route("/requirements/<int:requirement_id>", methods=["POST"])
@roles(*PLANNERS)
def correct_requirement(requirement_id: int):
    requirement = db.get_or_404(Requirement, requirement_id)
    form = CorrectForm()
    if not form.validate_on_submit():
        flash(_("Choose from 1 to 200 simulated runs."), "error")
        return redirect(url_for("forecasting.requirement_page", requirement_id=requirement.id))
    return launch(
        "requirement-by-simulation",
        f"Requirement of {requirement.queue.name} corrected by simulation",
        {"requirement_id": requirement.id, "replications": form.replications.data},
    )
