"""Careers pages: HR's profiles, workflows, ladder editor, skills matrix and training; an agent's own ladder.

Views are thin: they read the form (`forms`), call `operations` (the engine checks every transition and who
may take it) and commit once. A refused step answers 400 (403 when the user may not take it) and says why.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from training.catalogue import Ladder, Level
from wfm.access import PEOPLE, roles
from wfm.careers import dashboards, forms, operations, pages
from wfm.careers.blueprint import REFUSED, blueprint, career_state, refusal, saved, shown, with_form
from wfm.careers.store import catalogue_for_change, chinese_names, level_row, load_catalogue, profile_of
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.models import Agent
from wfm.models.careers import (
    Assessment,
    CareerField,
    Promotion,
)
from wfm.security.redirects import safe_path
from wfm.unit_of_work import commit


def _today() -> dt.date:
    return dt.date.today()


def _profile(agent: Agent, errors: dict | None = None, status: int = 200, target=None):
    page = pages.profile_page(agent, _today(), target)
    return render_template(
        "careers/profile.html", profile=page, today=_today(), errors=errors, **_profile_forms(page, errors)
    ), status


def _profile_forms(page, errors: dict | None) -> dict:
    """The profile's forms: blank with the page's starting values, the refused one as it was sent."""
    fields = [(code, name) for code, name, _levels in page["field_choices"]]
    primary = next((code for code, name in fields if name == page["primary_field"]), "")
    drawn = shown(
        errors,
        propose=forms.ProposeForm(formdata=None, data={"to_level": 1, "effective_from": _today()}),
        evidence=forms.RecordedEvidenceForm(formdata=None, data={"proficiency": 2, "on": _today()}),
        quality=forms.QualityForm(
            formdata=None, data={"quality_score": page["quality"], "primary_field": primary}
        ),
    )
    drawn["propose"].field.choices = fields
    drawn["quality"].primary_field.choices = fields
    drawn["evidence"].competency.choices = list(page["competency_choices"])
    return {"forms": drawn, "decision": forms.DecisionForm(formdata=None)}


@blueprint.route("/")
@roles(*PEOPLE)
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
        decision=forms.DecisionForm(formdata=None),
    ), status


@blueprint.route("/agents/<int:agent_id>")
@roles(*PEOPLE)
def profile(agent_id: int):
    agent = db.get_or_404(Agent, agent_id)
    target = None
    if request.args.get("field") and request.args.get("level", "").isdigit():
        target = (request.args["field"], int(request.args["level"]))
    return _profile(agent, target=target)[0]


@blueprint.route("/agents/<int:agent_id>/evidence", methods=["POST"])
@roles(*PEOPLE)
def submit_evidence(agent_id: int):
    agent = db.get_or_404(Agent, agent_id)
    back = url_for(".profile", agent_id=agent.id)
    refused = saved(
        forms.RecordedEvidenceForm(),
        lambda f: operations.submit_evidence(
            agent,
            current_user,
            f.competency.value,
            f.proficiency.value,
            f.on.value,
            f.evidence.value,
            source=f.source.value or "manager",
        ),
        "evidence",
    )
    if refused:
        return _profile(db.get_or_404(Agent, agent_id), *refused)
    flash(_("Evidence submitted; it counts once validated."), "success")
    return redirect(back)


@blueprint.route("/evidence/<int:item_id>", methods=["POST"])
@roles(*PEOPLE)
def decide_evidence(item_id: int):
    row = db.get_or_404(Assessment, item_id)
    agent_id = row.agent_id
    back = safe_path(request.form.get("back"), url_for(".profile", agent_id=agent_id))
    refused = saved(
        forms.DecisionForm(),
        lambda f: operations.decide_evidence(row, current_user, f.to.value, f.note.value, _today()),
        f"evidence-{item_id}",
    )
    if refused:
        if back == url_for(".index"):
            return _index(*refused)
        return _profile(db.get_or_404(Agent, agent_id), *refused)
    flash(_("Evidence %(state)s.", state=career_state(row.status)), "success")
    return redirect(back)


@blueprint.route("/agents/<int:agent_id>/promotions", methods=["POST"])
@roles(*PEOPLE)
def propose(agent_id: int):
    agent = db.get_or_404(Agent, agent_id)
    back = url_for(".profile", agent_id=agent.id)
    refused = saved(
        forms.ProposeForm(),
        lambda f: operations.propose(
            agent,
            current_user,
            f.field.value,
            f.to_level.value,
            f.effective_from.value,
            f.note.value,
            override=f.override.value,
        ),
        "propose",
    )
    if refused:
        return _profile(db.get_or_404(Agent, agent_id), *refused)
    flash(_("Promotion proposed."), "success")
    return redirect(back)


@blueprint.route("/promotions/<int:promotion_id>", methods=["POST"])
@roles(*PEOPLE)
def decide_promotion(promotion_id: int):
    row = db.get_or_404(Promotion, promotion_id)
    agent_id = row.agent_id
    back = url_for(".profile", agent_id=agent_id)

    def decide(f):
        if f.to.value == "approved":
            operations.approve(row, current_user, f.note.value)
        elif f.to.value == "rejected":
            operations.reject(row, current_user, f.note.value)
        else:
            raise FieldError("to", _("approve or reject"))

    refused = saved(forms.DecisionForm(), decide, f"promotion-{promotion_id}")
    if refused:
        return _profile(db.get_or_404(Agent, agent_id), *refused)
    flash(_("Promotion %(state)s.", state=career_state(row.status)), "success")
    return redirect(back)


@blueprint.route("/agents/<int:agent_id>/quality", methods=["POST"])
@roles(*PEOPLE)
def quality(agent_id: int):
    agent = db.get_or_404(Agent, agent_id)
    back = url_for(".profile", agent_id=agent.id)

    def change(f):
        operations.set_quality(agent, f.quality_score.value, _today())
        if f.primary_field.value:
            if f.primary_field.value not in catalogue_for_change().fields:
                raise FieldError("primary_field", _("Choose one of the career fields."))
            profile_of(agent).primary_field = f.primary_field.value

    refused = saved(forms.QualityForm(), change, "quality")
    if refused:
        return _profile(db.get_or_404(Agent, agent_id), *refused)
    return redirect(back)


@blueprint.route("/ladders/<code>", methods=["GET", "POST"])
@roles(*PEOPLE)
def ladder(code: str):
    """Edit a field's names and levels (English and Chinese); the edited catalogue is validated by the
    engine before it is stored."""
    if request.method == "POST":
        catalogue_for_change()  # the ladder edited is a stored one
        field = db.session.scalar(select(CareerField).where(CareerField.code == code)) or abort(404)
        back = url_for(".ladder", code=code)
        # One row of fields per stored level, and one more when the row for a new level is filled in.
        prefixes = [f"l{number}_" for number in range(1, len(field.levels) + 1)]
        prefixes += ["new_"] if request.form.get("new_title") else []
        form = forms.ladder_form(prefixes, names="field_name" in request.form)
        try:
            if not form.validate_on_submit():
                raise forms.first_refusal(form)
            levels = [
                Level(code, number, **{name: form[prefix + name].value for name, _make in forms.LEVEL_FIELDS})
                for number, prefix in enumerate(prefixes, 1)
            ]
            cat = load_catalogue(english=True)
            edited = replace(cat.fields[code], ladder=Ladder(tuple(levels)))
            type(cat)(
                fields={**cat.fields, code: edited},
                competencies=cat.competencies,
                courses=cat.courses,
                certifications=cat.certifications,
            )  # validates, naming the bad field
        except REFUSED as error:
            errors, status = with_form(refusal(_on_ladder_field(error, len(field.levels)), "ladder"), form)
            return _ladder_page(code, errors), status
        _store_ladder(field, form, prefixes, levels)
        commit()
        flash(_("Ladder saved."), "success")
        return redirect(back)
    return _ladder_page(code, None)


def _store_ladder(field: CareerField, form, prefixes: list[str], levels: list[Level]) -> None:
    """The field's names and each level as edited (a new level appended on top); texts the form did not
    send are kept."""
    for name, _make in forms.FIELD_TEXTS:
        if name in form and name in request.form:
            setattr(field, name.removeprefix("field_"), form[name].value)
    if len(levels) > len(field.levels):
        field.levels.append(level_row(levels[-1]))
    for row, lv, prefix in zip(field.levels, levels, prefixes, strict=False):
        fresh = level_row(lv)
        for attr, _make in forms.LEVEL_FIELDS:
            setattr(row, attr, getattr(fresh, attr))
        for attr, _make in forms.LEVEL_TEXTS:
            if prefix + attr in request.form:
                setattr(row, attr, form[prefix + attr].value)


def _on_ladder_field(error: Exception, stored: int) -> Exception:
    """The engine names a bad level as 'fields[x].ladder.levels[2].competencies: …': the form's field for
    it."""
    found = re.match(r"fields\[[^\]]+\]\.ladder\.levels\[(\d+)\]\.(\w+)(?:\[[^\]]*\])?: (.*)", str(error))
    if not found:
        return error
    number = int(found.group(1))
    prefix = "new_" if number > stored else f"l{number}_"
    return FieldError(prefix + found.group(2), found.group(3))


def _ladder_page(code: str, errors: dict | None) -> str:
    """The ladder as the catalogue has it, in both languages (read only: the default one before any is
    stored)."""
    cat = load_catalogue(english=True)
    field = cat.fields.get(code) or abort(404)
    zh = chinese_names()
    levels = list(field.ladder.levels)
    name_zh, description_zh = zh.fields.get(code, ("", ""))
    stored = {
        "field_name": field.name,
        "field_name_zh": name_zh,
        "field_description": field.description,
        "field_description_zh": description_zh,
    }
    for lv in levels:
        prefix = f"l{lv.number}_"
        stored[prefix + "title"] = lv.title
        stored[prefix + "description"] = lv.description
        stored[prefix + "title_zh"], stored[prefix + "description_zh"] = zh.levels.get(lv.key, ("", ""))
        stored[prefix + "competencies"] = _pairs(lv.competencies)
        stored[prefix + "courses"] = ", ".join(lv.courses)
        stored[prefix + "certifications"] = ", ".join(lv.certifications)
        stored[prefix + "tenure_months"] = lv.tenure_months
        stored[prefix + "min_quality"] = lv.min_quality
        stored[prefix + "requires_levels"] = _pairs(lv.requires_levels)
        stored[prefix + "kpis"] = ", ".join(f"{kpi}={need:g}" for kpi, need in lv.kpis.items())
    stored["new_tenure_months"] = 0
    prefixes = [f"l{lv.number}_" for lv in levels] + ["new_"]
    blank = forms.ladder_form(prefixes, formdata=None, data=stored)
    drawn = shown(errors, ladder=blank)["ladder"]
    from wfm.careers.kpi_rungs import rung_figures

    shown_field = load_catalogue().fields[code]  # named in the reader's language
    return render_template(
        "careers/ladder.html",
        field=shown_field,
        levels=levels,
        cat=cat,
        errors=errors,
        form=drawn,
        blank=blank,
        kpi_rungs=rung_figures(list(shown_field.ladder.levels), code, dt.date.today()),
    )


def _pairs(by_code: dict) -> str:
    """{'english': 3, 'sales': 2} as the editor writes it: 'english=3, sales=2'."""
    return ", ".join(f"{code}={number}" for code, number in by_code.items())


@blueprint.route("/matrix")
@roles(*PEOPLE)
def matrix():
    team = request.args.get("team", type=int)
    track = request.args.get("track") or None
    if track and track not in ("service", "operations", "analytics"):
        abort(404)
    return render_template("careers/matrix.html", matrix=dashboards.skills_matrix(_today(), team, track))


@blueprint.route("/reminders", methods=["POST"])
@roles(*PEOPLE)
def reminders():
    """Send the certification reminders due today (each reminder once; the nightly command does the same)."""
    from wfm.careers.reminders import send_reminders

    sent = send_reminders(_today())
    commit()
    flash(ngettext("%(num)s reminder sent.", "%(num)s reminders sent.", len(sent)), "success")
    return redirect(url_for(".index"))
