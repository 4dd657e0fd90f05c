"""An agent's own career: their ladder, self-assessments and course certificates (never anyone else's)."""

from __future__ import annotations

import datetime as dt

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wfm.access import AGENTS, roles, signed_in_agent
from wfm.careers import forms, operations, pages
from wfm.careers.blueprint import blueprint, saved, shown
from wfm.careers.store import load_catalogue
from wfm.extensions import db
from wfm.models.careers import Assessment, CourseCompletionRow


def _today() -> dt.date:
    return dt.date.today()


@blueprint.route("/me")
@roles(*AGENTS)
def my_ladder():
    return _my_page()


def _my_page(errors: dict | None = None, status: int = 200):
    page = pages.ladder_page(signed_in_agent(), _today())
    drawn = shown(errors, evidence=forms.EvidenceForm(formdata=None, data={"proficiency": 2}))
    drawn["evidence"].competency.choices = list(page["competency_choices"])
    return render_template(
        "careers/me.html",
        profile=page,
        today=_today(),
        errors=errors,
        forms=drawn,
        resubmit=forms.ResubmitForm(formdata=None),
    ), status


@blueprint.route("/me/evidence", methods=["POST"])
@roles(*AGENTS)
def my_evidence():
    agent = signed_in_agent()
    back = url_for(".my_ladder")
    refused = saved(
        forms.EvidenceForm(),
        lambda f: operations.submit_evidence(
            agent, current_user, f.competency.value, f.proficiency.value, f.on.value, f.evidence.value
        ),
        "evidence",
    )
    if refused:
        return _my_page(*refused)
    flash(_("Self-assessment submitted; HR will validate it."), "success")
    return redirect(back)


@blueprint.route("/me/evidence/<int:item_id>/resubmit", methods=["POST"])
@roles(*AGENTS)
def my_resubmit(item_id: int):
    agent = signed_in_agent()
    row = db.session.get(Assessment, item_id)
    if row is None or row.agent_id != agent.id:
        abort(404)
    refused = saved(
        forms.ResubmitForm(),
        lambda f: operations.resubmit_evidence(row, current_user, f.evidence.value),
        f"resubmit-{item_id}",
    )
    if refused:
        return _my_page(*refused)
    flash(_("Evidence sent to HR again."), "success")
    return redirect(url_for(".my_ladder"))


@blueprint.route("/me/certificates/<int:completion_id>.pdf")
@roles(*AGENTS)
def my_certificate(completion_id: int):
    from wfm.careers.certificate import certificate_pdf

    agent = signed_in_agent()
    row = db.session.get(CourseCompletionRow, completion_id)
    if row is None or row.agent_id != agent.id:
        abort(404)
    cat = load_catalogue()
    course = cat.courses[row.course]
    if row.score < course.pass_score:
        abort(404)
    pdf = certificate_pdf(
        {
            "name": agent.name,
            "employee_number": agent.employee_number,
            "course": course.name,
            "code": course.code,
            "hours": course.hours,
            "completed_on": row.completed_on,
            "score": row.score,
            "number": f"{row.course}-{agent.employee_number}-{row.id}",
        }
    )
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="certificate-{row.course}.pdf"'},
    )
