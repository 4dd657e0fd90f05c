"""The token's own user, and an agent's published schedule (never the working draft)."""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from wfm.access import AGENTS, roles, signed_in
from wfm.api.auth import API_PREFIX
from wfm.api.common import DateRangeArgs, LocalDateTime
from wfm.selfservice.published import shifts_of

blp = Blueprint("api_me", __name__, url_prefix=API_PREFIX, description="The caller: their user and schedule.")


class MeSchema(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    email = fields.String(allow_none=True)
    roles = fields.List(fields.String(), required=True)
    agent_id = fields.Integer(allow_none=True, metadata={"description": "the caller's agent record, if any"})


class BreakSchema(Schema):
    name = fields.String(required=True)
    start = LocalDateTime(required=True)
    end = LocalDateTime(required=True)


class ShiftSchema(Schema):
    day = fields.Date(required=True)
    shift = fields.String(required=True)
    template = fields.String(required=True)
    start = LocalDateTime(required=True)
    end = LocalDateTime(required=True)
    roster_id = fields.Integer(required=True)
    version = fields.Integer(required=True, metadata={"description": "the published version it comes from"})
    breaks = fields.List(fields.Nested(BreakSchema), required=True)


class ScheduleSchema(Schema):
    agent_id = fields.Integer(required=True)
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    shifts = fields.List(fields.Nested(ShiftSchema), required=True)


class ScheduleArgs(DateRangeArgs):
    max_days = 62


@blp.route("/me", methods=["GET"])
@blp.response(200, MeSchema)
@signed_in
def me():
    """The user the token belongs to."""
    user = current_user
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "roles": sorted(r.value for r in user.roles),
        "agent_id": user.agent_id,
    }


@blp.route("/me/schedule", methods=["GET"])
@blp.arguments(ScheduleArgs, location="query")
@blp.response(200, ScheduleSchema)
@roles(*AGENTS)
def my_schedule(args):
    """The caller's published shifts from `start` to `end` (inclusive, at most 62 days)."""
    agent = current_user.agent
    if agent is None:
        abort(404, description=_("this user is not linked to an agent record"))
    shifts = shifts_of(agent.id, agent.site_id, args["start"], args["end"])
    return {
        "agent_id": agent.id,
        "start": args["start"],
        "end": args["end"],
        "shifts": [
            {
                "day": s.day,
                "shift": s.shift,
                "template": s.template,
                "start": s.start,
                "end": s.end,
                "roster_id": s.roster_id,
                "version": s.version,
                "breaks": [{"name": n, "start": b, "end": e} for n, b, e in s.breaks],
            }
            for s in shifts
        ],
    }
