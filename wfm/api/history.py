"""Interval history of a queue: read it for a date range, and import a CSV (or the same rows as JSON) all
or nothing through the page's importer, so a refused file names each bad line and field."""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from scheduling.history import HistoryError
from wfm.access import PLANNERS, roles
from wfm.api.auth import API_PREFIX
from wfm.api.common import DateRangeArgs, LocalDateTime, Text, get_or_404, identifier
from wfm.extensions import db
from wfm.forecasting import history
from wfm.formatting import counted
from wfm.models import HistoryInterval, Queue, Site
from wfm.unit_of_work import commit_or_refuse

blp = Blueprint("api_history", __name__, url_prefix=API_PREFIX, description="Observed volumes per interval.")
MAX_ROWS = 200_000
MAX_PROBLEMS = 200
COLUMNS = ("interval_start", "queue", "offered", "handled", "abandoned", "aht_seconds")


class HistoryArgs(DateRangeArgs):
    max_days = 31
    queue_id = identifier(required=True)


class IntervalSchema(Schema):
    interval_start = LocalDateTime(required=True)
    interval_minutes = fields.Integer(required=True)
    offered = fields.Float(required=True)
    handled = fields.Float(allow_none=True)
    abandoned = fields.Float(allow_none=True)
    aht_seconds = fields.Float(allow_none=True)


class HistorySchema(Schema):
    queue_id = fields.Integer(required=True)
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    intervals = fields.List(fields.Nested(IntervalSchema), required=True)


@blp.route("/history", methods=["GET"])
@blp.arguments(HistoryArgs, location="query")
@blp.response(200, HistorySchema)
@roles(*PLANNERS)
def get_history(args):
    """A queue's intervals from `start` to `end` (inclusive days, at most 31)."""
    queue = get_or_404(Queue, args["queue_id"])
    first = dt.datetime.combine(args["start"], dt.time())
    last = (
        dt.datetime.combine(args["end"] + dt.timedelta(days=1), dt.time())
        if args["end"] < dt.date.max
        else dt.datetime.max
    )
    rows = db.session.scalars(
        select(HistoryInterval)
        .where(
            HistoryInterval.queue_id == queue.id,
            HistoryInterval.interval_start >= first,
            HistoryInterval.interval_start < last,
        )
        .order_by(HistoryInterval.interval_start)
    ).all()
    return {"queue_id": queue.id, "start": args["start"], "end": args["end"], "intervals": rows}


class IntervalRow(Schema):
    interval_start = Text(required=True, max_length=40, metadata={"example": "2025-11-03T08:00"})
    queue = Text(required=True, max_length=120, metadata={"description": "a queue's name or import code"})
    offered = fields.Float(required=True)
    handled = fields.Float(allow_none=True, load_default=None)
    abandoned = fields.Float(allow_none=True, load_default=None)
    aht_seconds = fields.Float(allow_none=True, load_default=None)


class ImportInput(Schema):
    site_id = identifier(required=True)
    filename = Text(load_default="api.csv", max_length=255)
    interval_minutes = fields.Integer(
        allow_none=True,
        load_default=None,
        validate=validate.Range(5, 60),
        metadata={"description": "inferred from the rows when absent"},
    )
    csv = Text(metadata={"description": "interval_start,queue,offered[,handled,abandoned,aht_seconds]"})
    intervals = fields.List(fields.Nested(IntervalRow), validate=validate.Length(1, MAX_ROWS))

    @validates_schema
    def _one_source(self, data, **_kwargs):
        if ("csv" in data) == ("intervals" in data):
            raise ValidationError(
                "send either `csv` (the file's text) or `intervals` (rows), not both", "csv"
            )
        minutes = data.get("interval_minutes")
        if minutes and 1440 % minutes:
            raise ValidationError(
                "the interval length must divide a day (5, 6, 10, 12, 15, 20, 30 or 60)", "interval_minutes"
            )


class ImportSchema(Schema):
    id = fields.Integer(required=True)
    site_id = fields.Integer(required=True)
    filename = fields.String(required=True)
    interval_minutes = fields.Integer(required=True)
    rows = fields.Integer(required=True)
    replaced = fields.Integer(required=True, metadata={"description": "intervals that replaced earlier ones"})
    first_interval = LocalDateTime(required=True)
    last_interval = LocalDateTime(required=True)


def _as_csv(rows: list[dict]) -> str:
    """JSON rows as the CSV the importer reads: line n of the errors is row n-1 of the list."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row[c] for c in COLUMNS])
    return out.getvalue()


@blp.route("/history", methods=["POST"])
@blp.arguments(ImportInput)
@blp.response(201, ImportSchema)
@roles(*PLANNERS)
def import_history(data):
    """Import intervals for a site's queues: all or nothing; repeated intervals replace earlier ones.

    A refused import answers 422 with `errors.file`: one `{line, field, message}` per problem (line 1 is
    the header; with `intervals`, line n is row n-1).
    """
    site = get_or_404(Site, data["site_id"])
    text = data["csv"] if "csv" in data else _as_csv(data["intervals"])
    imported = commit_or_refuse(
        lambda: history.import_intervals(
            site, io.StringIO(text), data["filename"], data["interval_minutes"], current_user.id
        ),
        refused=(HistoryError,),
    )
    if not imported.kept:
        problems = [{"line": p.line, "field": p.field, "message": p.message} for p in imported.error.problems]
        abort(
            422,
            message=_("nothing was imported: %(problems)s", problems=counted(len(problems), "problem")),
            errors={"file": problems[:MAX_PROBLEMS]},
        )
    return imported.value.record
