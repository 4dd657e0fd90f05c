"""Shift templates and shift plans: build a plan as a background job, look at it, compare two."""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select

from scheduling.csvcells import safe_row
from wfm import sources
from wfm.access import PLANNERS, roles
from wfm.admin.resources import site_choices
from wfm.extensions import db
from wfm.i18n.dates import written
from wfm.jobs.views import launch
from wfm.models import Queue, ShiftPlan, ShiftTemplate, Site
from wfm.requests import date_argument
from wfm.shiftplans import pages
from wfm.shiftplans.forms import PlanForm, TemplateForm, format_breaks, parse_breaks, parse_lengths
from wfm.shiftplans.plans import latest_requirements
from wfm.shiftplans.templates import describe, save_template
from wfm.simcheck import operations as simcheck_operations
from wfm.simcheck import pages as simcheck_pages
from wfm.textfiles import csv_download
from wfm.unit_of_work import commit, commit_or_refuse

blueprint = Blueprint("shiftplans", __name__, url_prefix="/planning")


def _queue_choices() -> list[tuple[int, str]]:
    queues = db.session.scalars(select(Queue).join(Site).where(Queue.active).order_by(Site.name, Queue.name))
    return [(q.id, f"{q.site.name} · {q.name}") for q in queues]


# Templates --------------------------------------------------------------------------------------------


@blueprint.route("/templates")
@roles(*PLANNERS)
def templates_page():
    queues = {q.id: q for q in db.session.scalars(select(Queue))}
    rows = [
        describe(t, queues) for t in db.session.scalars(select(ShiftTemplate).order_by(ShiftTemplate.name))
    ]
    return render_template("shiftplans/templates.html", rows=rows, toggle=FlaskForm())


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


@blueprint.route("/templates/new", methods=["GET", "POST"], defaults={"template_id": None})
@blueprint.route("/templates/<int:template_id>", methods=["GET", "POST"])
@roles(*PLANNERS)
def template_form(template_id: int | None):
    template = db.get_or_404(ShiftTemplate, template_id) if template_id else None
    form = TemplateForm()
    form.site_id.choices, form.queue_ids.choices = site_choices(), _queue_choices()
    if request.method == "GET" and template is not None:
        form.site_id.data, form.name.data = template.site_id, template.name
        form.earliest_start.data = dt.time(template.earliest_start // 60, template.earliest_start % 60)
        form.latest_start.data = dt.time(template.latest_start // 60, template.latest_start % 60)
        form.step_minutes.data, form.days.data = template.step_minutes, template.days
        form.lengths.data = ", ".join(str(m) for m in template.lengths)
        form.breaks.data = format_breaks(template.breaks)
        form.per_hour.data, form.night_multiplier.data = template.per_hour, template.night_multiplier
        form.weekend_multiplier.data, form.queue_ids.data = template.weekend_multiplier, template.queue_ids
    if form.validate_on_submit():
        saved = commit_or_refuse(
            lambda: save_template(
                template,
                site_id=form.site_id.data,
                name=form.name.data,
                earliest_start=_minutes(form.earliest_start.data),
                latest_start=_minutes(form.latest_start.data),
                step_minutes=form.step_minutes.data,
                lengths=parse_lengths(form.lengths.data),
                days=form.days.data,
                breaks=parse_breaks(form.breaks.data),
                per_hour=float(form.per_hour.data),
                night_multiplier=float(form.night_multiplier.data),
                weekend_multiplier=float(form.weekend_multiplier.data),
                queue_ids=form.queue_ids.data or [],
            ),
            form,
        )
        if saved.kept:
            flash(_("Template %(name)s saved.", name=form.name.data), "success")
            return redirect(url_for("shiftplans.templates_page"))
    return render_template(
        "shiftplans/template_form.html", form=form, template=template
    ), 400 if form.errors else 200


@blueprint.route("/templates/<int:template_id>/active", methods=["POST"])
@roles(*PLANNERS)
def template_active(template_id: int):
    template = db.get_or_404(ShiftTemplate, template_id)
    if FlaskForm().validate_on_submit():
        template.active = not template.active
        commit()
    return redirect(url_for("shiftplans.templates_page"))


# Plans ------------------------------------------------------------------------------------------------


@blueprint.route("/plans", methods=["GET", "POST"])
@roles(*PLANNERS)
def plans_page():
    form = PlanForm(
        start=dt.date.today() + dt.timedelta(days=1),
        name=_("Plan %(day)s", day=written(dt.date.today() + dt.timedelta(days=1), "month_day")),
    )
    form.site_id.choices = site_choices()
    templates = db.session.scalars(
        select(ShiftTemplate).where(ShiftTemplate.active).order_by(ShiftTemplate.name)
    )
    form.template_ids.choices = [(t.id, f"{t.site.name} · {t.name}") for t in templates]
    if request.method == "GET":
        form.template_ids.data = [choice[0] for choice in form.template_ids.choices]
    if form.validate_on_submit():
        site = db.get_or_404(Site, form.site_id.data)
        last = form.start.data + dt.timedelta(days=form.days.data - 1)
        if not latest_requirements(site, form.start.data, last):
            form.start.errors.append(
                _(
                    "No requirement of this site covers that period: forecast it and calculate "
                    "requirements first."
                )
            )
        else:
            return launch(
                "shift-plan",
                f"Shift plan {form.name.data}",
                {
                    "site_id": site.id,
                    "name": form.name.data,
                    "start": form.start.data.isoformat(),
                    "days": form.days.data,
                    "template_ids": form.template_ids.data,
                    "column": form.column.data,
                    "time_limit": form.time_limit.data,
                    "cyclic": form.cyclic.data,
                    "by_skill": form.by_skill.data,
                },
            )
    plans = db.session.scalars(select(ShiftPlan).order_by(ShiftPlan.id.desc()).limit(50)).all()
    return render_template("shiftplans/plans.html", form=form, plans=plans), 400 if form.errors else 200


@blueprint.route("/plans/<int:plan_id>")
@roles(*PLANNERS)
def plan_page(plan_id: int):
    plan = db.get_or_404(ShiftPlan, plan_id)
    return render_template(
        "shiftplans/plan.html",
        plan=pages.plan_page(plan, request.args.get("queue") or None, date_argument("day")),
        sources=sources.status_of(plan),
        simulation=simcheck_pages.box(simcheck_operations.latest(plan=plan)),
    )


@blueprint.route("/plans/<int:plan_id>/queues.csv")
@roles(*PLANNERS)
def queues_csv(plan_id: int):
    """The plan's coverage per queue and interval: required, planned (on the phones), short, over."""
    plan = db.get_or_404(ShiftPlan, plan_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["interval_start", "queue", "required", "planned", "short", "over"])
    for c in sorted(plan.coverage, key=lambda c: (c.interval_start, c.queue)):
        writer.writerow(
            safe_row([c.interval_start.isoformat(), c.queue, c.required, c.on_phones, c.short, c.over])
        )
    return csv_download(out.getvalue(), f"plan-{plan.id}-queues.csv")


@blueprint.route("/plans/<int:plan_id>/rebuild", methods=["POST"])
@roles(*PLANNERS)
def rebuild_plan(plan_id: int):
    """Solve the plan again with its settings, on the newest requirements (its "out of date: rebuild")."""
    plan = db.get_or_404(ShiftPlan, plan_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    settings = plan.settings or {}
    return launch(
        "shift-plan",
        f"Shift plan {plan.name} (again)",
        {
            "site_id": plan.site_id,
            "name": plan.name,
            "start": plan.start_date.isoformat(),
            "days": plan.days,
            "template_ids": settings.get("template_ids", []),
            "column": settings.get("column", "scheduled_agents"),
            "time_limit": settings.get("time_limit", 30),
            "cyclic": settings.get("cyclic", False),
            "by_skill": settings.get("by_skill", False),
        },
    )


@blueprint.route("/plans/compare")
@roles(*PLANNERS)
def compare():
    try:
        first, second = int(request.args["a"]), int(request.args["b"])
    except (KeyError, ValueError):
        flash(_("Choose two plans to compare."), "error")
        return redirect(url_for("shiftplans.plans_page"))
    return render_template(
        "shiftplans/compare.html",
        comparison=pages.compare_page(db.get_or_404(ShiftPlan, first), db.get_or_404(ShiftPlan, second)),
    )
