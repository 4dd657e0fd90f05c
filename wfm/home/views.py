"""Each role's home page: agents their own page, schedulers planning, HR people, admins the organisation."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user

from wfm.access import AGENTS, PEOPLE, PLANNERS, public, roles, signed_in
from wfm.home import figures
from wfm.models import Role

blueprint = Blueprint("home", __name__)

LANDING = (
    (Role.ADMIN, "admin.index"),
    (Role.SCHEDULER, "home.planning"),
    (Role.HR, "home.people"),
    (Role.AGENT, "home.me"),
)


@blueprint.route("/favicon.ico")
@public
def favicon():
    """Browsers ask for /favicon.ico whatever the page links; the icon is the SVG in wfm/static."""
    return current_app.send_static_file("favicon.svg")


@blueprint.route("/")
@signed_in
def index():
    for role, endpoint in LANDING:
        if current_user.has_role(role):
            return redirect(url_for(endpoint))
    return render_template("home/no_role.html")


@blueprint.route("/me")
@roles(*AGENTS)
def me():
    return render_template("home/me.html", me=figures.agent_page(current_user.agent, dt.date.today()))


@blueprint.route("/planning")
@roles(*PLANNERS)
def planning():
    return render_template("home/planning.html", sites=figures.planning_overview(dt.date.today()))


@blueprint.route("/people")
@roles(*PEOPLE)
def people():
    return render_template("home/people.html", people=figures.people_overview(dt.date.today()))


@blueprint.route("/healthz")
@public
def health():
    """Public: the database (and Redis, when jobs use it) answer; 503 with the failing check otherwise."""
    from wfm.health import report

    body, status = report()
    return jsonify(body), status
