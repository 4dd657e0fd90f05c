"""Agent KPIs through the API: the same rows as the CSV import (one agent's day: handle time, first-contact
resolution, customer satisfaction), read by the same parser, for planners' and HR's tokens.

A batch is all or nothing: the first bad row refuses it (422) with `errors.kpis`: `{row, field, message}`.
A day sent again for the same agent replaces the stored one, so re-sending a batch changes nothing.

`GET /kpis` reads them back a page at a time, latest day first, with the agent's adherence that day from
the intraday records where there are any: planners and HR read every agent's (filtered by agent and days),
an agent only their own (another agent's id is not found).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from training.kpis import KpiError, read_rows
from wfm.access import BACK_OFFICE, EVERY_ROLE, roles
from wfm.api.auth import API_PREFIX
from wfm.api.common import PageArgs, identifier, page_of, paginate, refuse
from wfm.api.organisation import visible_agent
from wfm.careers.kpis import store_days
from wfm.extensions import db
from wfm.models import Agent
from wfm.models.intraday import AdherenceDay
from wfm.models.talent import AgentKpi
from wfm.unit_of_work import commit_or_refuse

blp = Blueprint(
    "api_kpis",
    __name__,
    url_prefix=API_PREFIX,
    description="Agents' daily KPIs (handle time, first-contact resolution, customer satisfaction).",
)
MAX_ROWS = 50_000


class KpiRow(Schema):
    """Checked by the import's parser, not here, so a file and a batch are refused in the same words."""

    employee_number = fields.Raw(load_default=None, metadata={"description": "the agent's employee number"})
    day = fields.Raw(load_default=None, metadata={"example": "2026-03-31"})
    handle_seconds = fields.Raw(load_default=None, metadata={"description": "average, 1 to 7200 seconds"})
    fcr = fields.Raw(load_default=None, metadata={"description": "first-contact resolution, 0 to 100 %"})
    csat = fields.Raw(load_default=None, metadata={"description": "customer satisfaction, 0 to 100 %"})


class KpisInput(Schema):
    kpis = fields.List(fields.Nested(KpiRow), required=True, validate=validate.Length(1, MAX_ROWS))


class StoredSchema(Schema):
    new = fields.Integer(required=True)
    replaced = fields.Integer(
        required=True, metadata={"description": "agent days that replaced earlier ones"}
    )


@blp.route("/kpis", methods=["POST"])
@blp.arguments(KpisInput)
@blp.response(200, StoredSchema)
@roles(*BACK_OFFICE)
def post_kpis(data):
    """Record agents' KPI days, all or nothing; a day sent again for an agent replaces the earlier one."""

    def change():
        return store_days(read_rows(data["kpis"]))

    outcome = commit_or_refuse(change, refused=(KpiError,))
    if not outcome.kept:
        error = outcome.error
        problem = {"row": error.row, "field": error.field, "message": error.message}
        abort(
            422,
            message=_("Nothing was recorded. %(reason)s", reason=error.message),
            errors={"kpis": [problem]},
        )
    return {"new": outcome.value.new, "replaced": outcome.value.replaced}


class KpiArgs(PageArgs):
    agent_id = identifier(metadata={"description": "one agent's days (an agent may name only themselves)"})
    start = fields.Date(metadata={"description": "days on or after this one"})
    end = fields.Date(metadata={"description": "days on or before this one"})


class KpiDaySchema(Schema):
    agent_id = fields.Integer(required=True)
    employee_number = fields.String(required=True)
    day = fields.Date(required=True)
    handle_seconds = fields.Float(required=True, metadata={"description": "average handle time, seconds"})
    fcr = fields.Float(required=True, metadata={"description": "first-contact resolution, %"})
    csat = fields.Float(required=True, metadata={"description": "customer satisfaction, %"})
    adherence = fields.Float(
        required=True,
        allow_none=True,
        metadata={
            "description": "% of the scheduled minutes in adherence that day; null: no intraday record"
        },
    )


@blp.route("/kpis", methods=["GET"])
@blp.arguments(KpiArgs, location="query")
@blp.response(200, page_of(KpiDaySchema))
@roles(*EVERY_ROLE)
def list_kpis(args):
    """Agents' KPI days, latest first; an agent caller gets only their own."""
    if "start" in args and "end" in args and args["start"] > args["end"]:
        refuse("end", _("the last day must not be before the first (start)"), location="query")
    query = select(AgentKpi).order_by(AgentKpi.day.desc(), AgentKpi.agent_id, AgentKpi.id)
    if "agent_id" in args:
        visible_agent(args["agent_id"])
        query = query.where(AgentKpi.agent_id == args["agent_id"])
    if not current_user.has_role(*BACK_OFFICE):
        query = query.where(AgentKpi.agent_id == (current_user.agent_id or 0))
    if "start" in args:
        query = query.where(AgentKpi.day >= args["start"])
    if "end" in args:
        query = query.where(AgentKpi.day <= args["end"])
    page = paginate(query, args)
    page["items"] = _rows(page["items"])
    return page


def _rows(kpis: list[AgentKpi]) -> list[dict]:
    ids = {k.agent_id for k in kpis}
    days = {k.day for k in kpis}
    numbers = dict(db.session.execute(select(Agent.id, Agent.employee_number).where(Agent.id.in_(ids))).all())
    adherence = {
        (a.agent_id, a.day): 100 * a.adherent_minutes / a.scheduled_minutes
        for a in db.session.scalars(
            select(AdherenceDay).where(
                AdherenceDay.agent_id.in_(ids), AdherenceDay.day.in_(days), AdherenceDay.scheduled_minutes > 0
            )
        )
    }
    return [
        {
            "agent_id": k.agent_id,
            "employee_number": numbers[k.agent_id],
            "day": k.day,
            "handle_seconds": k.handle_seconds,
            "fcr": k.fcr,
            "csat": k.csat,
            "adherence": None
            if (k.agent_id, k.day) not in adherence
            else round(adherence[k.agent_id, k.day], 1),
        }
        for k in kpis
    ]
