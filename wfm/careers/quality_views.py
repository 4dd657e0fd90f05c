"""Quality pages: HR designs forms and answers disputes; QA staff evaluate contacts (alone or in a
calibration session); an agent reads their own evaluations and may dispute one."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from wfm.access import AGENTS, PEOPLE, PLANNERS, roles
from wfm.careers import quality
from wfm.careers.blueprint import blueprint
from wfm.careers.talent_views import _date, _run, _text
from wfm.extensions import db
from wfm.models import Agent
from wfm.models.talent import QualityEvaluation, QualityForm
from wfm.textfiles import ENCODING_CHOICES, upload_text


def _today() -> dt.date:
    return dt.date.today()


@blueprint.route("/quality", methods=["GET", "POST"])
@roles(*PEOPLE)
def quality_page():
    status = 200
    if request.method == "POST":
        kept, status = _run(
            lambda: quality.create_form(current_user, _text("name"), request.form.get("lines", ""))
        )
        if kept:
            flash(_("Form saved."), "success")
            return redirect(url_for(".quality_page"))
    return render_template(
        "careers/quality.html",
        forms=db.session.scalars(select(QualityForm).order_by(QualityForm.name)).all(),
        disputed=db.session.scalars(
            select(QualityEvaluation).where(QualityEvaluation.status == "disputed")
        ).all(),
        recent=db.session.scalars(
            select(QualityEvaluation).order_by(QualityEvaluation.id.desc()).limit(30)
        ).all(),
        calibrations=quality.calibrations(),
        questions_of=quality.questions_of,
        commented=db.session.scalars(
            select(QualityEvaluation)
            .where(QualityEvaluation.status == "final", QualityEvaluation.agent_comment != "")
            .order_by(QualityEvaluation.on.desc(), QualityEvaluation.id.desc())
            .limit(30)
        ).all(),
    ), status


@blueprint.route("/quality/evaluate", methods=["GET", "POST"])
@roles(*PEOPLE, *AGENTS)
def quality_evaluate():
    """HR and QA staff (agents holding a centre-roles level) evaluate; other agents are told who may."""
    if not quality.is_qa(current_user, _today()):
        if request.method == "POST":
            abort(403)
        return render_template("careers/quality_evaluate.html", not_qa=True, form=None, forms=[])
    forms = db.session.scalars(select(QualityForm).order_by(QualityForm.name)).all()
    form = db.session.get(QualityForm, request.values.get("form_id", type=int) or 0) or (
        forms[0] if forms else None
    )
    status = 200
    if request.method == "POST" and form is not None:
        agent = db.session.get(Agent, request.form.get("agent_id", type=int) or 0)
        if agent is None:
            flash(_("Not saved. Agent: choose the agent evaluated."), "error")
            status = 400
        else:
            met = {i: request.form.get(f"q_{i}") == "yes" for i in range(len(form.questions))}
            kept, status = _run(
                lambda: quality.evaluate(
                    current_user,
                    agent,
                    form,
                    _text("contact"),
                    _date("on"),
                    met,
                    _text("calibration") or None,
                    _today(),
                )
            )
            if kept:
                flash(_("Evaluation saved."), "success")
                return redirect(url_for(".quality_evaluate", form_id=form.id))
    agents = [a for a in db.session.scalars(select(Agent).order_by(Agent.name)) if a.leaving_date is None]
    return render_template(
        "careers/quality_evaluate.html",
        forms=forms,
        form=form,
        questions=quality.questions_of(form) if form else (),
        agents=agents,
        today=_today(),
    ), status


@blueprint.route("/quality/<int:evaluation_id>/answer", methods=["POST"])
@roles(*PEOPLE)
def quality_answer(evaluation_id: int):
    row = db.session.get(QualityEvaluation, evaluation_id) or abort(404)
    uphold = request.form.get("to") == "upheld"
    kept, _status = _run(lambda: quality.resolve(row, current_user, uphold, _text("answer")))
    if kept:
        flash(_("Dispute answered."), "success")
    return redirect(url_for(".quality_page"))


@blueprint.route("/me/quality")
@roles(*AGENTS)
def my_quality():
    me = current_user.agent or abort(404)
    rows = db.session.scalars(
        select(QualityEvaluation)
        .where(QualityEvaluation.agent_id == me.id, QualityEvaluation.calibration.is_(None))
        .order_by(QualityEvaluation.on.desc())
    ).all()
    return render_template(
        "careers/my_quality.html",
        rows=rows,
        questions_of=quality.questions_of,
        is_qa=quality.is_qa(current_user, _today()),
    )


@blueprint.route("/me/quality/<int:evaluation_id>/comment", methods=["POST"])
@roles(*AGENTS)
def my_comment(evaluation_id: int):
    row = db.session.get(QualityEvaluation, evaluation_id)
    if row is None or row.agent_id != current_user.agent_id:
        abort(404)
    kept, _status = _run(lambda: quality.comment(row, current_user, _text("comment")))
    if kept:
        flash(_("Comment saved: HR reads it."), "success")
    return redirect(url_for(".my_quality"))


@blueprint.route("/me/quality/<int:evaluation_id>/dispute", methods=["POST"])
@roles(*AGENTS)
def my_dispute(evaluation_id: int):
    row = db.session.get(QualityEvaluation, evaluation_id)
    if row is None or row.agent_id != current_user.agent_id:
        abort(404)
    kept, _status = _run(lambda: quality.dispute(row, current_user, _text("comment")))
    if kept:
        flash(_("Dispute sent to HR."), "success")
    return redirect(url_for(".my_quality"))


@blueprint.route("/kpis", methods=["GET", "POST"])
@roles(*PEOPLE, *PLANNERS)
def kpis_page():
    """Import a KPI file and read every agent's scorecard (last 30 days against targets)."""
    from wfm.careers import kpis

    status = 200
    if request.method == "POST":
        upload = request.files.get("file")
        encoding = request.form.get("encoding", "auto")
        kept, status = _run(lambda: kpis.import_csv(upload_text(upload, encoding=encoding)))
        if kept:
            flash(_("KPIs imported."), "success")
            return redirect(url_for(".kpis_page"))
    return render_template(
        "careers/kpis.html",
        cards=kpis.team_cards(_today()),
        teams=kpis.teams(_today()),
        kpi_names=kpi_names(),
        encodings=ENCODING_CHOICES,
    ), status


@blueprint.route("/kpis/agents/<int:agent_id>")
@roles(*PEOPLE, *PLANNERS)
def agent_kpis(agent_id: int):
    """One agent's scorecard with the last 30 days against the 30 before, and week by week."""
    from wfm.careers import kpis

    agent = db.session.get(Agent, agent_id) or abort(404)
    return render_template(
        "careers/kpi_agent.html",
        card=kpis.card(agent, _today()),
        weeks=kpis.agent_weeks(agent, _today()),
        kpi_names=kpi_names(),
    )


@blueprint.route("/me/kpis")
@roles(*AGENTS)
def my_kpis():
    from wfm.careers import kpis

    me = current_user.agent or abort(404)
    return render_template(
        "careers/kpis.html",
        cards=[kpis.card(me, _today())],
        mine=True,
        weeks=kpis.agent_weeks(me, _today()),
        kpi_names=kpi_names(),
    )


def kpi_names() -> dict[str, str]:
    return {
        "handle_seconds": _("Average handle time (seconds)"),
        "fcr": _("First-contact resolution (%)"),
        "csat": _("Customer satisfaction (%)"),
    }
