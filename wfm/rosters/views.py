"""Roster pages: generate, look, edit a cell, re-optimise, publish, print and export."""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from scheduling.csvcells import safe_row
from wfm.access import BACK_OFFICE, PLANNERS, roles
from wfm.extensions import db
from wfm.formatting import counted
from wfm.i18n import translate
from wfm.i18n.dates import written
from wfm.jobs.views import launch
from wfm.models import Agent, Roster, ShiftPlan, ShiftTemplate, Wish
from wfm.rosters import blocks as _blocks  # registers the work-blocks job
from wfm.rosters import drafts, grid_cache, labels, operations, pages, pdf, preferences, queue_cover, truth
from wfm.rosters.forms import (
    ActivityForm,
    BlocksForm,
    CellForm,
    GenerateForm,
    PublishForm,
    ReoptimiseForm,
    VersionForm,
)
from wfm.rosters.problem import rules_for, rules_in_force
from wfm.rosters.scope import freeze_days_setting
from wfm.simcheck import operations as simcheck_operations
from wfm.simcheck import pages as simcheck_pages
from wfm.textfiles import csv_download
from wfm.unit_of_work import CONFLICT, Outcome, commit, commit_or_refuse

blueprint = Blueprint("rosters", __name__, url_prefix="/rosters")
labels.install(blueprint)


@blueprint.route("/", methods=["GET", "POST"])
@roles(*PLANNERS)
def index():
    plans = db.session.scalars(select(ShiftPlan).order_by(ShiftPlan.id.desc()).limit(30)).all()
    form = GenerateForm()
    form.plan_id.choices = [
        (p.id, f"#{p.id} {p.name} ({p.site.name}, {p.start_date} – {p.end_date})") for p in plans
    ]
    if request.method == "GET" and plans:
        # ?plan_id=N (a roster's "rebuild" link) chooses that plan; the newest otherwise.
        asked = request.args.get("plan_id", "")
        chosen = next((p for p in plans if asked.isdigit() and p.id == int(asked)), plans[0])
        form.plan_id.data, form.start.data = chosen.id, chosen.start_date
        form.days.data = min(chosen.days, 42)
        form.name.data = _("Roster %(day)s", day=written(chosen.start_date, "month_day"))
    if form.validate_on_submit():
        plan = db.get_or_404(ShiftPlan, form.plan_id.data)
        last = form.start.data + dt.timedelta(days=form.days.data - 1)
        if form.start.data < plan.start_date or last > plan.end_date:
            form.start.errors.append(
                _(
                    "The plan covers %(first)s to %(last)s; keep the roster inside.",
                    first=plan.start_date,
                    last=plan.end_date,
                )
            )
        else:
            return launch(
                "roster",
                f"Roster {form.name.data}",
                {
                    "site_id": plan.site_id,
                    "plan_id": plan.id,
                    "start": form.start.data.isoformat(),
                    "days": form.days.data,
                    "name": form.name.data,
                    "time_limit": form.time_limit.data,
                },
            )
    rosters = db.session.scalars(select(Roster).order_by(Roster.id.desc()).limit(50)).all()
    replaced = {r.id: sum(len(x.days) for x in truth.replaced_by(r)) for r in rosters if r.published_version}
    return render_template(
        "rosters/index.html", form=form, rosters=rosters, replaced=replaced
    ), 400 if form.errors else 200


@blueprint.route("/<int:roster_id>")
@roles(*PLANNERS)
def show(roster_id: int):
    roster = db.get_or_404(Roster, roster_id)
    team = request.args.get("team") or None
    week = _week_asked(roster)
    grid = grid_cache.grid(roster, team=team, week=week)
    return render_template(
        "rosters/show.html",
        grid=grid,
        queues=queue_cover.summary(roster, grid["shown"], operations.cell_rows(roster)),
        state=grid_cache.draft_state(roster),
        team=team,
        week=week,
        form=PublishForm(lock_version=roster.lock_version),
        sources=grid_cache.sources_status(roster),
        simulation=simcheck_pages.box(simcheck_operations.latest(roster=roster)),
    )


def week_of(roster: Roster, day: dt.date) -> int:
    """The grid page (1-based week of the roster) holding `day`; the first for a day outside the roster."""
    index = (day - roster.start_date).days
    return index // 7 + 1 if 0 <= index < roster.days else 1


def _week_asked(roster: Roster) -> int | None:
    """The grid's page: ?week=N (1-based), ?week=all for every day (None), the first week otherwise."""
    asked = request.args.get("week", "")
    if asked == "all":
        return None
    weeks = max(1, -(-roster.days // 7))
    return int(asked) if asked.isdigit() and 1 <= int(asked) <= weeks else 1


def _saved(roster: Roster, form, error_field: str, change) -> Outcome:
    """Run `change()` and commit (`wfm.unit_of_work`); when someone saved the roster since the form's
    version: 409 with the changes since (`conflict`); a refused change: 400, the message on the form's field
    it names (else on `error_field`). Nothing is written unless it succeeds."""

    def changes_since(error: Exception):
        if isinstance(error, operations.StaleRoster):
            return error.changes
        # An IntegrityError: a save that committed between our read and our write took the cell (agent, day)
        # we insert; the roster moved on since the form's version: the same conflict as above.
        if isinstance(error, IntegrityError) and roster.lock_version == int(form.lock_version.data):
            raise error
        return operations.changes_since(roster, int(form.lock_version.data))

    return commit_or_refuse(
        change,
        form,
        fallback=error_field,
        conflicts=(operations.StaleRoster, StaleDataError, IntegrityError),
        conflict_details=changes_since,
    )


@blueprint.route("/<int:roster_id>/cell", methods=["GET", "POST"])
@roles(*PLANNERS)
def cell(roster_id: int):
    roster = db.get_or_404(Roster, roster_id)
    agent = db.get_or_404(Agent, request.args.get("agent", type=int))
    try:
        day = dt.date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        flash(_("Choose a day of the roster."), "error")
        return redirect(url_for("rosters.show", roster_id=roster.id))
    form = CellForm()
    form.shift.choices = [("", _("day off"))] + [(t["id"], t["id"]) for t in roster.shift_types]
    current = next((a for a in roster.assignments if a.agent_id == agent.id and a.day == day), None)
    status, stale = 200, None
    if request.method == "GET":
        form.shift.data, form.lock_version.data = (current.shift if current else ""), roster.lock_version
    elif form.validate_on_submit():
        saved = _saved(
            roster,
            form,
            "shift",
            lambda: operations.edit_cell(
                roster, agent.id, day, form.shift.data or None, int(form.lock_version.data), current_user.id
            ),
        )
        status, stale, change = saved.status, saved.conflict, saved.value
        if saved.kept:
            saved_text = _(
                "%(agent)s, %(day)s: %(shift)s (pinned).",
                agent=agent.name,
                day=written(day, "day"),
                shift=form.shift.data or _("day off"),
            )
            if change.note:
                note = translate(change.note)
                saved_text += f" {note[0].upper()}{note[1:]}" + ("" if note.endswith("。") else ".")
            flash(saved_text, "success")
            return redirect(
                url_for(
                    "rosters.show",
                    roster_id=roster.id,
                    week=week_of(roster, day),
                    _anchor=f"agent-{agent.id}",
                )
            )
        # Refused: the cell read before the save may have been removed or replaced by a concurrent save
        # (the rollback expired it); show the cell as it is now.
        current = next((a for a in roster.assignments if a.agent_id == agent.id and a.day == day), None)
    else:
        status = 400
    activities = pages.activity_labels(current) if current is not None else []
    work = _blocks.labels(current) if current is not None else []
    return render_template(
        "rosters/cell.html",
        roster=roster,
        agent=agent,
        day=day,
        week=week_of(roster, day),
        form=form,
        current=current,
        stale=stale,
        activities=activities,
        work=work,
        remove=VersionForm(lock_version=roster.lock_version),
    ), status


@blueprint.route("/<int:roster_id>/activity", methods=["GET", "POST"])
@roles(*PLANNERS)
def activity(roster_id: int):
    """Put a meeting, coaching or offline work into the shifts of a team or of chosen agents on one day."""
    roster = db.get_or_404(Roster, roster_id)
    agents = sorted({a.agent for a in roster.assignments}, key=lambda a: a.name)
    form = ActivityForm()
    form.team.choices = [("", "—")] + [(t, t) for t in sorted({a.team.name for a in agents if a.team})]
    form.agents.choices = [(a.id, f"{a.name} ({a.team.name if a.team else _('no team')})") for a in agents]
    if request.method == "GET":
        form.lock_version.data = roster.lock_version
        form.day.data = form.day.data or roster.start_date
        form.team.data = request.args.get("team", "")
    status, stale = 200, None
    if form.validate_on_submit():
        chosen = [a.id for a in agents if a.team and a.team.name == form.team.data] if form.team.data else []
        chosen += [a for a in form.agents.data if a not in chosen]
        window = (
            form.window_from.data.hour * 60 + form.window_from.data.minute,
            form.window_to.data.hour * 60 + form.window_to.data.minute or 1440,
        )
        saved = _saved(
            roster,
            form,
            "agents",
            lambda: operations.schedule_activity(
                roster,
                chosen,
                form.day.data,
                form.kind.data,
                form.title.data.strip(),
                form.minutes.data,
                window,
                form.together.data,
                int(form.lock_version.data),
                current_user.id,
            ),
        )
        status, stale, outcome = saved.status, saved.conflict, saved.value
        if saved.kept:
            names = {a.id: a.name for a in agents}
            times = sorted({f"{b:%H:%M}–{e:%H:%M}" for _a, b, e in outcome.placed})
            kind = labels.activity_kind(form.kind.data)
            text = _(
                "%(kind)s on %(day)s at %(times)s for %(agents)s (their cells are pinned).",
                kind=kind[:1].upper() + kind[1:],
                day=written(form.day.data, "day"),
                times=", ".join(times[:6]) + (" …" if len(times) > 6 else ""),
                agents=counted(len(outcome.placed), "agent"),
            )
            if outcome.missed:
                text += " " + _(
                    "Not placed: %(who)s",
                    who="; ".join(f"{names.get(a, a)}: {translate(why)}" for a, why in outcome.missed[:10])
                    + (" …" if len(outcome.missed) > 10 else ""),
                )
            flash(text, "success" if not outcome.missed else "info")
            return redirect(url_for("rosters.show", roster_id=roster.id, week=week_of(roster, form.day.data)))
    elif request.method == "POST":
        status = 400
    return render_template("rosters/activity.html", roster=roster, form=form, stale=stale), status


@blueprint.route("/<int:roster_id>/activity/remove", methods=["POST"])
@roles(*PLANNERS)
def remove_activity(roster_id: int):
    roster = db.get_or_404(Roster, roster_id)
    form = VersionForm()
    agent_id, index = request.form.get("agent", type=int), request.form.get("index", type=int)
    try:
        day = dt.date.fromisoformat(request.form.get("day", ""))
    except ValueError:
        day = None
    if not form.validate_on_submit() or agent_id is None or index is None or day is None:
        flash(_("Choose the activity to remove."), "error")
        return redirect(url_for("rosters.show", roster_id=roster.id))
    removed = commit_or_refuse(
        lambda: operations.remove_activity(
            roster, agent_id, day, index, int(form.lock_version.data), current_user.id
        ),
        conflicts=(operations.StaleRoster, StaleDataError),
    )
    if removed.status == CONFLICT:
        flash(
            _("Someone changed the roster since you opened it: look again, then remove the activity."),
            "error",
        )
    elif not removed.kept:
        flash(translate(removed.message), "error")
    else:
        flash(_("Activity removed."), "success")
    return redirect(url_for("rosters.cell", roster_id=roster.id, agent=agent_id, day=day.isoformat()))


@blueprint.route("/<int:roster_id>/publish", methods=["POST"])
@roles(*PLANNERS)
def publish(roster_id: int):
    """Publish; over days another published roster speaks for, first ask (saying what it replaces)."""
    roster = db.get_or_404(Roster, roster_id)
    form = PublishForm()
    if not form.validate_on_submit():
        return redirect(url_for("rosters.show", roster_id=roster.id))
    published = commit_or_refuse(
        lambda: operations.publish(
            roster, int(form.lock_version.data), current_user.id, replace=True if form.replace.data else None
        ),
        conflicts=(operations.PublishOverlaps, operations.StaleRoster, StaleDataError),
    )
    if published.status == CONFLICT and isinstance(published.error, operations.PublishOverlaps):
        return render_template(
            "rosters/publish_confirm.html",
            roster=roster,
            replaced=published.error.replaced,
            draft=drafts.unpublished(roster),
            form=PublishForm(lock_version=roster.lock_version, replace=True),
            simulation=simcheck_pages.box(simcheck_operations.latest(roster=roster)),
        ), 409
    if published.status == CONFLICT:
        flash(
            _(
                "Someone changed the roster since you opened it: look at the changes below, "
                "then publish again."
            ),
            "error",
        )
    elif not published.kept:
        flash(translate(published.message), "error")
    else:
        version = published.value
        flash(
            _(
                "Published version %(version)s; %(agents)s with changes, each of them told.",
                version=version.number,
                agents=counted(len(version.agents_changed), "agent"),
            ),
            "success",
        )
    return redirect(url_for("rosters.show", roster_id=roster.id))


@blueprint.route("/<int:roster_id>/queues", methods=["GET", "POST"])
@roles(*PLANNERS)
def queues(roster_id: int):
    """Cover per queue and interval on one day, counted from the stored work blocks; and "Assign work
    blocks" (a job) for every shift of the roster, with the site's shortest block."""
    roster = db.get_or_404(Roster, roster_id)
    form = BlocksForm()
    if request.method == "GET":
        form.lock_version.data = roster.lock_version
        form.min_block_minutes.data = rules_in_force(roster.site).min_block_minutes
    elif form.validate_on_submit():
        rules_for(roster.site).min_block_minutes = form.min_block_minutes.data
        return launch(
            "roster-blocks",
            f"Work blocks for {roster.name}",
            {"roster_id": roster.id, "seen_version": int(form.lock_version.data)},
        )
    try:
        day = dt.date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        day = roster.start_date
    if not roster.start_date <= day <= roster.end_date:
        day = roster.start_date
    one = dt.timedelta(days=1)
    return render_template(
        "rosters/queues.html",
        roster=roster,
        cover=queue_cover.day_cover(roster, day, operations.cell_rows(roster)),
        min_block=rules_in_force(roster.site).min_block_minutes,
        previous=day - one if day > roster.start_date else None,
        following=day + one if day < roster.end_date else None,
        form=form,
    ), 400 if form.errors else 200


@blueprint.route("/<int:roster_id>/changes")
@roles(*PLANNERS)
def changes(roster_id: int):
    """What publishing would change: per agent and day, published → draft."""
    roster = db.get_or_404(Roster, roster_id)
    return render_template(
        "rosters/changes.html",
        roster=roster,
        state=drafts.state(roster),
        draft=drafts.unpublished(roster),
        replaced=truth.overlaps(roster),
        form=PublishForm(lock_version=roster.lock_version),
    )


@blueprint.route("/<int:roster_id>/reoptimise", methods=["GET", "POST"])
@roles(*PLANNERS)
def reoptimise(roster_id: int):
    """Re-optimise a scope of the roster (days, teams, agents) outside the freeze window, as a draft."""
    roster = db.get_or_404(Roster, roster_id)
    agents = sorted({a.agent for a in roster.assignments}, key=lambda a: a.name)
    form = ReoptimiseForm()
    form.teams.choices = [(t, t) for t in sorted({a.team.name for a in agents if a.team})]
    form.agents.choices = [(a.id, f"{a.name} ({a.team.name if a.team else _('no team')})") for a in agents]
    if request.method == "GET":
        form.lock_version.data, form.freeze_days.data = roster.lock_version, freeze_days_setting()
    elif form.validate_on_submit():
        freeze = form.freeze_days.data
        return launch(
            "roster-reoptimise",
            f"Re-optimise {roster.name}",
            {
                "roster_id": roster.id,
                "seen_version": int(form.lock_version.data),
                "time_limit": form.time_limit.data or 30,
                "first": form.first.data.isoformat() if form.first.data else None,
                "last": form.last.data.isoformat() if form.last.data else None,
                "agent_ids": list(form.agents.data or []),
                "teams": list(form.teams.data or []),
                "freeze_days": freeze_days_setting() if freeze is None else freeze,
                "unfreeze": bool(form.unfreeze.data),
                "today": dt.date.today().isoformat(),
            },
        )
    return render_template(
        "rosters/reoptimise.html", roster=roster, form=form, state=drafts.state(roster)
    ), 400 if form.errors else 200


@blueprint.route("/<int:roster_id>.csv")
@roles(*PLANNERS)
def export_csv(roster_id: int):
    roster = db.get_or_404(Roster, roster_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["employee_number", "agent", "team", "date", "shift", "start", "end", "pinned"])
    for a in sorted(roster.assignments, key=lambda a: (a.agent.employee_number, a.day)):
        writer.writerow(
            safe_row(
                [
                    a.agent.employee_number,
                    a.agent.name,
                    a.agent.team.name if a.agent.team else "",
                    a.day.isoformat(),
                    a.shift,
                    a.start.isoformat(),
                    a.end.isoformat(),
                    int(a.pinned),
                ]
            )
        )
    return csv_download(out.getvalue(), f"roster-{roster.id}.csv")


@blueprint.route("/<int:roster_id>.pdf")
@roles(*PLANNERS)
def export_pdf(roster_id: int):
    roster = db.get_or_404(Roster, roster_id)
    team = request.args.get("team") or None
    agent_id = request.args.get("agent", type=int)
    document = pdf.roster_pdf(grid_cache.grid(roster, team=team, agent_id=agent_id, chart=False), team=team)
    return Response(
        document,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="roster-{roster.id}.pdf"'},
    )


@blueprint.route("/agents/<int:agent_id>/preferences", methods=["GET", "POST"])
@roles(*BACK_OFFICE)
def agent_preferences(agent_id: int):
    agent = db.get_or_404(Agent, agent_id)
    availability = preferences.AvailabilityForm(prefix="availability")
    wish = preferences.WishForm(prefix="wish")
    names = sorted(
        {
            t.name
            for t in db.session.scalars(select(ShiftTemplate).where(ShiftTemplate.site_id == agent.site_id))
        }
    )
    wish.template.choices = [("", "—")] + [(n, n) for n in names]
    status = 200
    if request.method == "GET":
        preferences.fill_availability(availability, agent)
    elif "availability-submit" in request.form:
        if availability.validate_on_submit():
            preferences.save_availability(agent, availability)
            commit()
            flash(_("Availability saved; rosters generated from now on respect it."), "success")
            return redirect(url_for("rosters.agent_preferences", agent_id=agent.id))
        status = 400
    elif "wish-submit" in request.form:
        if wish.validate_on_submit():
            preferences.add_wish(
                agent,
                kind=wish.kind.data,
                weekday=wish.weekday.data,
                day=wish.day.data,
                template=wish.template.data or None,
                weight=wish.weight.data,
            )
            commit()
            flash(_("Wish added."), "success")
            return redirect(url_for("rosters.agent_preferences", agent_id=agent.id))
        status = 400
    wishes = db.session.scalars(select(Wish).where(Wish.agent_id == agent.id).order_by(Wish.id)).all()
    return render_template(
        "rosters/preferences.html",
        agent=agent,
        availability=availability,
        wish=wish,
        wishes=[(w.id, preferences.describe_wish(w)) for w in wishes],
        delete=VersionForm(lock_version=0),
    ), status


@blueprint.route("/agents/<int:agent_id>/wishes/<int:wish_id>/delete", methods=["POST"])
@roles(*BACK_OFFICE)
def delete_wish(agent_id: int, wish_id: int):
    wish = db.get_or_404(Wish, wish_id)
    if wish.agent_id == agent_id and FlaskForm().validate_on_submit():
        db.session.delete(wish)
        commit()
    return redirect(url_for("rosters.agent_preferences", agent_id=agent_id))
