"""What every API module shares: id path segments, paging, date ranges, refusals naming the field, and
marshmallow fields whose OpenAPI description matches what they accept and return."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_smorest import abort
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from werkzeug.routing import IntegerConverter

from wfm.extensions import db
from wfm.formatting import counted
from wfm.unit_of_work import commit_or_refuse

MAX_ID = 2**31 - 1  # the databases' INTEGER: a larger id cannot exist, and must not reach the driver
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50
MAX_PAGE = 100_000
LOCAL_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive database id; anything else in the path is a 404, never a driver error."""

    def __init__(self, map, **kwargs):  # `map`: werkzeug's name for the URL map
        super().__init__(map, min=1, max=MAX_ID)


def id_schema(_converter) -> dict:
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def no_nul(value: str) -> bool:
    if "\x00" in value:
        raise ValidationError("must not contain NUL characters")
    return True


class Text(fields.String):
    """A string without NUL characters (PostgreSQL cannot store them)."""

    def __init__(self, *args, max_length: int | None = None, min_length: int | None = None, **kwargs):
        validators = list(kwargs.pop("validate", []) or [])
        validators.append(no_nul)
        if max_length is not None or min_length is not None:
            validators.append(validate.Length(min=min_length, max=max_length))
        super().__init__(*args, validate=validators, **kwargs)


class LocalDateTime(fields.DateTime):
    """A naive timestamp `YYYY-MM-DDTHH:MM:SS`: local time of the site (or UTC for record keeping)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("metadata", {})
        kwargs["metadata"] = {"pattern": LOCAL_TIME, **kwargs["metadata"]}
        super().__init__(*args, format="iso", **kwargs)


# Days a plan may start on: the engine counts back a year of history and forward weeks of horizon.
PLANNING_DAYS = validate.Range(
    dt.date(1900, 1, 1), dt.date(9000, 12, 31), error="choose a day between 1900-01-01 and 9000-12-31"
)


def identifier(**kwargs) -> fields.Integer:
    return fields.Integer(validate=validate.Range(1, MAX_ID), **kwargs)


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(1, MAX_PAGE))
    per_page = fields.Integer(
        load_default=DEFAULT_PER_PAGE,
        validate=validate.Range(1, MAX_PER_PAGE),
        metadata={"description": f"items per page, at most {MAX_PER_PAGE}"},
    )


_PAGE_SCHEMAS: dict[str, type[Schema]] = {}


def page_of(item: type[Schema]) -> type[Schema]:
    """`{items: [...], page, per_page, total}` for one kind of item (one named schema per kind)."""
    name = item.__name__.removesuffix("Schema") + "Page"
    if name not in _PAGE_SCHEMAS:
        _PAGE_SCHEMAS[name] = type(
            name,
            (Schema,),
            {
                "items": fields.List(fields.Nested(item), required=True),
                "page": fields.Integer(required=True),
                "per_page": fields.Integer(required=True),
                "total": fields.Integer(required=True),
            },
        )
    return _PAGE_SCHEMAS[name]


def paginate(query, args: dict) -> dict:
    """One page of a select() query's rows, with the total."""
    from sqlalchemy import func, select

    page, per_page = args["page"], args["per_page"]
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def refuse(field: str, message: str, location: str = "json", status: int = 422):
    """Answer 422 (or `status`) naming the field, in webargs' shape."""
    abort(
        status,
        message=_("%(field)s: %(message)s", field=field, message=message),
        errors={location: {field: [message]}},
    )


def committed(change, status: int = 422, **options):
    """Run `change()` as one unit of work (`wfm.unit_of_work.commit_or_refuse`, which takes `options`); a
    refusal naming a field answers `status` on that field, nothing written. Returns what `change` returned."""
    outcome = commit_or_refuse(change, **options)
    if not outcome.kept:
        refuse(getattr(outcome.error, "field", "json"), outcome.message, status=status)
    return outcome.value


# What a person calls each kind of record an API call names by id (English: the model's name).
RECORD_WORDS = {
    "agent": _l("agent"),
    "forecast": _l("forecast"),
    "job": _l("job"),
    "queue": _l("queue"),
    "requirement": _l("requirement"),
    "roster": _l("roster"),
    "shiftplan": _l("shift plan"),
    "shift plan": _l("shift plan"),
    "site": _l("site"),
    "skill": _l("skill"),
    "team": _l("team"),
    "trainingsession": _l("training session"),
    "shifttemplate": _l("shift template"),
}


def record_word(name: str) -> str:
    return str(RECORD_WORDS.get(name, name))


def get_or_404(model, record_id: int, what: str | None = None):
    record = db.session.get(model, record_id) if 1 <= record_id <= MAX_ID else None
    if record is None:
        abort(
            404,
            message=_(
                "no %(what)s with id %(id)s", what=record_word(what or model.__name__.lower()), id=record_id
            ),
        )
    return record


class DateRangeArgs(Schema):
    """`start` and `end` (inclusive) days; a range longer than `max_days` is refused."""

    max_days = 62
    start = fields.Date(required=True)
    end = fields.Date(required=True)

    @validates_schema
    def _order(self, data, **_kwargs):
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise ValidationError("the end comes before the start", "end")
            if (end - start).days + 1 > self.max_days:
                raise ValidationError(f"ask for at most {counted(self.max_days, 'day')} at once", "end")


def plain(value: Any) -> Any:
    """Dates and times as ISO strings, recursively (the pages' plain values, for JSON)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value != value:  # NaN has no JSON
        return None
    return value
