"""The talent pool's pages: HR records departures and posts internal vacancies (with the agents eligible or
one requirement short), moves applications through their workflow; an agent sees the vacancies they could
reach, applies, and follows (only) their own applications.

The engine (`training.mobility.APPLICATION`) says who may take each step; a refused step answers 400 (403
when the user may not take it) with the reason in words.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from training.mobility import APPLICATION, DEPARTMENTS
from training.workflow import NotAllowed
from wfm.access import AGENTS, EVERY_ROLE, PEOPLE, roles, signed_in_agent
from wfm.careers import talent
from wfm.careers.blueprint import REFUSED, blueprint, said
from wfm.careers.store import load_catalogue
from wfm.extensions import db
from wfm.models import Agent
from wfm.models.talent import Application, Vacancy
from wfm.unit_of_work import commit_or_refuse


def _today() -> dt.date:
    return dt.date.today()


def _text(name: str) -> str:
    return (request.form.get(name) or "").strip()


def _date(name: str, required: bool = True) -> dt.date | None:
    value = _text(name)
    if not value and not required:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise talent.TalentError(name, _("Give a date as year-month-day, for example 2026-03-31.")) from None


def _int(name: str, default: int | None = None) -> int:
    value = _text(name)
    if not value and default is not None:
        return default
    try:
        return int(value)
    except ValueError:
        raise talent.TalentError(name, _("Give a whole number.")) from None


def _yes(name: str) -> bool | None:
    value = _text(name)
    return {"yes": True, "no": False}.get(value)


def _run(change) -> tuple[bool, int]:
    """Run the change as one unit of work; on refusal flash the reason and give the status to answer."""
    outcome = commit_or_refuse(change, refused=REFUSED)
    if outcome.kept:
        return True, 200
    message = said(outcome.error)
    flash(_("Not saved. %(message)s", message=message[:1].upper() + message[1:]), "error")
    return False, 403 if isinstance(outcome.error, NotAllowed) else 400


# --- HR: departures ----------------------------------------------------------------------------------------


@blueprint.route("/agents/<int:agent_id>/departure", methods=["GET", "POST"])
@roles(*PEOPLE)
def departure(agent_id: int):
    agent = db.session.get(Agent, agent_id) or abort(404)
    status = 200
    if request.method == "POST":
        kept, status = _run(
            lambda: talent.record_departure(
                agent,
                current_user,
                _text("kind"),
                _date("on"),
                reason=_text("reason") or None,
                reason_text=_text("reason_text"),
                voluntary=_yes("voluntary"),
                regretted=_yes("regretted"),
                department=_text("department") or None,
                role=_text("role"),
                field_code=_text("field_code") or None,
                level_reached=_int("level_reached", 0),
            )
        )
        if kept:
            flash(_("%(name)s's departure is recorded.", name=agent.name), "success")
            return redirect(url_for(".profile", agent_id=agent.id))
    return render_template(
        "careers/departure.html", agent=agent, today=_today(), **talent.departure_choices()
    ), status


# --- HR: vacancies -----------------------------------------------------------------------------------------


@blueprint.route("/vacancies", methods=["GET", "POST"])
@roles(*PEOPLE)
def vacancies():
    status = 200
    if request.method == "POST":
        kept, status = _run(
            lambda: talent.post_vacancy(
                current_user,
                _text("title"),
                _text("department"),
                _text("field_code"),
                _int("level"),
                _text("description"),
                _date("closes_on", required=False),
                _today(),
            )
        )
        if kept:
            flash(_("Vacancy posted."), "success")
            return redirect(url_for(".vacancies"))
    cat = load_catalogue()
    today = _today()
    return render_template(
        "careers/vacancies.html",
        vacancies=talent.open_vacancies(today),
        departments=DEPARTMENTS,
        fields=[(c, f.name) for c, f in cat.fields.items()],
        cat=cat,
        placements=talent.placements_by_year(today),
    ), status


@blueprint.route("/vacancies/<int:vacancy_id>", methods=["GET", "POST"])
@roles(*PEOPLE)
def vacancy(vacancy_id: int):
    row = db.session.get(Vacancy, vacancy_id) or abort(404)
    status = 200
    if request.method == "POST":
        kept, status = _run(
            lambda: talent.change_vacancy(
                row,
                _text("title"),
                _text("description"),
                _date("closes_on", required=False),
                _text("is_open") == "yes",
                _today(),
            )
        )
        if kept:
            flash(_("Vacancy saved.") if row.is_open else _("Vacancy closed."), "success")
            return redirect(url_for(".vacancy", vacancy_id=vacancy_id))
        row = db.session.get(Vacancy, vacancy_id) or abort(404)
    cat = load_catalogue()
    return render_template(
        "careers/vacancy.html",
        vacancy=row,
        rung=cat.level(row.field_code, row.level),
        field=cat.fields[row.field_code],
        department=DEPARTMENTS[row.department],
        found=talent.vacancy_candidates(row, _today()),
        next_states=APPLICATION.next_states,
    ), status


@blueprint.route("/applications/<int:application_id>", methods=["POST"])
@roles(*EVERY_ROLE)
def application_step(application_id: int):
    """One step of an application: HR shortlists, offers or turns down; the applicant (only for their own
    application) accepts, declines or withdraws. The engine checks who may."""
    row = db.session.get(Application, application_id)
    if row is None or (not current_user.has_role(*PEOPLE) and row.agent_id != current_user.agent_id):
        abort(404)
    kept, status = _run(lambda: talent.step_application(row, current_user, _text("to"), _text("note")))
    if not kept:
        return redirect(_back(row), 303) if status == 400 else abort(403)
    flash(_("Application updated."), "success")
    return redirect(_back(row))


def _back(row: Application) -> str:
    if current_user.agent_id == row.agent_id:
        return url_for(".my_vacancies")
    return url_for(".vacancy", vacancy_id=row.vacancy_id)


# --- an agent's own -----------------------------------------------------------------------------------------


@blueprint.route("/me/vacancies")
@roles(*AGENTS)
def my_vacancies():
    me = signed_in_agent()
    return render_template(
        "careers/my_vacancies.html",
        reachable=talent.reachable_by(me, _today()),
        applications=talent.applications_of(me),
        applied={a.vacancy_id for a in talent.applications_of(me)},
        departments=DEPARTMENTS,
        cat=load_catalogue(),
        next_states=APPLICATION.next_states,
    )


@blueprint.route("/me/vacancies/<int:vacancy_id>/apply", methods=["POST"])
@roles(*AGENTS)
def my_apply(vacancy_id: int):
    me = signed_in_agent()
    row = db.session.get(Vacancy, vacancy_id) or abort(404)
    kept, _status = _run(lambda: talent.apply(row, me, current_user, _text("note"), _today()))
    if kept:
        flash(_("Application sent; HR will get back to you."), "success")
    return redirect(url_for(".my_vacancies"))


@blueprint.route("/risk")
@roles(*PEOPLE)
def attrition_risk():
    """HR only: who may be about to leave, and why, in the words HR would use with the agent."""
    from training.risk_backtest import MIN_LEAVERS, MIN_STAYERS
    from wfm.careers.risk import risk_list
    from wfm.careers.risk_backtest import backtest

    return render_template(
        "careers/risk.html",
        rows=risk_list(_today()),
        backtest=backtest(_today()),
        min_leavers=MIN_LEAVERS,
        min_stayers=MIN_STAYERS,
    )
