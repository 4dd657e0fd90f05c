"""Roster pages: generate, look, edit a cell, re-optimise, publish, print and export."""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from wfm.access import roles
from wfm.extensions import db
from wfm.jobs.views import launch
from wfm.models import Agent, Role, Roster, ShiftPlan, ShiftTemplate, Wish
from wfm.rosters import operations, pages, pdf, preferences
from wfm.rosters.forms import CellForm, GenerateForm, VersionForm

blueprint = Blueprint("rosters", __name__, url_prefix="/rosters")
planners = roles(Role.SCHEDULER, Role.ADMIN)


@blueprint.route("/", methods=["GET", "POST"])
@planners
def index():
    plans = db.session.scalars(select(ShiftPlan).order_by(ShiftPlan.id.desc()).limit(30)).all()
    form = GenerateForm()
    form.plan_id.choices = [(p.id, f"#{p.id} {p.name} ({p.site.name}, {p.start_date} – {p.end_date})") for p in plans]
    if request.method == "GET" and plans:
        form.plan_id.data, form.start.data = plans[0].id, plans[0].start_date
        form.days.data, form.name.data = min(plans[0].days, 42), f"Roster {plans[0].start_date:%d %b}"
    if form.validate_on_submit():
        plan = db.get_or_404(ShiftPlan, form.plan_id.data)
        last = form.start.data + dt.timedelta(days=form.days.data - 1)
        if form.start.data < plan.start_date or last > plan.end_date:
            form.start.errors.append(f"The plan covers {plan.start_date} to {plan.end_date}; keep the roster inside.")
        else:
            return launch("roster", f"Roster {form.name.data}", {
                "site_id": plan.site_id, "plan_id": plan.id, "start": form.start.data.isoformat(),
                "days": form.days.data, "name": form.name.data, "time_limit": form.time_limit.data})
    rosters = db.session.scalars(select(Roster).order_by(Roster.id.desc()).limit(50)).all()
    return render_template("rosters/index.html", form=form, rosters=rosters), 400 if form.errors else 200


@blueprint.route("/<int:roster_id>")
@planners
def show(roster_id: int):
    roster = db.get_or_404(Roster, roster_id)
    team = request.args.get("team") or None
    return render_template("rosters/show.html", g=pages.grid(roster, team=team), team=team,
                           form=VersionForm(lock_version=roster.lock_version))


@blueprint.route("/<int:roster_id>/cell", methods=["GET", "POST"])
@planners
def cell(roster_id: int):
    roster = db.get_or_404(Roster, roster_id)
    agent = db.get_or_404(Agent, request.args.get("agent", type=int))
    try:
        day = dt.date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        flash("Choose a day of the roster.", "error")
        return redirect(url_for("rosters.show", roster_id=roster.id))
    form = CellForm()
    form.shift.choices = [("", "day off")] + [(t["id"], t["id"]) for t in roster.shift_types]
    current = next((a for a in roster.assignments if a.agent_id == agent.id and a.day == day), None)
    status, stale = 200, None
    if request.method == "GET":
        form.shift.data, form.lock_version.data = (current.shift if current else ""), roster.lock_version
    elif form.validate_on_submit():
        try:
            operations.edit_cell(roster, agent.id, day, form.shift.data or None, int(form.lock_version.data),
                                 current_user.id)
            db.session.commit()
        except operations.StaleRoster as refusal:
            db.session.rollback()
            stale, status = refusal.changes, 409
        except StaleDataError:
            db.session.rollback()
            stale, status = operations.changes_since(roster, int(form.lock_version.data)), 409
        except operations.RosterProblemError as problem:
            db.session.rollback()
            form.shift.errors.append(problem.message)
            status = 400
        else:
            flash(f"{agent.name}, {day:%a %d %b}: {form.shift.data or 'day off'} (pinned).", "success")
            return redirect(url_for("rosters.show", roster_id=roster.id, _anchor=f"agent-{agent.id}"))
    else:
        status = 400
    return render_template("rosters/cell.html", roster=roster, agent=agent, day=day, form=form, current=current,
                           stale=stale), status


@blueprint.route("/<int:roster_id>/publish", methods=["POST"])
@planners
def publish(roster_id: int):
    roster = db.get_or_404(Roster, roster_id)
    form = VersionForm()
    if form.validate_on_submit():
        try:
            version = operations.publish(roster, int(form.lock_version.data), current_user.id)
            db.session.commit()
        except (operations.StaleRoster, StaleDataError):
            db.session.rollback()
            flash("Someone changed the roster since you opened it: look at the changes below, then publish again.",
                  "error")
        else:
            flash(f"Published version {version.number}; {len(version.agents_changed)} agents have changes.",
                  "success")
    return redirect(url_for("rosters.show", roster_id=roster.id))


@blueprint.route("/<int:roster_id>/reoptimise", methods=["POST"])
@planners
def reoptimise(roster_id: int):
    roster = db.get_or_404(Roster, roster_id)
    form = VersionForm()
    if not form.validate_on_submit():
        return redirect(url_for("rosters.show", roster_id=roster.id))
    return launch("roster-reoptimise", f"Re-optimise {roster.name}", {
        "roster_id": roster.id, "seen_version": int(form.lock_version.data),
        "time_limit": form.time_limit.data or 30})


@blueprint.route("/<int:roster_id>.csv")
@planners
def export_csv(roster_id: int):
    roster = db.get_or_404(Roster, roster_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["employee_number", "agent", "team", "date", "shift", "start", "end", "pinned"])
    for a in sorted(roster.assignments, key=lambda a: (a.agent.employee_number, a.day)):
        writer.writerow([a.agent.employee_number, a.agent.name, a.agent.team.name if a.agent.team else "",
                         a.day.isoformat(), a.shift, a.start.isoformat(), a.end.isoformat(), int(a.pinned)])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="roster-{roster.id}.csv"'})


@blueprint.route("/<int:roster_id>.pdf")
@planners
def export_pdf(roster_id: int):
    roster = db.get_or_404(Roster, roster_id)
    team = request.args.get("team") or None
    agent_id = request.args.get("agent", type=int)
    document = pdf.roster_pdf(pages.grid(roster, team=team, agent_id=agent_id), team=team)
    return Response(document, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="roster-{roster.id}.pdf"'})


@blueprint.route("/agents/<int:agent_id>/preferences", methods=["GET", "POST"])
@roles(Role.SCHEDULER, Role.ADMIN, Role.HR)
def agent_preferences(agent_id: int):
    agent = db.get_or_404(Agent, agent_id)
    availability = preferences.AvailabilityForm(prefix="availability")
    wish = preferences.WishForm(prefix="wish")
    names = sorted({t.name for t in db.session.scalars(select(ShiftTemplate).where(ShiftTemplate.site_id == agent.site_id))})
    wish.template.choices = [("", "—")] + [(n, n) for n in names]
    status = 200
    if request.method == "GET":
        preferences.fill_availability(availability, agent)
    elif "availability-submit" in request.form:
        if availability.validate_on_submit():
            preferences.save_availability(agent, availability)
            db.session.commit()
            flash("Availability saved; rosters generated from now on respect it.", "success")
            return redirect(url_for("rosters.agent_preferences", agent_id=agent.id))
        status = 400
    elif "wish-submit" in request.form:
        if wish.validate_on_submit():
            preferences.add_wish(agent, kind=wish.kind.data, weekday=wish.weekday.data, day=wish.day.data,
                                 template=wish.template.data or None, weight=wish.weight.data)
            db.session.commit()
            flash("Wish added.", "success")
            return redirect(url_for("rosters.agent_preferences", agent_id=agent.id))
        status = 400
    wishes = db.session.scalars(select(Wish).where(Wish.agent_id == agent.id).order_by(Wish.id)).all()
    return render_template("rosters/preferences.html", agent=agent, availability=availability, wish=wish,
                           wishes=[(w.id, preferences.describe_wish(w)) for w in wishes],
                           delete=VersionForm(lock_version=0)), status


@blueprint.route("/agents/<int:agent_id>/wishes/<int:wish_id>/delete", methods=["POST"])
@roles(Role.SCHEDULER, Role.ADMIN, Role.HR)
def delete_wish(agent_id: int, wish_id: int):
    wish = db.get_or_404(Wish, wish_id)
    if wish.agent_id == agent_id and FlaskForm().validate_on_submit():
        db.session.delete(wish)
        db.session.commit()
    return redirect(url_for("rosters.agent_preferences", agent_id=agent_id))
