"""Organisation pages: list, create, edit and (de)activate each kind of record, and an agent's page."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from wfm.access import ADMINS, PEOPLE, roles
from wfm.admin import changelog
from wfm.admin import operations as ops
from wfm.admin.forms import ActivateForm, AgentSkillForm, ChangeLogFilterForm, UnlockForm
from wfm.admin.resources import RESOURCES, Resource, skill_choices
from wfm.auth.operations import is_locked, unlock
from wfm.careers.talent import departure_choices
from wfm.extensions import db
from wfm.models import Agent, AgentStatus, User
from wfm.unit_of_work import commit, commit_or_refuse

blueprint = Blueprint("admin", __name__, url_prefix="/admin")
CHANGE_SOURCES = {
    "web": _l("web page"),
    "api": _l("API"),
    "job": _l("background job"),
    "cli": _l("command line"),
}
CHANGE_ACTIONS = {
    "insert": _l("insert"),
    "update": _l("update"),
    "delete": _l("delete"),
    "bulk": _l("bulk change"),
}


@blueprint.app_template_global()
def change_source_label(source: str) -> str:
    return str(CHANGE_SOURCES.get(source, source))


@blueprint.app_template_global()
def change_action_label(action: str) -> str:
    return str(CHANGE_ACTIONS.get(action, action))


@blueprint.route("/")
@roles(*ADMINS)
def index():
    counts = [
        {
            "title": r.title,
            "url": url_for(f"admin.{r.name}_list"),
            "count": db.session.scalar(select(func.count()).select_from(r.model)),
        }
        for r in RESOURCES
    ]
    return render_template("admin/index.html", counts=counts)


def _save(resource: Resource, record, form) -> bool:
    """Run the operation; put a conflict on its field. True when saved (and committed)."""
    outcome = commit_or_refuse(lambda: resource.save(record, form), form)
    if not outcome.kept:
        return False
    saved = outcome.value
    flash(
        _("Saved: %(name)s.", name=getattr(saved, "name", None) or getattr(saved, "username", "")),
        "success",
    )
    return True


def _list_view(resource: Resource):
    def view():
        show = request.args.get("show", "active")
        records = db.session.scalars(select(resource.model).order_by(resource.order_by(resource.model))).all()
        if show == "active":
            records = [r for r in records if resource.is_active(r)]
        rows = [
            {"id": r.id, "active": resource.is_active(r), "cells": [get(r) for _, get in resource.columns]}
            for r in records
        ]
        return render_template(
            "admin/list.html",
            resource=resource,
            rows=rows,
            show=show,
            headers=[label for label, _ in resource.columns],
            toggle=ActivateForm(),
        )

    return view


def _form_view(resource: Resource, creating: bool):
    def view(record_id: int | None = None):
        record = None if creating else db.get_or_404(resource.model, record_id)
        form = resource.form()
        resource.choices(form)
        if request.method == "GET" and record is not None:
            resource.fill(form, record)
        if form.validate_on_submit() and _save(resource, record, form):
            return redirect(url_for(f"admin.{resource.name}_list"))
        status = 400 if form.errors else 200
        locked = isinstance(record, User) and is_locked(record)
        return render_template(
            "admin/form.html",
            resource=resource,
            form=form,
            record=record,
            locked=locked,
            unlock_form=UnlockForm(),
        ), status

    return view


def _activate_view(resource: Resource):
    def view(record_id: int):
        record = db.get_or_404(resource.model, record_id)
        form = ActivateForm()
        if form.validate_on_submit():
            ops.set_active(record, form.active.data)
            commit()
            flash(_("Reactivated.") if form.active.data else _("Deactivated."), "success")
        return redirect(url_for(f"admin.{resource.name}_list"))

    return view


for _resource in RESOURCES:
    _guard = roles(*_resource.roles)
    _name = _resource.name
    blueprint.add_url_rule(f"/{_name}/", f"{_name}_list", _guard(_list_view(_resource)))
    blueprint.add_url_rule(
        f"/{_name}/new", f"{_name}_new", _guard(_form_view(_resource, True)), methods=["GET", "POST"]
    )
    blueprint.add_url_rule(
        f"/{_name}/<int:record_id>/edit",
        f"{_name}_edit",
        _guard(_form_view(_resource, False)),
        methods=["GET", "POST"],
    )
    if _name != "agents":  # agents leave (with a date and reason) instead
        blueprint.add_url_rule(
            f"/{_name}/<int:record_id>/active",
            f"{_name}_active",
            _guard(_activate_view(_resource)),
            methods=["POST"],
        )


# An agent's page: skills with their history, leaving and rehiring -------------------------------------


def _render_agent(agent: Agent, skill_form=None, status: int = 200):
    skill_form = skill_form or AgentSkillForm(effective_from=dt.date.today())
    skill_form.skill_id.choices = skill_choices()
    history = sorted(agent.skills, key=lambda s: (s.skill.name, s.effective_from))
    return render_template(
        "admin/agent.html",
        agent=agent,
        history=history,
        today=dt.date.today(),
        skill_form=skill_form,
        csrf=FlaskForm(),  # the departure form's token, as the careers pages render it
        **departure_choices(),  # leaving is recorded as a departure (left the bank with a reason, or moved)
        rehire_form=ActivateForm(),
    ), status


@blueprint.route("/agents/<int:agent_id>")
@roles(*PEOPLE)
def agent(agent_id: int):
    return _render_agent(db.get_or_404(Agent, agent_id))


@blueprint.route("/agents/<int:agent_id>/skills", methods=["POST"])
@roles(*PEOPLE)
def agent_skill(agent_id: int):
    agent = db.get_or_404(Agent, agent_id)
    form = AgentSkillForm()
    form.skill_id.choices = skill_choices()
    if form.validate_on_submit():
        saved = commit_or_refuse(
            lambda: ops.set_agent_skill(
                agent,
                skill_id=form.skill_id.data,
                proficiency=form.proficiency.data,
                effective_from=form.effective_from.data,
            ),
            form,
        )
        if saved.kept:
            flash(_("Skill updated; the earlier proficiency stays in the history."), "success")
            return redirect(url_for("admin.agent", agent_id=agent.id))
    return _render_agent(agent, skill_form=form, status=400)


@blueprint.route("/agents/<int:agent_id>/rehire", methods=["POST"])
@roles(*PEOPLE)
def agent_rehire(agent_id: int):
    agent = db.get_or_404(Agent, agent_id)
    if ActivateForm().validate_on_submit() and agent.status == AgentStatus.LEFT:
        ops.rehire(agent)
        commit()
        flash(_("%(name)s is active again.", name=agent.name), "success")
    return redirect(url_for("admin.agent", agent_id=agent.id))


# Sign-in lockouts and the change log --------------------------------------------------------------------


@blueprint.route("/users/<int:record_id>/unlock", methods=["POST"])
@roles(*ADMINS)
def users_unlock(record_id: int):
    user = db.get_or_404(User, record_id)
    if UnlockForm().validate_on_submit() and is_locked(user):
        unlock(user)  # the change log records who lifted it
        commit()
        flash(_("%(name)s may sign in again.", name=user.username), "success")
    return redirect(url_for("admin.users_edit", record_id=user.id))


@blueprint.route("/change-log")
@roles(*ADMINS)
def change_log():
    form = ChangeLogFilterForm(request.args)
    form.entity.choices = [("", _("any"))] + [(e, e) for e in changelog.entities()]
    form.user_id.choices = [(0, _("anyone")), *changelog.users()]
    valid = form.validate()
    filters = changelog.Filters()
    if valid:
        filters = changelog.Filters(
            entity=form.entity.data or "",
            entity_id=(form.entity_id.data or "").strip(),
            user_id=form.user_id.data or None,
            source=form.source.data or "",
            since=form.since.data,
            until=form.until.data,
        )
    number = request.args.get("page", "1")
    result = changelog.page(filters, int(number) if number.isdigit() else 1)
    arguments = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "admin/change_log.html", form=form, result=result, arguments=arguments
    ), 200 if valid else 400
