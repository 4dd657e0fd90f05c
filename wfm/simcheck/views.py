"""Check by simulation: start a check of a plan or a roster (a job), and read its figures. Planners only."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from wfm.access import PLANNERS, roles
from wfm.extensions import db
from wfm.jobs.views import launch
from wfm.models import Roster, ShiftPlan, SimulationCheck
from wfm.simcheck import operations, pages  # operations registers the job
from wfm.simcheck.forms import CheckForm

blueprint = Blueprint("simulation", __name__, url_prefix="/simulation")


def _params(form: CheckForm) -> dict:
    return {
        "demand": form.demand.data,
        "replications": form.replications.data,
        "start": form.start.data.isoformat() if form.start.data else None,
        "days": form.days.data or None,
    }


@blueprint.route("/rosters/<int:roster_id>", methods=["GET", "POST"])
@roles(*PLANNERS)
def check_roster(roster_id: int):
    roster = db.get_or_404(Roster, roster_id)
    form = CheckForm()
    if form.validate_on_submit():
        return launch(
            "simulation-check",
            f"Check by simulation: roster {roster.name}",
            {"roster_id": roster.id, **_params(form)},
        )
    return render_template(
        "simulation/start.html",
        form=form,
        what=f"roster #{roster.id} {roster.name}",
        roster=roster,
        plan=None,
    ), 400 if form.errors else 200


@blueprint.route("/plans/<int:plan_id>", methods=["GET", "POST"])
@roles(*PLANNERS)
def check_plan(plan_id: int):
    plan = db.get_or_404(ShiftPlan, plan_id)
    form = CheckForm()
    if form.validate_on_submit():
        return launch(
            "simulation-check",
            f"Check by simulation: plan {plan.name}",
            {"plan_id": plan.id, **_params(form)},
        )
    return render_template(
        "simulation/start.html", form=form, what=f"shift plan #{plan.id} {plan.name}", roster=None, plan=plan
    ), 400 if form.errors else 200


@blueprint.route("/<int:check_id>")
@roles(*PLANNERS)
def show(check_id: int):
    check = db.get_or_404(SimulationCheck, check_id)
    return render_template("simulation/show.html", check=pages.page(check))


@blueprint.route("/rosters/<int:roster_id>/latest")
@roles(*PLANNERS)
def latest_of_roster(roster_id: int):
    roster = db.get_or_404(Roster, roster_id)
    check = operations.latest(roster=roster)
    if check is None:
        return redirect(url_for("simulation.check_roster", roster_id=roster.id))
    return redirect(url_for("simulation.show", check_id=check.id))
