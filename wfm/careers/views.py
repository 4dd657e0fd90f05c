"""Careers pages: HR's profiles, workflows, ladder editor, skills matrix and training; an agent's own ladder.

Views are thin: they read the form (`forms`), call `operations` (the engine checks every transition and who
may take it) and commit once. A refused step answers 400 (403 when the user may not take it) and says why.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from training.catalogue import CatalogueError, Ladder, Level
from training.workflow import NotAllowed, WorkflowError
from wfm.access import roles
from wfm.admin.operations import FieldError
from wfm.careers import dashboards, forms, operations, pages
from wfm.careers.store import level_of, level_row, load_catalogue, profile_of
from wfm.extensions import db
from wfm.models import Agent, Role
from wfm.models.careers import (
    Assessment,
    CareerField,
    Promotion,
)
from wfm.security.redirects import safe_path

blueprint = Blueprint("careers", __name__, url_prefix="/careers")
STAFF = (Role.HR, Role.ADMIN)


def _today() -> dt.date:
    return dt.date.today()


LABELS = {
    "field": "Field",
    "to_level": "To level",
    "effective_from": "Effective from",
    "note": "Note",
    "override": "Reason for the exception",
    "to": "Decision",
    "competency": "Competency",
    "proficiency": "Proficiency",
    "on": "On",
    "evidence": "Evidence",
    "source": "Source",
    "quality_score": "Quality score",
    "primary_field": "Counted in",
    "course": "Course",
    "site": "Site",
    "day": "Day",
    "start": "Start",
    "end": "End",
    "capacity": "Places",
    "trainer": "Trainer",
    "location": "Where",
    "agent_id": "Agent",
    "week": "Week from",
    "attendees": "Attendees",
    "score": "Score",
}


def label_of(field: str | None) -> str | None:
    """The words for a form field: 'score_13' is the score column, 'l2_tenure_months' level 2's tenure."""
    if not field:
        return None
    if field in LABELS:
        return LABELS[field]
    if m := re.fullmatch(r"(score|attended)_\d+", field):
        return LABELS.get(m.group(1), "Attended")
    if m := re.fullmatch(r"(?:l(\d+)|new)_(\w+)", field):
        where = f"Level {m.group(1)}" if m.group(1) else "New level"
        return f"{where}: {m.group(2).replace('_', ' ')}"
    return None


def refusal(error: Exception, form: str) -> tuple[dict, int]:
    """What a refused form shows: the message next to its field and above the form, in words, with what was
    typed kept (`typed`), and the status (403 when the user may not take the step, else 400). The session is
    rolled back first; the caller renders the form's own page again with it."""
    db.session.rollback()
    status = 403 if isinstance(error, NotAllowed) else 400
    message = getattr(error, "message", None) or str(error)
    message = message[:1].upper() + message[1:]
    field = getattr(error, "field", None)
    label = label_of(field)
    summary = f"Not saved. {label}: {message}" if label else f"Not saved. {message}"
    return {
        "form": form,
        "field": field,
        "message": message,
        "summary": summary,
        "typed": request.form.to_dict() if request.method == "POST" else request.args.to_dict(),
    }, status


REFUSED = (FieldError, WorkflowError, CatalogueError)


def _profile(agent: Agent, errors: dict | None = None, status: int = 200):
    page = pages.profile_page(agent, _today(), None)
    db.session.commit()
    return render_template("careers/profile.html", p=page, today=_today(), errors=errors), status


@blueprint.route("/")
@roles(*STAFF)
def index():
    return _index(None)


def _index(errors: dict | None, status: int = 200):
    cat = load_catalogue()
    pending = db.session.scalars(
        select(Assessment).where(Assessment.status == "submitted").order_by(Assessment.on)
    ).all()
    agents = {a.id: a.name for a in db.session.scalars(select(Agent))}
    evidence = [
        {
            "id": r.id,
            "agent_id": r.agent_id,
            "agent": agents[r.agent_id],
            "competency": cat.competencies[r.competency].name,
            "proficiency": r.proficiency,
            "on": r.on,
            "evidence": r.evidence,
        }
        for r in pending
    ]
    fields = [
        {
            "code": f.code,
            "name": f.name,
            "track": f.track.value,
            "levels": [(lv.number, lv.title) for lv in f.ladder.levels],
        }
        for f in cat.fields.values()
    ]
    people = [
        (a.id, a.name, a.employee_number)
        for a in db.session.scalars(select(Agent).where(Agent.leaving_date.is_(None)).order_by(Agent.name))
    ]
    return render_template(
        "careers/index.html",
        evidence=evidence,
        fields=fields,
        people=people,
        promotions=pages.promotion_rows(None, cat, "proposed"),
        errors=errors,
    ), status


@blueprint.route("/agents/<int:agent_id>")
@roles(*STAFF)
def profile(agent_id: int):
    agent = db.get_or_404(Agent, agent_id)
    target = None
    if request.args.get("field") and request.args.get("level", "").isdigit():
        target = (request.args["field"], int(request.args["level"]))
    page = pages.profile_page(agent, _today(), target)
    db.session.commit()
    return render_template("careers/profile.html", p=page, today=_today(), errors=None)


@blueprint.route("/agents/<int:agent_id>/evidence", methods=["POST"])
@roles(*STAFF)
def submit_evidence(agent_id: int):
    agent = db.get_or_404(Agent, agent_id)
    back = url_for(".profile", agent_id=agent.id)
    try:
        operations.submit_evidence(
            agent,
            current_user,
            forms.text(request.form, "competency"),
            int(forms.number(request.form, "proficiency", 1, 5, integer=True)),
            forms.date(request.form, "on", _today()),
            forms.text(request.form, "evidence"),
            source=forms.text(request.form, "source", required=False) or "manager",
        )
    except REFUSED as error:
        return _profile(db.get_or_404(Agent, agent_id), *refusal(error, "evidence"))
    db.session.commit()
    flash("Evidence submitted; it counts once validated.", "success")
    return redirect(back)


@blueprint.route("/evidence/<int:item_id>", methods=["POST"])
@roles(*STAFF)
def decide_evidence(item_id: int):
    row = db.get_or_404(Assessment, item_id)
    agent_id = row.agent_id
    back = safe_path(request.form.get("back"), url_for(".profile", agent_id=agent_id))
    try:
        operations.decide_evidence(
            row,
            current_user,
            forms.text(request.form, "to"),
            forms.text(request.form, "note", required=False),
            _today(),
        )
    except REFUSED as error:
        errors, status = refusal(error, f"evidence-{item_id}")
        if back == url_for(".index"):
            return _index(errors, status)
        return _profile(db.get_or_404(Agent, agent_id), errors, status)
    db.session.commit()
    flash(f"Evidence {row.status}.", "success")
    return redirect(back)


@blueprint.route("/agents/<int:agent_id>/promotions", methods=["POST"])
@roles(*STAFF)
def propose(agent_id: int):
    agent = db.get_or_404(Agent, agent_id)
    back = url_for(".profile", agent_id=agent.id)
    try:
        operations.propose(
            agent,
            current_user,
            forms.text(request.form, "field"),
            int(forms.number(request.form, "to_level", 1, 20, integer=True)),
            forms.date(request.form, "effective_from"),
            forms.text(request.form, "note", False),
            override=forms.text(request.form, "override", False, 1000),
        )
    except REFUSED as error:
        return _profile(db.get_or_404(Agent, agent_id), *refusal(error, "propose"))
    db.session.commit()
    flash("Promotion proposed.", "success")
    return redirect(back)


@blueprint.route("/promotions/<int:promotion_id>", methods=["POST"])
@roles(*STAFF)
def decide_promotion(promotion_id: int):
    row = db.get_or_404(Promotion, promotion_id)
    agent_id = row.agent_id
    back = url_for(".profile", agent_id=agent_id)
    note = forms.text(request.form, "note", required=False)
    try:
        decision = forms.text(request.form, "to")
        if decision == "approved":
            operations.approve(row, current_user, note)
        elif decision == "rejected":
            operations.reject(row, current_user, note)
        else:
            raise FieldError("to", "approve or reject")
    except REFUSED as error:
        return _profile(db.get_or_404(Agent, agent_id), *refusal(error, f"promotion-{promotion_id}"))
    db.session.commit()
    flash(f"Promotion {row.status}.", "success")
    return redirect(back)


@blueprint.route("/agents/<int:agent_id>/quality", methods=["POST"])
@roles(*STAFF)
def quality(agent_id: int):
    agent = db.get_or_404(Agent, agent_id)
    back = url_for(".profile", agent_id=agent.id)
    try:
        operations.set_quality(agent, forms.number(request.form, "quality_score", 0, 100), _today())
        field = forms.text(request.form, "primary_field", required=False)
        if field:
            if field not in load_catalogue().fields:
                raise FieldError("primary_field", "Choose one of the career fields.")
            profile_of(agent).primary_field = field
    except REFUSED as error:
        return _profile(db.get_or_404(Agent, agent_id), *refusal(error, "quality"))
    db.session.commit()
    return redirect(back)


@blueprint.route("/ladders/<code>", methods=["GET", "POST"])
@roles(*STAFF)
def ladder(code: str):
    """Edit a field's levels; the edited catalogue is validated by the engine before it is stored."""
    field = db.session.scalar(select(CareerField).where(CareerField.code == code)) or abort(404)
    if request.method == "POST":
        back = url_for(".ladder", code=code)
        try:
            levels = []
            count = len(field.levels) + (1 if request.form.get("new_title") else 0)
            for number in range(1, count + 1):
                prefix = "new_" if number > len(field.levels) else f"l{number}_"
                levels.append(
                    Level(
                        code,
                        number,
                        forms.text(request.form, prefix + "title", limit=120),
                        forms.code_levels(request.form, prefix + "competencies"),
                        tuple(forms.codes(request.form, prefix + "courses")),
                        tuple(forms.codes(request.form, prefix + "certifications")),
                        int(forms.number(request.form, prefix + "tenure_months", 0, 600, integer=True)),
                        forms.number(request.form, prefix + "min_quality", 0, 100, required=False),
                        forms.code_levels(request.form, prefix + "requires_levels"),
                    )
                )
            cat = load_catalogue()
            edited = replace(cat.fields[code], ladder=Ladder(tuple(levels)))
            type(cat)(
                fields={**cat.fields, code: edited},
                competencies=cat.competencies,
                courses=cat.courses,
                certifications=cat.certifications,
            )  # validates, naming the bad field
        except REFUSED as error:
            errors, status = refusal(_on_ladder_field(error, len(field.levels)), "ladder")
            return _ladder_page(field, errors), status
        for row, lv in zip(field.levels, levels, strict=False):
            fresh = level_row(lv)
            for attr in (
                "title",
                "competencies",
                "courses",
                "certifications",
                "tenure_months",
                "min_quality",
                "requires_levels",
            ):
                setattr(row, attr, getattr(fresh, attr))
        if len(levels) > len(field.levels):
            field.levels.append(level_row(levels[-1]))
        db.session.commit()
        flash("Ladder saved.", "success")
        return redirect(back)
    return _ladder_page(field, None)


def _on_ladder_field(error: Exception, stored: int) -> Exception:
    """The engine names a bad level as 'fields[x].ladder.levels[2].competencies: …': the form's field for
    it."""
    found = re.match(r"fields\[[^\]]+\]\.ladder\.levels\[(\d+)\]\.(\w+)(?:\[[^\]]*\])?: (.*)", str(error))
    if not found:
        return error
    number = int(found.group(1))
    prefix = "new_" if number > stored else f"l{number}_"
    return FieldError(prefix + found.group(2), found.group(3))


def _ladder_page(field: CareerField, errors: dict | None) -> str:
    cat = load_catalogue()
    rows = [level_of(lv, field.code) for lv in field.levels]
    return render_template("careers/ladder.html", field=field, levels=rows, cat=cat, errors=errors)


@blueprint.route("/matrix")
@roles(*STAFF)
def matrix():
    team = request.args.get("team", type=int)
    track = request.args.get("track") or None
    if track and track not in ("service", "operations", "analytics"):
        abort(404)
    return render_template("careers/matrix.html", matrix=dashboards.skills_matrix(_today(), team, track))


@blueprint.route("/reminders", methods=["POST"])
@roles(*STAFF)
def reminders():
    """Send the certification reminders due today (each reminder once; the nightly command does the same)."""
    from wfm.careers.reminders import send_reminders

    sent = send_reminders(_today())
    db.session.commit()
    flash(f"{len(sent)} reminders sent.", "success")
    return redirect(url_for(".index"))


from wfm.careers import agent_views, training_views  # noqa: E402,F401  (their routes join this blueprint)
