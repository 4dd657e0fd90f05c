"""Actuals of the day through the API: interval figures per queue and agent-state events.

Both are idempotent: an interval sent again replaces the stored one (late or corrected data), an event
id sent again is counted as a repeat and ignored. A batch with a bad row is refused whole (422) with
`errors.<intervals|events>`: one `{row, field, message}` per problem.
"""

from __future__ import annotations

import datetime as dt

from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from wfm.access import PLANNERS, roles
from wfm.api.auth import API_PREFIX
from wfm.api.common import LocalDateTime, Text, get_or_404, identifier
from wfm.extensions import db
from wfm.i18n import translate
from wfm.intraday.actuals import ActualsRefused, record_events, record_intervals
from wfm.models import Queue, QueueActual, Site
from wfm.unit_of_work import commit_or_refuse

blp = Blueprint(
    "api_actuals",
    __name__,
    url_prefix=API_PREFIX,
    description="What queues and agents did today, as it happens.",
)
MAX_ROWS = 50_000


class ActualRow(Schema):
    interval_start = Text(required=True, max_length=40, metadata={"example": "2026-03-02T08:15"})
    queue = Text(required=True, max_length=120, metadata={"description": "a queue's name or import code"})
    interval_minutes = fields.Integer(load_default=15)
    offered = fields.Raw(required=True, metadata={"description": "whole number, at least 0"})
    answered = fields.Raw(required=True)
    abandoned = fields.Raw(load_default=0)
    answered_within_target = fields.Raw(
        load_default=None, metadata={"description": "answered within the queue's target; default: answered"}
    )
    aht_seconds = fields.Raw(load_default=None, metadata={"description": "mean handle time of answered"})


class EventRow(Schema):
    event_id = Text(
        required=True, max_length=80, metadata={"description": "the sender's id; repeats ignored"}
    )
    agent = Text(required=True, max_length=32, metadata={"description": "the agent's employee number"})
    at = Text(required=True, max_length=40, metadata={"example": "2026-03-02T08:15:30"})
    state = Text(required=True, max_length=30, metadata={"example": "available"})
    queue = Text(load_default=None, allow_none=True, max_length=120, metadata={"description": "on_contact"})


class IntervalsInput(Schema):
    site_id = identifier(load_default=None)
    intervals = fields.List(fields.Nested(ActualRow), required=True, validate=validate.Length(1, MAX_ROWS))


class EventsInput(Schema):
    site_id = identifier(load_default=None)
    events = fields.List(fields.Nested(EventRow), required=True, validate=validate.Length(1, MAX_ROWS))


class RecordedSchema(Schema):
    new = fields.Integer(required=True)
    replaced = fields.Integer(required=True, metadata={"description": "intervals that replaced earlier ones"})
    repeated = fields.Integer(required=True, metadata={"description": "events already recorded, ignored"})


class DayArgs(Schema):
    queue_id = identifier(required=True)
    day = fields.Date(required=True)


class StoredActual(Schema):
    interval_start = LocalDateTime(required=True)
    interval_minutes = fields.Integer(required=True)
    offered = fields.Integer(required=True)
    answered = fields.Integer(required=True)
    abandoned = fields.Integer(required=True)
    answered_within_target = fields.Integer(required=True)
    aht_seconds = fields.Float(allow_none=True)
    times_sent = fields.Integer(required=True)


class DayActuals(Schema):
    queue_id = fields.Integer(required=True)
    day = fields.Date(required=True)
    intervals = fields.List(fields.Nested(StoredActual), required=True)


def _recorded(kind: str, change):
    outcome = commit_or_refuse(change, refused=(ActualsRefused,))
    if not outcome.kept:
        problems = [
            {"row": p.row, "field": p.field, "message": translate(p.message)} for p in outcome.error.problems
        ]
        abort(422, message=translate(outcome.message), errors={kind: problems})
    return outcome.value.as_dict()


def _site(site_id: int | None) -> int | None:
    return None if site_id is None else get_or_404(Site, site_id).id


@blp.route("/actuals/intervals", methods=["POST"])
@blp.arguments(IntervalsInput)
@blp.response(200, RecordedSchema)
@roles(*PLANNERS)
def post_intervals(data):
    """Record interval actuals per queue, all or nothing; an interval sent again replaces the earlier one."""
    site_id = _site(data["site_id"])
    return _recorded("intervals", lambda: record_intervals(data["intervals"], site_id))


@blp.route("/actuals/events", methods=["POST"])
@blp.arguments(EventsInput)
@blp.response(200, RecordedSchema)
@roles(*PLANNERS)
def post_events(data):
    """Record agent-state events, all or nothing; an event id already recorded is a repeat, ignored."""
    site_id = _site(data["site_id"])
    return _recorded("events", lambda: record_events(data["events"], site_id))


@blp.route("/actuals/intervals", methods=["GET"])
@blp.arguments(DayArgs, location="query")
@blp.response(200, DayActuals)
@roles(*PLANNERS)
def get_intervals(args):
    """A queue's recorded intervals of one day."""
    queue = get_or_404(Queue, args["queue_id"])
    first = dt.datetime.combine(args["day"], dt.time())
    rows = db.session.scalars(
        select(QueueActual)
        .where(
            QueueActual.queue_id == queue.id,
            QueueActual.interval_start >= first,
            QueueActual.interval_start < first + dt.timedelta(days=1),
        )
        .order_by(QueueActual.interval_start)
    ).all()
    return {"queue_id": queue.id, "day": args["day"], "intervals": rows}
