"""Sites, queues, skills and agents with their skills. Admins manage the organisation (HR also agents and
their skills, as on the pages); planners read it; an agent reads only their own agent record."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from wfm.access import ADMINS, BACK_OFFICE, EVERY_ROLE, PEOPLE, roles
from wfm.admin import operations as ops
from wfm.admin.forms import country_choices, parse_hours, time_zone_choices
from wfm.api.auth import API_PREFIX
from wfm.api.common import (
    PageArgs,
    Text,
    committed,
    get_or_404,
    identifier,
    page_of,
    paginate,
    record_word,
    refuse,
)
from wfm.extensions import db
from wfm.models import WEEKDAYS, Agent, AgentStatus, Channel, Queue, Site, Skill, Team

blp = Blueprint(
    "api_organisation",
    __name__,
    url_prefix=API_PREFIX,
    description="Sites, queues, skills, agents and agents' skills.",
)


def _exists(model, record_id: int, field: str) -> None:
    if db.session.get(model, record_id) is None:
        refuse(field, _("no %(what)s with id %(id)s", what=record_word(model.__name__.lower()), id=record_id))


# Sites ---------------------------------------------------------------------------------------------


class OpeningHoursSchema(Schema):
    weekday = fields.Integer(required=True, metadata={"description": "0 = Monday"})
    opens_minute = fields.Integer(required=True)
    closes_minute = fields.Integer(required=True)


class SiteSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True)
    time_zone = fields.String(required=True)
    country = fields.String(required=True)
    active = fields.Boolean(dump_only=True)
    max_agents_at_once = fields.Integer(allow_none=True)
    max_starts_per_interval = fields.Integer(allow_none=True)
    opening_hours = fields.List(fields.Nested(OpeningHoursSchema), dump_only=True)


class SiteInput(Schema):
    name = Text(required=True, min_length=1, max_length=120)
    time_zone = Text(required=True, max_length=64, metadata={"example": "Europe/Zurich"})
    country = Text(required=True, max_length=8, metadata={"example": "CH"})
    opening_hours = fields.Dict(
        keys=fields.String(validate=validate.OneOf([d.lower() for d in WEEKDAYS])),
        values=Text(max_length=20),
        load_default=dict,
        metadata={
            "description": "weekday name -> 'HH:MM-HH:MM' (absent: closed)",
            "example": {"monday": "08:00-18:00"},
        },
    )
    max_agents_at_once = fields.Integer(
        allow_none=True, load_default=None, validate=validate.Range(1, 100_000)
    )
    max_starts_per_interval = fields.Integer(
        allow_none=True, load_default=None, validate=validate.Range(1, 100_000)
    )

    @validates_schema
    def _check(self, data, **_kwargs):
        if data.get("time_zone") and data["time_zone"] not in {z for z, _ in time_zone_choices()}:
            raise ValidationError("not a time zone (e.g. Europe/Zurich)", "time_zone")
        if data.get("country") and data["country"] not in {c for c, _ in country_choices()}:
            raise ValidationError(
                "not a country whose public holidays are known (ISO code, e.g. CH)", "country"
            )
        for day, text in (data.get("opening_hours") or {}).items():
            try:
                parse_hours(text)
            except ValueError as problem:
                raise ValidationError({day: [str(problem)]}, "opening_hours") from problem


class SiteArgs(PageArgs):
    active = fields.Boolean()


@blp.route("/sites", methods=["GET"])
@blp.arguments(SiteArgs, location="query")
@blp.response(200, page_of(SiteSchema))
@roles(*BACK_OFFICE)
def list_sites(args):
    """Sites by name (`?active=`)."""
    query = select(Site).order_by(Site.name, Site.id)
    if "active" in args:
        query = query.where(Site.active == args["active"])
    return paginate(query, args)


@blp.route("/sites/<id:site_id>", methods=["GET"])
@blp.response(200, SiteSchema)
@roles(*BACK_OFFICE)
def get_site(site_id: int):
    """One site with its opening hours."""
    return get_or_404(Site, site_id)


@blp.route("/sites", methods=["POST"])
@blp.arguments(SiteInput)
@blp.response(201, SiteSchema)
@roles(*ADMINS)
def create_site(data):
    """Make a site (admins)."""
    hours = {}
    for day, text in data["opening_hours"].items():
        parsed = parse_hours(text)
        if parsed:
            hours[[d.lower() for d in WEEKDAYS].index(day)] = parsed
    return committed(  # a conflict the operation names (a taken name) is a 422 on that field
        lambda: ops.save_site(
            None,
            name=data["name"],
            time_zone=data["time_zone"],
            country=data["country"],
            opening_hours=hours,
            max_agents_at_once=data["max_agents_at_once"],
            max_starts_per_interval=data["max_starts_per_interval"],
        )
    )


# Skills --------------------------------------------------------------------------------------------


class SkillSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    active = fields.Boolean(required=True)


class SkillInput(Schema):
    name = Text(required=True, min_length=1, max_length=120)
    description = Text(load_default="", max_length=500)


@blp.route("/skills", methods=["GET"])
@blp.arguments(SiteArgs, location="query")
@blp.response(200, page_of(SkillSchema))
@roles(*BACK_OFFICE)
def list_skills(args):
    """Skills by name (`?active=`)."""
    query = select(Skill).order_by(Skill.name, Skill.id)
    if "active" in args:
        query = query.where(Skill.active == args["active"])
    return paginate(query, args)


@blp.route("/skills/<id:skill_id>", methods=["GET"])
@blp.response(200, SkillSchema)
@roles(*BACK_OFFICE)
def get_skill(skill_id: int):
    """One skill."""
    return get_or_404(Skill, skill_id)


@blp.route("/skills", methods=["POST"])
@blp.arguments(SkillInput)
@blp.response(201, SkillSchema)
@roles(*ADMINS)
def create_skill(data):
    """Make a skill (admins); a taken name is refused naming `name`."""
    if not data["name"].strip():
        refuse("name", _("give the skill a name"))
    return committed(lambda: ops.save_skill(None, name=data["name"], description=data["description"]))


# Queues --------------------------------------------------------------------------------------------


class QueueSchema(Schema):
    id = fields.Integer(required=True)
    site_id = fields.Integer(required=True)
    name = fields.String(required=True)
    channel = fields.String(required=True, metadata={"enum": [c.value for c in Channel]})
    service_level = fields.Float(allow_none=True)
    answer_seconds = fields.Integer(allow_none=True)
    deadline_hours = fields.Float(allow_none=True)
    concurrency = fields.Integer(required=True)
    skill_id = fields.Integer(required=True)
    min_proficiency = fields.Integer(required=True)
    active = fields.Boolean(required=True)
    staffing_model = fields.String(required=True)
    aht_seconds = fields.Float(required=True)
    shrinkage = fields.Float(required=True)
    target = fields.String(attribute="target_label", required=True)


class QueueInput(Schema):
    site_id = identifier(required=True)
    name = Text(required=True, min_length=1, max_length=120)
    channel = fields.String(required=True, validate=validate.OneOf([c.value for c in Channel]))
    service_level = fields.Float(
        allow_none=True,
        load_default=None,
        validate=validate.Range(0.01, 1.0),
        metadata={"description": "share answered in time, 0.01 to 1 (live channels)"},
    )
    answer_seconds = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(1, 3600))
    deadline_hours = fields.Float(
        allow_none=True,
        load_default=None,
        validate=validate.Range(0.25, 24 * 31),
        metadata={"description": "completion deadline (e-mail, back office)"},
    )
    concurrency = fields.Integer(load_default=1, validate=validate.Range(1, 10))
    skill_id = identifier(required=True)
    min_proficiency = fields.Integer(load_default=1, validate=validate.Range(1, 5))

    @validates_schema
    def _targets(self, data, **_kwargs):
        """The page's rule: which target a queue needs depends on its channel."""
        if "channel" not in data:
            return
        deferred = Channel(data["channel"]).is_deferred
        if not deferred and data.get("service_level") is None:
            raise ValidationError("live channels need a service level target", "service_level")
        if not deferred and data.get("answer_seconds") is None:
            raise ValidationError(
                "live channels need the seconds within which contacts are answered", "answer_seconds"
            )
        if deferred and data.get("deadline_hours") is None:
            raise ValidationError("e-mail and back-office work need a completion deadline", "deadline_hours")
        if data.get("concurrency", 1) > 1 and data["channel"] not in (
            Channel.CHAT.value,
            Channel.EMAIL.value,
        ):
            raise ValidationError(
                "only chat and e-mail agents handle several contacts at once", "concurrency"
            )


class QueueArgs(PageArgs):
    site_id = identifier()
    active = fields.Boolean()


@blp.route("/queues", methods=["GET"])
@blp.arguments(QueueArgs, location="query")
@blp.response(200, page_of(QueueSchema))
@roles(*BACK_OFFICE)
def list_queues(args):
    """Queues by site and name (`?site_id=`, `?active=`)."""
    query = select(Queue).order_by(Queue.site_id, Queue.name, Queue.id)
    if "site_id" in args:
        query = query.where(Queue.site_id == args["site_id"])
    if "active" in args:
        query = query.where(Queue.active == args["active"])
    return paginate(query, args)


@blp.route("/queues/<id:queue_id>", methods=["GET"])
@blp.response(200, QueueSchema)
@roles(*BACK_OFFICE)
def get_queue(queue_id: int):
    """One queue with its targets."""
    return get_or_404(Queue, queue_id)


@blp.route("/queues", methods=["POST"])
@blp.arguments(QueueInput)
@blp.response(201, QueueSchema)
@roles(*ADMINS)
def create_queue(data):
    """Make a queue (admins); live channels need a service level, deferred ones a deadline."""
    _exists(Site, data["site_id"], "site_id")
    _exists(Skill, data["skill_id"], "skill_id")
    return committed(lambda: ops.save_queue(None, **data))


# Agents --------------------------------------------------------------------------------------------


class AgentSchema(Schema):
    id = fields.Integer(required=True)
    employee_number = fields.String(required=True)
    name = fields.String(required=True)
    site_id = fields.Integer(required=True)
    team_id = fields.Integer(allow_none=True)
    team = fields.String(allow_none=True)
    hire_date = fields.Date(required=True)
    contracted_hours = fields.Float(required=True)
    status = fields.String(required=True, metadata={"enum": [s.value for s in AgentStatus]})
    leaving_date = fields.Date(allow_none=True)


def agent_row(agent: Agent) -> dict:
    return {
        "id": agent.id,
        "employee_number": agent.employee_number,
        "name": agent.name,
        "site_id": agent.site_id,
        "team_id": agent.team_id,
        "team": agent.team.name if agent.team else None,
        "hire_date": agent.hire_date,
        "contracted_hours": agent.contracted_hours,
        "status": agent.status.value,
        "leaving_date": agent.leaving_date,
    }


class AgentInput(Schema):
    employee_number = Text(required=True, min_length=1, max_length=32)
    name = Text(required=True, min_length=1, max_length=120)
    site_id = identifier(required=True)
    team_id = identifier(allow_none=True, load_default=None)
    hire_date = fields.Date(required=True)
    contracted_hours = fields.Float(required=True, validate=validate.Range(1, 60))
    status = fields.String(
        load_default=AgentStatus.ACTIVE.value,
        validate=validate.OneOf([AgentStatus.ACTIVE.value, AgentStatus.ON_LEAVE.value]),
    )


class AgentArgs(PageArgs):
    site_id = identifier()
    team_id = identifier()
    status = fields.String(validate=validate.OneOf([s.value for s in AgentStatus]))


def visible_agent(agent_id: int) -> Agent:
    """The agent, if the caller may see it: an agent sees only themselves (others are not found)."""
    if not current_user.has_role(*BACK_OFFICE) and current_user.agent_id != agent_id:
        refuse_not_found(agent_id)
    return get_or_404(Agent, agent_id)


def refuse_not_found(agent_id: int):
    from flask_smorest import abort

    abort(404, message=_("no agent with id %(id)s", id=agent_id))


@blp.route("/agents", methods=["GET"])
@blp.arguments(AgentArgs, location="query")
@blp.response(200, page_of(AgentSchema))
@roles(*EVERY_ROLE)
def list_agents(args):
    """Agents by employee number; an agent caller gets only their own record."""
    query = select(Agent).order_by(Agent.employee_number, Agent.id)
    if not current_user.has_role(*BACK_OFFICE):
        query = query.where(Agent.id == (current_user.agent_id or 0))
    for name in ("site_id", "team_id"):
        if name in args:
            query = query.where(getattr(Agent, name) == args[name])
    if "status" in args:
        query = query.where(Agent.status == AgentStatus(args["status"]))
    page = paginate(query, args)
    page["items"] = [agent_row(a) for a in page["items"]]
    return page


@blp.route("/agents/<id:agent_id>", methods=["GET"])
@blp.response(200, AgentSchema)
@roles(*EVERY_ROLE)
def get_agent(agent_id: int):
    """One agent; an agent caller may read only their own record."""
    return agent_row(visible_agent(agent_id))


@blp.route("/agents", methods=["POST"])
@blp.arguments(AgentInput)
@blp.response(201, AgentSchema)
@roles(*PEOPLE)
def create_agent(data):
    """Make an agent (admins and HR)."""
    _exists(Site, data["site_id"], "site_id")
    if data["team_id"] is not None:
        _exists(Team, data["team_id"], "team_id")
    return agent_row(committed(lambda: ops.save_agent(None, **data)))


class AgentSkillSchema(Schema):
    id = fields.Integer(required=True)
    skill_id = fields.Integer(required=True)
    skill = fields.String(required=True)
    proficiency = fields.Integer(required=True)
    effective_from = fields.Date(required=True)
    effective_to = fields.Date(allow_none=True, metadata={"description": "last day in force; null: open"})


class AgentSkillList(Schema):
    agent_id = fields.Integer(required=True)
    skills = fields.List(fields.Nested(AgentSkillSchema), required=True)


class AgentSkillInput(Schema):
    skill_id = identifier(required=True)
    proficiency = fields.Integer(
        required=True, validate=validate.Range(0, 5), metadata={"description": "1 to 5; 0 ends the skill"}
    )
    effective_from = fields.Date(required=True)


def _skills_of(agent: Agent) -> dict:
    rows = sorted(agent.skills, key=lambda s: (s.skill.name, s.effective_from))
    return {
        "agent_id": agent.id,
        "skills": [
            {
                "id": s.id,
                "skill_id": s.skill_id,
                "skill": s.skill.name,
                "proficiency": s.proficiency,
                "effective_from": s.effective_from,
                "effective_to": s.effective_to,
            }
            for s in rows
        ],
    }


@blp.route("/agents/<id:agent_id>/skills", methods=["GET"])
@blp.response(200, AgentSkillList)
@roles(*EVERY_ROLE)
def agent_skills(agent_id: int):
    """The agent's skill history (rows are closed, never overwritten)."""
    return _skills_of(visible_agent(agent_id))


@blp.route("/agents/<id:agent_id>/skills", methods=["POST"])
@blp.arguments(AgentSkillInput)
@blp.response(201, AgentSkillList)
@roles(*PEOPLE)
def set_agent_skill(data, agent_id: int):
    """Change a proficiency from a day on; the row in force ends the day before."""
    agent = get_or_404(Agent, agent_id)
    _exists(Skill, data["skill_id"], "skill_id")
    committed(lambda: ops.set_agent_skill(agent, **data))
    return _skills_of(agent)
