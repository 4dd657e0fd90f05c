"""Pages for agents steering their own careers (all ladders, their plan, asking for training) and for the
scheduler deciding the requests with the service-level cost shown; HR reads the demand."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wfm.access import AGENTS, PEOPLE, PLANNERS, roles, signed_in_agent
from wfm.careers import steering
from wfm.careers.blueprint import blueprint
from wfm.careers.pages import session_row
from wfm.careers.store import load_catalogue
from wfm.careers.talent_views import _int, _run, _text
from wfm.extensions import db
from wfm.models.careers import TrainingSession
from wfm.models.talent import EnrolmentRequest


def _today() -> dt.date:
    return dt.date.today()


@blueprint.route("/me/ladders")
@roles(*AGENTS)
def my_ladders():
    me = signed_in_agent()
    cat = load_catalogue()
    mine = {r.session_id: r for r in db.session.query(EnrolmentRequest).filter_by(agent_id=me.id)}
    return render_template(
        "careers/my_ladders.html",
        ladders=steering.all_ladders(me, _today()),
        plan=steering.plan_of(me.id),
        fields=[(c, f.name) for c, f in cat.fields.items()],
        sessions=[session_row(s, cat) for s in steering.open_sessions(_today())],
        requests=mine,
    )


@blueprint.route("/me/plan", methods=["POST"])
@roles(*AGENTS)
def my_plan():
    me = signed_in_agent()
    kept, _status = _run(
        lambda: steering.set_plan(me, _text("target_field"), _int("target_level", 1), _text("note"))
    )
    if kept:
        flash(_("Your development plan is saved; HR can see it."), "success")
    return redirect(url_for(".my_ladders"))


@blueprint.route("/me/sessions/<int:session_id>/ask", methods=["POST"])
@roles(*AGENTS)
def my_ask(session_id: int):
    me = signed_in_agent()
    session = db.session.get(TrainingSession, session_id) or abort(404)
    kept, _status = _run(lambda: steering.ask_to_enrol(session, me, _text("note"), _today()))
    if kept:
        flash(_("Request sent; the scheduler decides."), "success")
    return redirect(url_for(".my_ladders"))


@blueprint.route("/enrolment-requests")
@roles(*PLANNERS, *PEOPLE)
def enrolment_requests():
    return render_template(
        "careers/enrolment_requests.html",
        page=steering.requests_page(_today()),
        may_decide=current_user.has_role(*PLANNERS),
    )


@blueprint.route("/enrolment-requests/<int:request_id>", methods=["POST"])
@roles(*PLANNERS)
def decide_enrolment_request(request_id: int):
    row = db.session.get(EnrolmentRequest, request_id) or abort(404)
    approve = request.form.get("to") == "approved"
    kept, _status = _run(lambda: steering.decide_request(row, current_user, approve, _text("note")))
    if kept:
        flash(_("Request approved: the agent is enrolled.") if approve else _("Request refused."), "success")
        return redirect(url_for(".enrolment_requests"))
    return redirect(url_for(".enrolment_requests"), 303)
