"""The Today page (planners) and real-time adherence (planners as team leaders; each agent their own).

Thin views: the figures come from `wfm.intraday.today` and `wfm.intraday.adherence`; exceptions are
approved through `wfm.intraday.operations`. The pages refresh by themselves (an HTTP Refresh header), so a
wall screen keeps up without scripts.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import current_user
from sqlalchemy import select

from scheduling.adherence import ACTIVITY, BREAK, OFF, PHONES
from wfm.access import AGENTS, PLANNERS, roles
from wfm.charts import Line, TimeChart, render
from wfm.extensions import db
from wfm.intraday import adherence, operations
from wfm.intraday import today as today_figures
from wfm.intraday.forms import ExceptionForm, GraceForm
from wfm.models import AdherenceDay, Site
from wfm.unit_of_work import commit_or_refuse

blueprint = Blueprint("intraday", __name__, url_prefix="/today")
REFRESH_SECONDS = 60
DAYS_SHOWN = 28


# What the schedule says or the agent is doing (the engine's kinds), in the reader's language; "agent state"
# sets them apart from the same English words elsewhere (a day "off" in a roster).
def agent_state_label(kind: str) -> str:
    labels = {
        PHONES: pgettext("agent state", "on the phones"),
        BREAK: _("on a break"),
        ACTIVITY: _("in an activity"),
        OFF: pgettext("agent state", "off"),
    }
    return labels.get(kind, kind)


def site_asked() -> Site:
    sites = db.session.scalars(select(Site).where(Site.active.is_(True)).order_by(Site.name)).all()
    if not sites:
        abort(404)
    wanted = request.args.get("site", type=int)
    return next((s for s in sites if s.id == wanted), sites[0])


def moment_asked(site: Site) -> tuple[dt.datetime, str | None]:
    """Now at the site, or the moment asked: `at=YYYY-MM-DDTHH:MM`, or `follow=YYYY-MM-DD` (as far as that
    day's actuals have come: a replayed day)."""
    at, follow = request.args.get("at", ""), request.args.get("follow", "")
    try:
        if at:
            return dt.datetime.strptime(at, "%Y-%m-%dT%H:%M"), None
        if follow:
            day = dt.date.fromisoformat(follow)
            reached = today_figures.latest_actual_end(site, day)
            return reached or dt.datetime.combine(day, dt.time(0, 0)), None
    except ValueError:
        return today_figures.local_now(site), _("The moment asked is not a date and time; now is shown.")
    return today_figures.local_now(site), None


def chart(q: today_figures.QueueToday):
    times = [i.start for i in q.intervals]
    return render(
        TimeChart(
            times=times,
            lines=[
                Line(_("Forecast"), [i.forecast for i in q.intervals], "forecast"),
                Line(_("Re-forecast"), [i.reforecast for i in q.intervals], "planned"),
                Line(_("Actual"), [i.actual for i in q.intervals], "actual"),
            ],
            title=_("%(queue)s: contacts per interval", queue=q.queue.name),
            height=220,
        )
    )


@blueprint.route("/")
@roles(*PLANNERS)
def today():
    site = site_asked()
    now, problem = moment_asked(site)
    figures = today_figures.build(site, now)
    response = make_response(
        render_template(
            "intraday/today.html",
            today=figures,
            charts={q.queue.id: chart(q) for q in figures.queues},
            problem=problem,
            refresh=REFRESH_SECONDS,
        )
    )
    response.headers["Refresh"] = str(REFRESH_SECONDS)
    return response


def _adherence_moment(site: Site) -> tuple[dt.datetime, str | None]:
    now, problem = moment_asked(site)
    if request.args.get("at") or request.args.get("follow"):
        return now, problem
    return adherence.reached(site, now.date(), now), problem


@blueprint.route("/adherence", methods=["GET", "POST"])
@roles(*PLANNERS)
def adherence_page():
    """Who is where they should be: team leaders' view (planners), with exceptions and the grace period."""
    site = site_asked()
    until, problem = _adherence_moment(site)
    day = (until - dt.timedelta(minutes=1)).date() if until.time() == dt.time() else until.date()
    agents = adherence.live(site, day, until)
    exception_form = ExceptionForm(prefix="exception")
    exception_form.agent_id.choices = [(a.agent.id, a.agent.name) for a in agents]
    grace_form = GraceForm(prefix="grace", data={"grace_minutes": adherence.grace_minutes(site)})
    status = 200
    if request.method == "POST":
        if exception_form.reason.name in request.form and exception_form.validate_on_submit():
            form = exception_form
            change = lambda: operations.approve_exception(  # noqa: E731
                form.agent_id.data, form.start.data, form.end.data, form.reason.data, current_user.id
            )
            outcome = commit_or_refuse(change, form, fallback="reason")
            if outcome.kept:
                flash(_("The exception was approved; the agent's adherence counts it."), "success")
                return redirect(request.full_path)
            status = outcome.status
        elif grace_form.grace_minutes.name in request.form and grace_form.validate_on_submit():
            outcome = commit_or_refuse(
                lambda: operations.set_grace(site, grace_form.grace_minutes.data), grace_form
            )
            if outcome.kept:
                flash(_("The grace period was saved."), "success")
                return redirect(request.full_path)
            status = outcome.status
        else:
            status = 400
    grace = adherence.grace_minutes(site)
    response = make_response(
        render_template(
            "intraday/adherence.html",
            site=site,
            until=until,
            agents=agents,
            out=[a for a in agents if a.out_of_adherence(grace)],
            grace=grace,
            exception_form=exception_form,
            grace_form=grace_form,
            problem=problem,
            refresh=REFRESH_SECONDS,
            agent_state_label=agent_state_label,
        ),
        status,
    )
    response.headers["Refresh"] = str(REFRESH_SECONDS)
    return response


@blueprint.route("/my-adherence")
@roles(*AGENTS)
def my_adherence():
    """An agent's own adherence and conformance, day by day, and over their last days counted."""
    agent = current_user.agent
    if agent is None:
        abort(404)
    days = db.session.scalars(
        select(AdherenceDay)
        .where(AdherenceDay.agent_id == agent.id)
        .order_by(AdherenceDay.day.desc())
        .limit(DAYS_SHOWN)
    ).all()
    period = adherence.kpi(agent.id, days[-1].day, days[0].day) if days else {"adherence": None}
    return render_template("intraday/my_adherence.html", agent=agent, days=days, period=period)
