"""Training and careers: the course catalogue and sessions (HR and admins, as on the pages), and an
agent's career profile with next-rung eligibility (HR and admins for anyone; an agent for themselves)."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields
from sqlalchemy import select

from wfm.access import AGENTS, PEOPLE, roles
from wfm.api.auth import API_PREFIX
from wfm.api.common import PageArgs, get_or_404, page_of, paginate, plain
from wfm.careers import pages
from wfm.careers.store import ChineseNames, chinese_names, load_catalogue, names_in_english
from wfm.models import Agent
from wfm.models.careers import TrainingSession

blp = Blueprint(
    "api_training",
    __name__,
    url_prefix=API_PREFIX,
    description="Courses, training sessions and agents' career ladders.",
)


class CourseSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "the name in English"})
    name_zh = fields.String(
        required=True, metadata={"description": "the name in Chinese (empty: not translated yet)"}
    )
    hours = fields.Float(required=True)
    raises = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": "competency code -> proficiency on passing"},
    )
    pass_score = fields.Float(required=True)
    validity_months = fields.Integer(allow_none=True)
    prerequisites = fields.List(fields.String(), required=True)
    awards = fields.String(allow_none=True)


class CourseList(Schema):
    courses = fields.List(fields.Nested(CourseSchema), required=True)


class SessionSchema(Schema):
    id = fields.Integer(required=True)
    course = fields.String(required=True)
    site_id = fields.Integer(allow_none=True)
    day = fields.Date(required=True)
    start_minute = fields.Integer(required=True)
    end_minute = fields.Integer(required=True)
    capacity = fields.Integer(required=True)
    enrolled = fields.Integer(required=True)
    trainer = fields.String(required=True)
    location = fields.String(required=True)
    closed = fields.Boolean(required=True)


class EnrolmentSchema(Schema):
    id = fields.Integer(required=True)
    agent_id = fields.Integer(required=True)
    attended = fields.Boolean(allow_none=True)
    score = fields.Float(allow_none=True)


class SessionDetail(SessionSchema):
    enrolments = fields.List(fields.Nested(EnrolmentSchema), required=True)


class SessionArgs(PageArgs):
    start = fields.Date(metadata={"description": "sessions on or after this day"})
    end = fields.Date(metadata={"description": "sessions on or before this day"})
    course = fields.String(metadata={"description": "a course code"})


class CareerSchema(Schema):
    agent_id = fields.Integer(required=True)
    name = fields.String(required=True)
    on = fields.Date(required=True)
    fields_ = fields.List(
        fields.Dict(),
        required=True,
        data_key="fields",
        metadata={"description": "per career field: level held, the next rung and its eligibility checks"},
    )
    proficiencies = fields.List(fields.Dict(), required=True)
    courses = fields.List(fields.Dict(), required=True)
    certifications = fields.List(fields.Dict(), required=True)
    sessions = fields.List(
        fields.Dict(), required=True, metadata={"description": "upcoming enrolled sessions"}
    )


def _session_row(s: TrainingSession, with_enrolments: bool = False) -> dict:
    row = {
        "id": s.id,
        "course": s.course,
        "site_id": s.site_id,
        "day": s.day,
        "start_minute": s.start_minute,
        "end_minute": s.end_minute,
        "capacity": s.capacity,
        "enrolled": len(s.enrolments),
        "trainer": s.trainer,
        "location": s.location,
        "closed": s.closed,
    }
    if with_enrolments:
        row["enrolments"] = [
            {"id": e.id, "agent_id": e.agent_id, "attended": e.attended, "score": e.score}
            for e in s.enrolments
        ]
    return row


@blp.route("/training/courses", methods=["GET"])
@blp.response(200, CourseList)
@roles(*PEOPLE)
def list_courses():
    """The course catalogue: names in English (`name`) and Chinese (`name_zh`)."""
    cat = load_catalogue(english=True)
    zh = chinese_names()
    return {
        "courses": [
            {
                "code": c.code,
                "name": c.name,
                "name_zh": zh.courses.get(c.code, ""),
                "hours": c.hours,
                "raises": dict(c.raises),
                "pass_score": c.pass_score,
                "validity_months": c.validity_months,
                "prerequisites": list(c.prerequisites),
                "awards": c.awards,
            }
            for c in cat.courses.values()
        ]
    }


@blp.route("/training/sessions", methods=["GET"])
@blp.arguments(SessionArgs, location="query")
@blp.response(200, page_of(SessionSchema))
@roles(*PEOPLE)
def list_sessions(args):
    """Training sessions, latest day first."""
    query = select(TrainingSession).order_by(TrainingSession.day.desc(), TrainingSession.id.desc())
    if "start" in args:
        query = query.where(TrainingSession.day >= args["start"])
    if "end" in args:
        query = query.where(TrainingSession.day <= args["end"])
    if "course" in args:
        query = query.where(TrainingSession.course == args["course"].replace("\x00", ""))
    page = paginate(query, args)
    page["items"] = [_session_row(s) for s in page["items"]]
    return page


@blp.route("/training/sessions/<id:session_id>", methods=["GET"])
@blp.response(200, SessionDetail)
@roles(*PEOPLE)
def get_session(session_id: int):
    """One session with its enrolments."""
    return _session_row(get_or_404(TrainingSession, session_id, "training session"), with_enrolments=True)


@blp.route("/agents/<id:agent_id>/career", methods=["GET"])
@blp.response(200, CareerSchema)
@roles(*PEOPLE, *AGENTS)
def agent_career(agent_id: int):
    """Career fields with the level held and the next rung's eligibility, courses, certifications and
    upcoming sessions; catalogue names in English (`name`, `title`) and Chinese beside them (`name_zh`,
    `title_zh`: empty where not translated). An agent sees only their own."""
    if not current_user.has_role(*PEOPLE) and current_user.agent_id != agent_id:
        abort(404, message=_("no agent with id %(id)s", id=agent_id))
    agent = get_or_404(Agent, agent_id)
    today = dt.date.today()
    with names_in_english():
        page = pages.ladder_page(agent, today) if not current_user.has_role(*PEOPLE) else None
        if page is None:
            full = pages.profile_page(agent, today)
            page = {
                "fields": full["fields"],
                "proficiencies": full["proficiencies"],
                "courses": full["courses"],
                "certifications": full["certifications"],
                "sessions": full["sessions"],
            }
    _with_chinese(page, chinese_names())
    return {
        "agent_id": agent.id,
        "name": agent.name,
        "on": today,
        "fields_": plain(page["fields"]),
        "proficiencies": plain(page["proficiencies"]),
        "courses": plain(page["courses"]),
        "certifications": plain(page["certifications"]),
        "sessions": plain(page["sessions"]),
    }


def _with_chinese(page: dict, zh: ChineseNames) -> None:
    """Each catalogue name of the career `page` (English) gets its Chinese beside it."""
    for row in page["fields"]:
        row["name_zh"] = zh.fields.get(row["code"], ("", ""))[0]
        row["title_zh"] = zh.levels.get((row["code"], row["held"]), ("", ""))[0]
        if row["next"]:
            row["next"]["title_zh"] = zh.levels.get((row["code"], row["next"]["number"]), ("", ""))[0]
    for row in page["proficiencies"]:
        row["name_zh"] = zh.competencies.get(row["code"], ("", ""))[0]
    for row in page["courses"]:
        row["name_zh"] = zh.courses.get(row["code"], "")
    for row in page["certifications"]:
        row["name_zh"] = zh.certifications.get(row["code"], "")
    for row in page["sessions"]:
        row["name_zh"] = zh.courses.get(row["course"], "")
