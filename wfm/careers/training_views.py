"""Training pages: sessions, enrolment, attendance and scores, and placing training where demand is low.

A refused form comes back on its own page with the message next to the field and what was typed kept."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from wfm.access import BACK_OFFICE, PEOPLE, roles
from wfm.careers import forms, operations, pages
from wfm.careers.blueprint import REFUSED, blueprint, refusal, saved, shown, with_form
from wfm.careers.store import load_catalogue
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.formatting import num
from wfm.models import Agent, Site
from wfm.models.careers import TrainingSession
from wfm.rosters import telling


def _sites() -> list[Site]:
    return db.session.scalars(select(Site).where(Site.active).order_by(Site.name)).all()


def _sessions_page(errors: dict | None = None, status: int = 200):
    cat = load_catalogue()
    rows = db.session.scalars(select(TrainingSession).order_by(TrainingSession.day.desc())).all()
    sites = _sites()
    asked = request.args  # "Schedule it" on the placement page fills the new session in
    drawn = shown(
        errors,
        **{
            "new-session": forms.SessionForm(
                formdata=None,
                data={
                    "site": asked.get("site", ""),
                    "course": asked.get("course", ""),
                    "day": asked.get("day", ""),
                    "start": asked.get("start", "09:00"),
                    "end": asked.get("end", "13:00"),
                    "capacity": 10,
                },
            )
        },
    )["new-session"]
    drawn.site.choices = [(str(s.id), s.name) for s in sites]
    drawn.course.choices = [(c.code, f"{c.code} {c.name} ({num(c.hours)} h)") for c in cat.courses.values()]
    return render_template(
        "careers/sessions.html",
        sessions=[pages.session_row(s, cat) for s in rows],
        sites=[(s.id, s.name, [(h.weekday, h.label) for h in s.opening_hours]) for s in sites],
        form=drawn,
        errors=errors,
    ), status


@blueprint.route("/sessions", methods=["GET", "POST"])
@roles(*PEOPLE)
def sessions():
    if request.method == "POST":
        made = []

        def create(f):
            site_id = request.form.get("site", type=int)
            site = db.session.get(Site, site_id) if site_id else (_sites() or [None])[0]
            if site_id and site is None:
                raise FieldError("site", _("Choose one of the sites."))
            made.append(
                operations.create_session(
                    course=f.course.value,
                    site=site,
                    day=f.day.value,
                    start=f.start.value,
                    end=f.end.value,
                    capacity=f.capacity.value,
                    trainer=f.trainer.value,
                    location=f.location.value,
                ).id
            )

        refused = saved(forms.SessionForm(), create, "new-session")
        if refused:
            return _sessions_page(*refused)
        return redirect(url_for(".session", session_id=made[0]))
    return _sessions_page()


def _session_page(session_id: int, errors: dict | None = None, status: int = 200):
    row = db.get_or_404(TrainingSession, session_id)
    cat = load_catalogue()
    enrolled = {e.agent_id for e in row.enrolments}
    candidates = [
        (a.id, a.name)
        for a in db.session.scalars(select(Agent).where(Agent.leaving_date.is_(None)).order_by(Agent.name))
        if a.id not in enrolled
    ]
    started = {}
    for e in row.enrolments:
        started[f"attended_{e.id}"] = "on" if e.attended else ""
        started[f"score_{e.id}"] = e.score
    drawn = shown(
        errors,
        enrol=forms.EnrolForm(formdata=None),
        results=forms.results_form([e.id for e in row.enrolments], formdata=None, data=started),
    )
    drawn["enrol"].agent_id.choices = [(str(number), name) for number, name in candidates]
    return render_template(
        "careers/session.html",
        training_session=pages.session_row(row, cat),
        forms=drawn,
        enrolments=[{"id": e.id, "agent_id": e.agent_id, "name": e.agent.name} for e in row.enrolments],
        pass_score=cat.courses[row.course].pass_score,
        ended=operations.session_ended(row),
        errors=errors,
    ), status


@blueprint.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@roles(*PEOPLE)
def session(session_id: int):
    row = db.get_or_404(TrainingSession, session_id)
    if request.method == "POST":
        action = "enrol" if request.form.get("action") == "enrol" else "results"

        def enrol(f):
            agent = db.session.get(Agent, f.agent_id.value)
            if agent is None:
                raise FieldError("agent_id", _("Choose one of the agents."))
            operations.enrol(row, agent)
            course = load_catalogue().courses.get(row.course)
            telling.tell_booked(agent, row, course.name if course else "a course")

        def record(f):
            cat = load_catalogue()
            for enrolment in row.enrolments:
                attended = f[f"attended_{enrolment.id}"].data == "on"
                score = f[f"score_{enrolment.id}"].value
                operations.record_result(enrolment, attended, score if attended else None, cat)
            row.closed = True

        if action == "enrol":
            refused = saved(forms.EnrolForm(), enrol, action)
        else:
            refused = saved(forms.results_form([e.id for e in row.enrolments]), record, action)
        if refused:
            return _session_page(session_id, *refused)
        return redirect(url_for(".session", session_id=row.id))
    return _session_page(session_id)


@blueprint.route("/place")
@roles(*BACK_OFFICE)
def place():
    from wfm.careers.placement import placement_options

    cat = load_catalogue()
    sites = _sites()
    site_id = request.args.get("site", type=int) or (sites[0].id if sites else None)
    asked = forms.PlaceForm(
        request.args, data={"site": str(site_id) if site_id else "", "attendees": 6}
    )  # the question as asked, or the page's starting values
    asked.site.choices = [(str(s.id), s.name) for s in sites]
    asked.course.choices = [(c.code, f"{c.code} {c.name} ({num(c.hours)} h)") for c in cat.courses.values()]
    result, errors, status = None, None, 200
    if request.args.get("course") and request.args.get("week"):
        try:
            if not asked.validate():
                raise forms.first_refusal(asked)
            result = placement_options(
                asked.course.value, asked.week.value, asked.attendees.value, cat, site_id=site_id
            )
        except REFUSED as error:
            errors, status = with_form(refusal(error, "place"), asked)
    return render_template(
        "careers/place.html",
        result=result,
        form=asked,
        site_id=site_id,
        errors=errors,
    ), status
