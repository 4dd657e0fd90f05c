"""Forecasts, requirements and shift plans: read them, and start the page's jobs (forecast, shift plan) or
calculate a requirement, with the pages' checks."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from scheduling.forecast import METHOD_NAMES
from scheduling.staffing import ForecastError
from wfm import sources
from wfm.access import PLANNERS, roles
from wfm.api.auth import API_PREFIX
from wfm.api.common import (
    PLANNING_DAYS,
    LocalDateTime,
    PageArgs,
    Text,
    get_or_404,
    identifier,
    page_of,
    paginate,
    refuse,
)
from wfm.api.jobs import JobSchema, launch_job
from wfm.extensions import db
from wfm.forecasting.requirements import RequirementProblem, in_words, make_requirement
from wfm.forecasting.typed import make_typed_forecast, queues_with_history
from wfm.formatting import counted
from wfm.i18n import translate
from wfm.models import Forecast, Queue, Requirement, ShiftPlan, ShiftTemplate, Site
from wfm.shiftplans.headcount import balance
from wfm.shiftplans.pages import by_queue
from wfm.shiftplans.plans import COLUMNS, latest_requirements
from wfm.unit_of_work import commit_or_refuse

blp = Blueprint(
    "api_planning",
    __name__,
    url_prefix=API_PREFIX,
    description="Forecasts, staffing requirements and shift plans.",
)


# Forecasts -----------------------------------------------------------------------------------------


class ForecastSchema(Schema):
    id = fields.Integer(required=True)
    queue_id = fields.Integer(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    days = fields.Integer(required=True)
    interval_minutes = fields.Integer(required=True)
    method = fields.String(required=True)
    requested_method = fields.String(required=True)
    created_at = LocalDateTime(required=True)
    notes = fields.List(fields.String(), required=True)


class ForecastIntervalSchema(Schema):
    interval_start = LocalDateTime(required=True)
    forecast = fields.Float(required=True, metadata={"description": "the engine's value"})
    lower = fields.Float(required=True)
    upper = fields.Float(required=True)
    adjusted = fields.Float(required=True, metadata={"description": "after schedulers' adjustments"})
    aht_seconds = fields.Float(allow_none=True)


def sources_field():
    """What the object was built from and whether that changed since (`wfm.sources`)."""
    return fields.Function(
        sources.status_of,
        dump_only=True,
        metadata={
            "type": "object",
            "description": "built_from (name, url, version), out_of_date, reasons, changed parts and "
            "how to rebuild",
        },
    )


class ForecastDetail(ForecastSchema):
    sources = sources_field()
    backtest = fields.List(fields.Dict(), required=True)
    intervals = fields.List(fields.Nested(ForecastIntervalSchema), required=True)


class ForecastArgs(PageArgs):
    queue_id = identifier()


class ForecastInput(Schema):
    queue_ids = fields.List(identifier(), required=True, validate=validate.Length(1, 50))
    start = fields.Date(required=True, validate=PLANNING_DAYS, metadata={"description": "first day forecast"})
    days = fields.Integer(load_default=14, validate=validate.Range(1, 56))
    method = fields.String(load_default="auto", validate=validate.OneOf(["auto", *METHOD_NAMES]))


@blp.route("/forecasts", methods=["GET"])
@blp.arguments(ForecastArgs, location="query")
@blp.response(200, page_of(ForecastSchema))
@roles(*PLANNERS)
def list_forecasts(args):
    """Forecasts, newest first."""
    query = select(Forecast).order_by(Forecast.id.desc())
    if "queue_id" in args:
        query = query.where(Forecast.queue_id == args["queue_id"])
    return paginate(query, args)


@blp.route("/forecasts/<id:forecast_id>", methods=["GET"])
@blp.response(200, ForecastDetail)
@roles(*PLANNERS)
def get_forecast(forecast_id: int):
    """One forecast with its intervals and backtest."""
    return get_or_404(Forecast, forecast_id)


@blp.route("/forecasts", methods=["POST"])
@blp.arguments(ForecastInput)
@blp.response(202, JobSchema)
@roles(*PLANNERS)
def start_forecast(data):
    """Start a forecast job for queues of one site; 202 with the job to follow."""
    queues = [db.session.get(Queue, qid) for qid in dict.fromkeys(data["queue_ids"])]
    if any(q is None or not q.active for q in queues):
        refuse("queue_ids", _("every queue must exist and be active"))
    if len({q.site_id for q in queues}) > 1:
        refuse("queue_ids", _("forecast the queues of one site at a time (holidays differ by site)"))
    with_history = queues_with_history([q.id for q in queues], data["start"])
    without = [q.name for q in queues if q.id not in with_history]
    if without:
        refuse(
            "queue_ids",
            ngettext(
                "%(queues)s has no history before %(day)s, so cannot be forecast from history: type "
                "expected contacts with POST /forecasts/typed",
                "%(queues)s have no history before %(day)s, so cannot be forecast from history: type "
                "expected contacts with POST /forecasts/typed",
                len(without),
                queues=", ".join(without),
                day=f"{data['start']:%d %b %Y}",
            ),
        )
    return launch_job(
        "forecast",
        f"Forecast {counted(len(queues), 'queue')} from {data['start']}",
        {
            "queue_ids": [q.id for q in queues],
            "start": data["start"].isoformat(),
            "days": data["days"],
            "method": data["method"],
        },
    )


class TypedForecastInput(Schema):
    queue_id = identifier(required=True)
    start = fields.Date(required=True, validate=PLANNING_DAYS, metadata={"description": "first day forecast"})
    days = fields.Integer(load_default=28, validate=validate.Range(1, 56))
    per_weekday = fields.List(
        fields.Float(validate=validate.Range(0, 1_000_000)),
        required=True,
        validate=validate.Length(7, 7),
        metadata={"description": "contacts expected on Monday, Tuesday, ... Sunday"},
    )
    aht_seconds = fields.Float(required=True, validate=validate.Range(1, 36000))
    profile_queue_id = identifier(
        load_default=None,
        allow_none=True,
        metadata={"description": "a queue of the same site whose intraday pattern to borrow; none: even"},
    )


@blp.route("/forecasts/typed", methods=["POST"])
@blp.arguments(TypedForecastInput)
@blp.response(201, ForecastDetail)
@roles(*PLANNERS)
def typed_forecast(data):
    """A forecast from expected contacts per weekday, for a queue with no history to forecast from."""
    queue = db.session.get(Queue, data["queue_id"])
    if queue is None or not queue.active:
        refuse("queue_id", _("the queue must exist and be active"))
    made = commit_or_refuse(
        lambda: make_typed_forecast(
            queue,
            data["start"],
            data["days"],
            dict(enumerate(data["per_weekday"])),
            data["aht_seconds"],
            data["profile_queue_id"],
            current_user.id,
        )
    )
    if not made.kept:
        field = made.error.field
        field = "per_weekday" if field.startswith("weekday_") else field
        refuse({"profile": "profile_queue_id"}.get(field, field), made.message)
    return made.value


# Requirements --------------------------------------------------------------------------------------


class RequirementSchema(Schema):
    id = fields.Integer(required=True)
    forecast_id = fields.Integer(required=True)
    queue_id = fields.Integer(required=True)
    targets = fields.Dict(required=True, metadata={"description": "the targets in force when it was made"})
    created_at = LocalDateTime(required=True)


class RequirementIntervalSchema(Schema):
    interval_start = LocalDateTime(required=True)
    forecast = fields.Float(required=True)
    aht_seconds = fields.Float(allow_none=True)
    agents = fields.Integer(required=True, metadata={"description": "on the phones"})
    scheduled_agents = fields.Integer(required=True, metadata={"description": "to schedule, with shrinkage"})
    service_level = fields.Float(allow_none=True)
    occupancy = fields.Float(allow_none=True)
    asa_seconds = fields.Float(allow_none=True)
    abandon_rate = fields.Float(allow_none=True)


class RequirementDetail(RequirementSchema):
    sources = sources_field()
    intervals = fields.List(fields.Nested(RequirementIntervalSchema), required=True)


class RequirementArgs(PageArgs):
    forecast_id = identifier()
    queue_id = identifier()


class RequirementInput(Schema):
    forecast_id = identifier(required=True)


@blp.route("/requirements", methods=["GET"])
@blp.arguments(RequirementArgs, location="query")
@blp.response(200, page_of(RequirementSchema))
@roles(*PLANNERS)
def list_requirements(args):
    """Requirements, newest first (`?forecast_id=`, `?queue_id=`)."""
    query = select(Requirement).order_by(Requirement.id.desc())
    for name in ("forecast_id", "queue_id"):
        if name in args:
            query = query.where(getattr(Requirement, name) == args[name])
    return paginate(query, args)


@blp.route("/requirements/<id:requirement_id>", methods=["GET"])
@blp.response(200, RequirementDetail)
@roles(*PLANNERS)
def get_requirement(requirement_id: int):
    """One requirement with its agents per interval."""
    return get_or_404(Requirement, requirement_id)


@blp.route("/requirements", methods=["POST"])
@blp.arguments(RequirementInput)
@blp.response(201, RequirementDetail)
@roles(*PLANNERS)
def calculate_requirement(data):
    """Agents needed per interval for a forecast's adjusted volume, under its queue's current targets."""
    forecast = db.session.get(Forecast, data["forecast_id"])
    if forecast is None:
        refuse("forecast_id", _("no forecast with id %(id)s", id=data["forecast_id"]))
    made = commit_or_refuse(
        lambda: make_requirement(forecast, current_user.id), refused=(RequirementProblem, ForecastError)
    )
    if not made.kept:
        refuse(
            "forecast_id",
            _(
                "the requirement could not be calculated: %(reason)s; check the queue's targets",
                reason=translate(in_words(made.error)),
            ),
        )
    return made.value


# Shift plans ---------------------------------------------------------------------------------------


class PlanSchema(Schema):
    id = fields.Integer(required=True)
    site_id = fields.Integer(required=True)
    name = fields.String(required=True)
    status = fields.String(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    days = fields.Integer(required=True)
    interval_minutes = fields.Integer(required=True)
    solver_status = fields.String(required=True)
    cost = fields.Float(allow_none=True)
    penalty = fields.Float(allow_none=True)
    bound = fields.Float(allow_none=True)
    gap = fields.Float(allow_none=True)
    seconds = fields.Float(required=True)
    unmet_agent_intervals = fields.Integer(required=True)
    created_at = LocalDateTime(required=True)


class PlanShiftSchema(Schema):
    template = fields.String(required=True)
    start = LocalDateTime(required=True)
    end = LocalDateTime(required=True)
    agents = fields.Integer(required=True)
    breaks = fields.List(fields.Dict(), required=True)
    queues = fields.List(fields.String(), required=True)
    skill_group = fields.String(required=True, metadata={"description": "empty when planned without groups"})


class PlanCoverageSchema(Schema):
    interval_start = LocalDateTime(required=True)
    queue = fields.String(required=True)
    required = fields.Integer(required=True)
    on_phones = fields.Integer(required=True)
    short = fields.Integer(required=True)
    over = fields.Integer(required=True)


class PlanDetail(PlanSchema):
    sources = sources_field()
    staffing = fields.Function(
        balance,
        dump_only=True,
        metadata={
            "type": "object",
            "description": "short_fte (positive: short), headline, required and contracted hours a week",
        },
    )
    settings = fields.Dict(required=True)
    by_queue = fields.Function(
        by_queue,
        dump_only=True,
        metadata={
            "type": "array",
            "description": "per queue over the plan, in agent-hours: required, planned, short, over",
        },
    )
    shifts = fields.List(fields.Nested(PlanShiftSchema), required=True)
    coverage = fields.List(fields.Nested(PlanCoverageSchema), required=True)


class PlanArgs(PageArgs):
    site_id = identifier()


class PlanInput(Schema):
    site_id = identifier(required=True)
    name = Text(required=True, min_length=1, max_length=120)
    start = fields.Date(required=True, validate=PLANNING_DAYS)
    days = fields.Integer(load_default=28, validate=validate.Range(1, 42))
    template_ids = fields.List(identifier(), required=True, validate=validate.Length(1, 100))
    column = fields.String(load_default="scheduled_agents", validate=validate.OneOf(list(COLUMNS)))
    time_limit = fields.Integer(
        load_default=30,
        validate=validate.Range(1, 600),
        metadata={"description": "seconds the solver may take"},
    )
    cyclic = fields.Boolean(load_default=False)
    by_skill = fields.Boolean(
        load_default=False,
        metadata={"description": "plan by skill group: agents counted only on the queues their skills allow"},
    )


@blp.route("/plans", methods=["GET"])
@blp.arguments(PlanArgs, location="query")
@blp.response(200, page_of(PlanSchema))
@roles(*PLANNERS)
def list_plans(args):
    """Shift plans, newest first."""
    query = select(ShiftPlan).order_by(ShiftPlan.id.desc())
    if "site_id" in args:
        query = query.where(ShiftPlan.site_id == args["site_id"])
    return paginate(query, args)


@blp.route("/plans/<id:plan_id>", methods=["GET"])
@blp.response(200, PlanDetail)
@roles(*PLANNERS)
def get_plan(plan_id: int):
    """A plan with its shifts (how many start when) and its coverage against the requirement."""
    return get_or_404(ShiftPlan, plan_id, "shift plan")


@blp.route("/plans", methods=["POST"])
@blp.arguments(PlanInput)
@blp.response(202, JobSchema)
@roles(*PLANNERS)
def start_plan(data):
    """Start a shift-plan job on the site's latest requirements; 202 with the job to follow."""
    site = db.session.get(Site, data["site_id"])
    if site is None:
        refuse("site_id", _("no site with id %(id)s", id=data["site_id"]))
    if data["start"] > dt.date.max - dt.timedelta(days=data["days"] + 1):
        refuse("start", _("the plan must end before the year 9999"))
    templates = [db.session.get(ShiftTemplate, t) for t in dict.fromkeys(data["template_ids"])]
    if any(t is None or t.site_id != site.id or not t.active for t in templates):
        refuse("template_ids", _("every template must exist, be active and belong to the site"))
    last = data["start"] + dt.timedelta(days=data["days"] - 1)
    if not latest_requirements(site, data["start"], last):
        refuse(
            "start",
            _("no requirement of this site covers that period: forecast it and calculate requirements first"),
        )
    return launch_job(
        "shift-plan",
        f"Shift plan {data['name']}",
        {
            "site_id": site.id,
            "name": data["name"],
            "start": data["start"].isoformat(),
            "days": data["days"],
            "template_ids": [t.id for t in templates],
            "column": data["column"],
            "time_limit": data["time_limit"],
            "cyclic": data["cyclic"],
            "by_skill": data["by_skill"],
        },
    )
