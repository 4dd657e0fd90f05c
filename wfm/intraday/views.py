"""The Today page (planners) and real-time adherence (planners as team leaders; each agent their own).

Thin views: the figures come from `wfm.intraday.today` and `wfm.intraday.adherence`; exceptions are
approved through `wfm.intraday.operations`. The pages refresh by themselves (an HTTP Refresh header), so a
wall screen keeps up without scripts.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, make_response, render_template, request
from sqlalchemy import select

from wfm.access import PLANNERS, roles
from wfm.charts import Line, TimeChart, render
from wfm.extensions import db
from wfm.intraday import today as today_figures
from wfm.models import Site

blueprint = Blueprint("intraday", __name__, url_prefix="/today")
REFRESH_SECONDS = 60


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
        return today_figures.local_now(site), "The moment asked is not a date and time; now is shown."
    return today_figures.local_now(site), None


def chart(q: today_figures.QueueToday):
    times = [i.start for i in q.intervals]
    return render(
        TimeChart(
            times=times,
            lines=[
                Line("Forecast", [i.forecast for i in q.intervals], "forecast"),
                Line("Re-forecast", [i.reforecast for i in q.intervals], "planned"),
                Line("Actual", [i.actual for i in q.intervals], "actual"),
            ],
            title=f"{q.queue.name}: contacts per interval",
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
