"""The scheduler's side: one inbox for time off, swaps and offers; a decision page per request showing
what approving would do; the site's time-off policy and allowances; the audit of every decision."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from wfm.access import PLANNERS, roles
from wfm.extensions import db
from wfm.first_use import get_or_make
from wfm.formatting import counted
from wfm.models import Agent, AuditEntry, LeaveAllowance, Roster, ShiftSwap, Site, TimeOff
from wfm.selfservice import audit, impact, swaps, timeoff
from wfm.selfservice.audit_words import described
from wfm.selfservice.blueprint import blueprint
from wfm.selfservice.changes import differs_from_published
from wfm.selfservice.forms import AllowanceForm, DecisionForm, PolicyForm
from wfm.unit_of_work import CONFLICT, commit, commit_or_refuse


def _time_off_row(t: TimeOff) -> dict:
    return {
        "id": t.id,
        "agent": t.agent.name,
        "number": t.agent.employee_number,
        "period": timeoff.period_label(t),
        "kind": timeoff.KINDS.get(t.kind, (t.kind,))[0],
        "status": t.status,
        "note": t.note,
        "days": timeoff.charged_days(t.agent, t),
        "created": t.created_at,
    }


@blueprint.route("/inbox")
@roles(*PLANNERS)
def inbox():
    waiting = db.session.scalars(
        select(TimeOff).where(TimeOff.status == "requested").order_by(TimeOff.first_day)
    ).all()
    pending = db.session.scalars(
        select(ShiftSwap).where(ShiftSwap.status == "pending").order_by(ShiftSwap.day)
    ).all()
    open_ = db.session.scalars(
        select(ShiftSwap).where(ShiftSwap.status.in_(("open", "proposed"))).order_by(ShiftSwap.day)
    ).all()
    recent = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(10)).all()
    return render_template(
        "selfservice/inbox.html",
        time_off=[_time_off_row(t) for t in waiting],
        swaps=[swaps.row(s) for s in pending],
        open_swaps=[swaps.row(s) for s in open_],
        recent=described(list(recent)),
    )


@blueprint.route("/inbox/time-off/<int:time_off_id>", methods=["GET", "POST"])
@roles(*PLANNERS)
def decide_time_off(time_off_id: int):
    t = db.get_or_404(TimeOff, time_off_id)
    form = DecisionForm()
    if request.method == "POST" and form.validate_on_submit():
        approve = request.form.get("decision") == "approve"
        decided = commit_or_refuse(
            lambda: timeoff.decide(t, approve, current_user.id, form.note.data or ""),
            conflicts=(StaleDataError,),
        )
        if decided.status == CONFLICT:
            flash(_("The roster changed while deciding; look again and decide once more."), "error")
        elif not decided.kept:
            flash(decided.message, "error")
        else:
            rosters = decided.value
            if approve and rosters:
                done = _(
                    "Time off approved; %(rosters)s published again without the agent's shifts.",
                    rosters=counted(len(rosters), "roster"),
                )
            elif rosters:
                done = _(
                    "Time off rejected; %(rosters)s published again without the agent's shifts.",
                    rosters=counted(len(rosters), "roster"),
                )
            else:
                done = _("Time off approved.") if approve else _("Time off rejected.")
            flash(done, "success")
            return redirect(url_for("selfservice.inbox"))
    agent = t.agent
    balances = [timeoff.balance(agent, y) for y in sorted({t.first_day.year, t.last_day.year})]
    days = impact.impact_of(t, agent.site_id)
    unpublished = [
        differs_from_published(r)
        for r in db.session.scalars(
            select(Roster).where(
                Roster.site_id == agent.site_id, Roster.published_version > 0, Roster.start_date <= t.last_day
            )
        )
        if r.end_date >= t.first_day
    ]
    away = [
        {
            "day": t.first_day + dt.timedelta(days=k),
            "away": timeoff.away_on(agent.site_id, t.first_day + dt.timedelta(days=k), t.id),
        }
        for k in range((t.last_day - t.first_day).days + 1)
    ]
    return render_template(
        "selfservice/decide_time_off.html",
        time_off=_time_off_row(t),
        form=form,
        balances=balances,
        days=days,
        unpublished=sum(unpublished),
        away=away,
        part_day=t.from_minute is not None,
        policy=timeoff.policy_in_force(agent.site_id),
    )


@blueprint.route("/inbox/swaps/<int:swap_id>", methods=["GET", "POST"])
@roles(*PLANNERS)
def decide_swap(swap_id: int):
    swap = db.get_or_404(ShiftSwap, swap_id)
    form = DecisionForm()
    if request.method == "POST" and form.validate_on_submit():
        approve = request.form.get("decision") == "approve"
        decided = commit_or_refuse(
            lambda: swaps.decide(swap, approve, current_user.id, form.note.data or ""),
            conflicts=(StaleDataError,),
        )
        if decided.status == CONFLICT:
            flash(_("The roster changed while deciding; look again and decide once more."), "error")
        elif not decided.kept:
            flash(_("Not approved: %(reason)s", reason=decided.message), "error")
        else:
            if swap.kind == "offer":
                done = (
                    _("Offer approved: published version %(version)s.", version=decided.value)
                    if approve
                    else _("Offer rejected.")
                )
            else:
                done = (
                    _("Swap approved: published version %(version)s.", version=decided.value)
                    if approve
                    else _("Swap rejected.")
                )
            flash(done, "success")
            return redirect(url_for("selfservice.inbox"))
    problems = swaps.check(swap) if swap.status == "pending" else []
    roster = db.session.get(Roster, swap.roster_id)
    return render_template(
        "selfservice/decide_swap.html",
        swap=swaps.row(swap),
        form=form,
        problems=problems,
        roster={"id": roster.id, "name": roster.name, "unpublished": differs_from_published(roster)},
    )


@blueprint.route("/inbox/audit")
@roles(*PLANNERS)
def audit_log():
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    subject = request.args.get("subject") or None
    if subject:
        query = query.where(AuditEntry.subject == subject)
    rows = db.session.scalars(query.limit(300)).all()
    return render_template("selfservice/audit.html", rows=described(list(rows)), subject=subject)


@blueprint.route("/inbox/policy", methods=["GET", "POST"])
@roles(*PLANNERS)
def policy():
    sites = db.session.scalars(select(Site).where(Site.active).order_by(Site.name)).all()
    if not sites:
        abort(404)
    site = db.session.get(Site, request.args.get("site", type=int) or sites[0].id) or sites[0]
    rules = timeoff.policy_for(site.id) if request.method == "POST" else timeoff.policy_in_force(site.id)
    form, allowance = PolicyForm(prefix="policy"), AllowanceForm(prefix="allowance")
    status = 200
    if request.method == "GET":
        form.allowance_days.data, form.auto_approve.data = rules.allowance_days, rules.auto_approve
        form.daily_allotment.data = rules.daily_allotment
        allowance.year.data = dt.date.today().year
    elif "policy-submit" in request.form and form.validate_on_submit():
        before = {
            "allowance_days": rules.allowance_days,
            "auto_approve": rules.auto_approve,
            "daily_allotment": rules.daily_allotment,
        }
        rules.allowance_days, rules.auto_approve = float(form.allowance_days.data), form.auto_approve.data
        rules.daily_allotment = form.daily_allotment.data
        audit.record(
            "changed",
            "policy",
            rules.id,
            current_user.id,
            before=before,
            after={
                "allowance_days": rules.allowance_days,
                "auto_approve": rules.auto_approve,
                "daily_allotment": rules.daily_allotment,
            },
            note=site.name,
        )
        commit()
        flash(_("Time-off policy saved."), "success")
        return redirect(url_for("selfservice.policy", site=site.id))
    elif "allowance-submit" in request.form and allowance.validate_on_submit():
        agent = db.session.scalar(
            select(Agent).where(
                Agent.employee_number == allowance.employee_number.data.strip(), Agent.site_id == site.id
            )
        )
        if agent is None:
            allowance.employee_number.errors.append(_("No agent of this site has that number."))
            status = 400
        else:
            row = db.session.scalar(
                select(LeaveAllowance).where(
                    LeaveAllowance.agent_id == agent.id, LeaveAllowance.year == allowance.year.data
                )
            )
            before = {"days": row.days if row else rules.allowance_days}
            if row is None:  # another scheduler may be setting it at this moment: the later save wins
                row = get_or_make(
                    LeaveAllowance, {"agent_id": agent.id, "year": allowance.year.data}, {"days": 0}
                )
            row.days = float(allowance.days.data)
            db.session.flush()
            audit.record(
                "changed",
                "allowance",
                row.id,
                current_user.id,
                agent.id,
                before=before,
                after={"days": row.days, "year": row.year},
            )
            commit()
            flash(
                _(
                    "%(agent)s: %(days)s in %(year)s.",
                    agent=agent.name,
                    days=counted(row.days, "day"),
                    year=row.year,
                ),
                "success",
            )
            return redirect(url_for("selfservice.policy", site=site.id))
    else:
        status = 400
    own = db.session.scalars(
        select(LeaveAllowance)
        .join(Agent)
        .where(Agent.site_id == site.id)
        .order_by(LeaveAllowance.year.desc(), Agent.name)
    ).all()
    return render_template(
        "selfservice/policy.html",
        form=form,
        allowance=allowance,
        site=site,
        sites=sites,
        own=[{"agent": db.session.get(Agent, a.agent_id).name, "year": a.year, "days": a.days} for a in own],
    ), status
