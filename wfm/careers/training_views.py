"""Training pages: sessions, enrolment, attendance and scores, and placing training where demand is low."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from sqlalchemy import select

from wfm.access import roles
from wfm.admin.operations import FieldError
from wfm.careers import forms, operations, pages
from wfm.careers.store import load_catalogue
from wfm.careers.views import REFUSED, STAFF, _refuse, blueprint
from wfm.extensions import db
from wfm.models import Agent, Role, Site
from wfm.models.careers import TrainingSession


@blueprint.route("/sessions", methods=["GET", "POST"])
@roles(*STAFF)
def sessions():
    cat = load_catalogue()
    if request.method == "POST":
        back = url_for(".sessions")
        try:
            course = forms.text(request.form, "course")
            if course not in cat.courses:
                raise FieldError("course", f"unknown course {course!r}")
            start, end = forms.minute(request.form, "start"), forms.minute(request.form, "end")
            if end <= start:
                raise FieldError("end", "the session must end after it starts")
            site = db.session.scalar(select(Site).order_by(Site.id))
            session = TrainingSession(course=course, site_id=site.id if site else None,
                                      day=forms.date(request.form, "day"), start_minute=start, end_minute=end,
                                      capacity=int(forms.number(request.form, "capacity", 1, 500, integer=True)),
                                      trainer=forms.text(request.form, "trainer", False, 120),
                                      location=forms.text(request.form, "location", False, 120) or "online")
        except REFUSED as error:
            return _refuse(error, back)
        db.session.add(session)
        db.session.commit()
        return redirect(url_for(".session", session_id=session.id))
    rows = db.session.scalars(select(TrainingSession).order_by(TrainingSession.day.desc())).all()
    return render_template("careers/sessions.html", sessions=[pages.session_row(s, cat) for s in rows],
                           courses=[(c.code, c.name, c.hours) for c in cat.courses.values()])


@blueprint.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@roles(*STAFF)
def session(session_id: int):
    row = db.get_or_404(TrainingSession, session_id)
    back = url_for(".session", session_id=row.id)
    if request.method == "POST":
        try:
            if request.form.get("action") == "enrol":
                agent = db.session.get(Agent, int(forms.number(request.form, "agent_id", 1, 10**9, integer=True)))
                if agent is None:
                    raise FieldError("agent_id", "no such agent")
                operations.enrol(row, agent)
            else:
                cat = load_catalogue()
                for enrolment in row.enrolments:
                    attended = request.form.get(f"attended_{enrolment.id}") == "on"
                    score = forms.number(request.form, f"score_{enrolment.id}", 0, 100, required=False)
                    operations.record_result(enrolment, attended, score if attended else None, cat)
                row.closed = True
        except REFUSED as error:
            return _refuse(error, back)
        db.session.commit()
        return redirect(back)
    cat = load_catalogue()
    enrolled = {e.agent_id for e in row.enrolments}
    candidates = [(a.id, a.name) for a in db.session.scalars(select(Agent).where(Agent.leaving_date.is_(None))
                                                             .order_by(Agent.name)) if a.id not in enrolled]
    return render_template("careers/session.html", s=pages.session_row(row, cat), candidates=candidates,
                           enrolments=[{"id": e.id, "agent_id": e.agent_id, "name": e.agent.name,
                                        "attended": e.attended, "score": e.score} for e in row.enrolments],
                           pass_score=cat.courses[row.course].pass_score)


@blueprint.route("/place")
@roles(Role.HR, Role.ADMIN, Role.SCHEDULER)
def place():
    from wfm.careers.placement import placement_options

    cat = load_catalogue()
    sites = db.session.scalars(select(Site).where(Site.active).order_by(Site.name)).all()
    site_id = request.args.get("site", type=int) or (sites[0].id if sites else None)
    course = request.args.get("course") or ""
    week = request.args.get("week") or ""
    result = None
    if course and week:
        try:
            result = placement_options(course, forms.date(request.args, "week"),
                                       int(forms.number(request.args, "attendees", 1, 100, integer=True) or 1),
                                       cat, site_id=site_id)
        except REFUSED as error:
            return _refuse(error, url_for(".place"))
    return render_template("careers/place.html", courses=[(c.code, c.name, c.hours) for c in cat.courses.values()],
                           result=result, args=request.args, sites=[(s.id, s.name) for s in sites], site_id=site_id)
