"""Capacity pages for HR, schedulers and administrators (never agents): build a scenario from the live
centre, read its plan, compare two or three side by side, and export a plan as CSV or PDF."""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from scheduling.capacity import CSV_COLUMNS, for_spreadsheet
from wfm.access import BACK_OFFICE, roles
from wfm.capacity import charts, operations
from wfm.capacity.centre import VARIANTS
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.jobs import dispatch, liveness
from wfm.jobs.dispatch import start
from wfm.jobs.lifecycle import request_cancel, submit
from wfm.models import CapacityScenario, Job
from wfm.printing.pdf import write_pdf
from wfm.textfiles import csv_download
from wfm.unit_of_work import commit, commit_or_refuse

blueprint = Blueprint("capacity", __name__, url_prefix="/capacity")
MAX_COMPARED = 3
DEFAULTS = {
    "name": "",
    "variant": "base",
    "months": "18",
    "entry_salary": "3000",
    "salary_step": "700",
    "class_min": "4",
    "class_max": "12",
    "training_months": "2",
    "cost_per_hire": "4000",
    "shortfall_cost": "9000",
    "overtime_share": "0.08",
}


def _today() -> dt.date:
    return dt.date.today()


def _scenario_or_404(scenario_id: int) -> CapacityScenario:
    row = db.session.get(CapacityScenario, scenario_id)
    if row is None:
        abort(404)
    return row


def _listing() -> list[CapacityScenario]:
    return list(db.session.scalars(select(CapacityScenario).order_by(CapacityScenario.id.desc())).all())


@blueprint.route("/", methods=["GET", "POST"])
@roles(*BACK_OFFICE)
def index():
    values = {**DEFAULTS, "start": operations.next_month(_today())}
    error, status = None, 200
    if request.method == "POST":
        values = {**values, **{k: v for k, v in request.form.items() if k != "csrf_token"}}
        try:
            settings = operations.read_settings(request.form, _today())
        except FieldError as refused:
            error, status = refused, 400
        else:
            job = submit(
                "capacity",
                f"Capacity plan {settings.name}",
                operations.job_params(settings, _today()),
                current_user.id,
            )
            commit()
            start(job)
            return redirect(url_for("capacity.job", job_id=job.id))
    return (
        render_template(
            "capacity/index.html",
            scenarios=[_summary_row(s) for s in _listing()],
            variants=VARIANTS,
            values=values,
            error=error,
        ),
        status,
    )


def _summary_row(row: CapacityScenario) -> dict:
    summary = row.plan["summary"]
    return {
        "id": row.id,
        "name": row.name,
        "variant": VARIANTS.get(row.variant, row.variant),
        "start": row.document["start"],
        "months": row.document["months"],
        "cost": summary["cost"],
        "hires": summary["hires"],
        "short": summary["short_fte_months"],
        "created_at": row.created_at,
    }


def _page(row: CapacityScenario) -> dict:
    rows = row.plan["rows"]
    return {
        "scenario": _summary_row(row),
        "note": row.plan.get("note", ""),
        "summary": row.plan["summary"],
        "rows": rows,
        "groups": charts.group_figures(rows),
        "hiring": row.document.get("hiring", []),
        "flows": row.document.get("flows", []),
        "group_inputs": row.document.get("groups", []),
        "measured": {m["group"]: m for m in row.plan.get("measured", [])},
        "short_groups": short_groups(row.plan["summary"]["shortfalls"]),
    }


def short_groups(shortfalls: list[dict]) -> list[dict]:
    """Per group short at some point: how many months, the FTE-months in all, and the worst month's
    sentence (with its reason), worst groups first."""
    groups: dict[str, dict] = {}
    for item in shortfalls:
        entry = groups.setdefault(
            item["group"], {"group": item["group"], "months": 0, "total": 0.0, "worst": item}
        )
        entry["months"] += 1
        entry["total"] += item["short_fte"]
        if item["short_fte"] > entry["worst"]["short_fte"]:
            entry["worst"] = item
    return sorted(groups.values(), key=lambda g: -g["total"])


@blueprint.route("/jobs/<int:job_id>")
@roles(*BACK_OFFICE)
def job(job_id: int):
    """A capacity job's progress (HR has no access to the planners' job pages); its plan once done."""
    liveness.check_running(job_id)
    row = db.session.get(Job, job_id)
    if row is None or row.kind != "capacity":
        abort(404)
    scenario_id = (row.result or {}).get("scenario_id")
    if row.status.value == "done" and scenario_id:
        return redirect(url_for("capacity.show", scenario_id=scenario_id))
    return render_template("capacity/job.html", job=row, finished=row.status.finished)


@blueprint.route("/jobs/<int:job_id>/cancel", methods=["POST"])
@roles(*BACK_OFFICE)
def cancel_job(job_id: int):
    row = db.session.get(Job, job_id)
    if row is None or row.kind != "capacity":
        abort(404)
    dropped = request_cancel(row)
    commit()
    if dropped:
        dispatch.forget(current_app._get_current_object(), row)
    return redirect(url_for("capacity.job", job_id=job_id))


@blueprint.route("/<int:scenario_id>")
@roles(*BACK_OFFICE)
def show(scenario_id: int):
    row = _scenario_or_404(scenario_id)
    page = _page(row)
    return render_template("capacity/show.html", page=page, charts=charts.plan_charts(page["rows"]))


@blueprint.route("/<int:scenario_id>/delete", methods=["POST"])
@roles(*BACK_OFFICE)
def delete(scenario_id: int):
    row = _scenario_or_404(scenario_id)
    commit_or_refuse(lambda: operations.delete_scenario(row))
    flash("Scenario deleted.")
    return redirect(url_for("capacity.index"))


@blueprint.route("/compare")
@roles(*BACK_OFFICE)
def compare():
    ids = []
    for value in request.args.getlist("ids"):
        if not value.isdigit():
            abort(404)
        ids.append(int(value))
    ids = list(dict.fromkeys(ids))
    if not 2 <= len(ids) <= MAX_COMPARED:
        flash("Choose two or three scenarios to compare.")
        return redirect(url_for("capacity.index"))
    rows = [_scenario_or_404(i) for i in ids]
    pages = [_page(r) for r in rows]
    return render_template("capacity/compare.html", pages=pages, charts=charts.comparison_charts(pages))


@blueprint.route("/<int:scenario_id>/plan.csv")
@roles(*BACK_OFFICE)
def export_csv(scenario_id: int):
    row = _scenario_or_404(scenario_id)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(for_spreadsheet(row.plan["rows"]))
    return csv_download(out.getvalue(), f"capacity-plan-{row.id}.csv")


@blueprint.route("/<int:scenario_id>/plan.pdf")
@roles(*BACK_OFFICE)
def export_pdf(scenario_id: int):
    row = _scenario_or_404(scenario_id)
    page = {**_page(row), "group_totals": charts.group_totals(row.plan["rows"])}
    html = render_template(
        "capacity/plan_pdf.html",
        page=page,
        compact=True,
        charts=charts.plan_charts(page["rows"], inline_colours=True, compact=True),
    )
    return Response(
        write_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="capacity-plan-{row.id}.pdf"'},
    )
