"""Rosters: read the working cells, generate one (a job), publish a version (refused with 409 when the
roster changed since the version the caller saw), and read published versions."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

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
from wfm.formatting import counted
from wfm.models import Roster, RosterVersion, ShiftPlan
from wfm.rosters import offphone, operations
from wfm.rosters.problem import breaks_of
from wfm.unit_of_work import CONFLICT, commit_or_refuse

blp = Blueprint(
    "api_rosters",
    __name__,
    url_prefix=API_PREFIX,
    description="Named rosters, their cells and published versions.",
)


class RosterSchema(Schema):
    id = fields.Integer(required=True)
    site_id = fields.Integer(required=True)
    plan_id = fields.Integer(allow_none=True)
    name = fields.String(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    days = fields.Integer(required=True)
    published_version = fields.Integer(required=True, metadata={"description": "0: never published"})
    lock_version = fields.Integer(required=True, metadata={"description": "send it back to publish"})
    solver_status = fields.String(required=True)
    objective = fields.Float(allow_none=True)
    bound = fields.Float(allow_none=True)
    seconds = fields.Float(required=True)
    created_at = LocalDateTime(required=True)
    updated_at = LocalDateTime(required=True)


class CellSchema(Schema):
    agent_id = fields.Integer(required=True)
    day = fields.Date(required=True)
    shift = fields.String(required=True)
    start = LocalDateTime(required=True)
    end = LocalDateTime(required=True)
    pinned = fields.Boolean(required=True)
    breaks = fields.List(
        fields.List(fields.Raw()),
        required=True,
        metadata={"description": "[minutes from the start, minutes to the end, name]"},
    )
    activities = fields.List(
        fields.List(fields.Raw()),
        required=True,
        metadata={
            "description": "meetings, coaching, offline work: [minutes from the start, "
            "minutes to the end, kind, title]"
        },
    )
    blocks = fields.List(
        fields.List(fields.Raw()),
        required=True,
        metadata={
            "description": "work blocks, which queue the agent works when: [minutes from the start, "
            "minutes to the end, queue id, queue name] (empty: none assigned)"
        },
    )


class RosterDetail(RosterSchema):
    broken = fields.List(
        fields.Dict(), required=True, metadata={"description": "hard rules that could not hold"}
    )
    soft = fields.Dict(required=True)
    shift_types = fields.List(fields.Dict(), required=True)
    cells = fields.List(fields.Nested(CellSchema), required=True)
    sources = fields.Dict(
        required=True,
        metadata={"description": "what it was built from and whether that changed since (out_of_date)"},
    )


class VersionSchema(Schema):
    number = fields.Integer(required=True)
    roster_id = fields.Integer(required=True)
    published_at = LocalDateTime(required=True)
    published_by = fields.String(allow_none=True)
    agents_changed = fields.List(fields.Integer(), required=True)
    shifts = fields.Integer(required=True)


class VersionDetail(VersionSchema):
    assignments = fields.List(
        fields.Dict(),
        required=True,
        metadata={"description": "{agent_id, day, shift, start, end, breaks, activities, blocks}"},
    )


class VersionList(Schema):
    roster_id = fields.Integer(required=True)
    versions = fields.List(fields.Nested(VersionSchema), required=True)


class RosterArgs(PageArgs):
    site_id = identifier()
    plan_id = identifier()
    published = fields.Boolean(
        metadata={"description": "only rosters with (true) or without a published version"}
    )


class GenerateInput(Schema):
    plan_id = identifier(required=True)
    name = Text(required=True, min_length=1, max_length=120)
    start = fields.Date(required=True, validate=PLANNING_DAYS)
    days = fields.Integer(load_default=28, validate=validate.Range(7, 42))
    time_limit = fields.Integer(load_default=60, validate=validate.Range(5, 900))


class PublishInput(Schema):
    lock_version = fields.Integer(
        required=True,
        validate=validate.Range(1, 2**31 - 1),
        metadata={"description": "the roster's lock_version the caller looked at"},
    )
    replace = fields.Boolean(
        load_default=False,
        metadata={
            "description": "true: take over the days another published roster speaks for (without it, "
            "such a publish is refused with 409, saying what it would replace)"
        },
    )


def _detail(roster: Roster) -> dict:
    types = {t["id"]: t for t in roster.shift_types}
    cells = [
        {
            "agent_id": a.agent_id,
            "day": a.day,
            "shift": a.shift,
            "start": a.start,
            "end": a.end,
            "pinned": a.pinned,
            "breaks": offphone.encoded(offphone.breaks(breaks_of(a, types))),
            "activities": offphone.encoded(offphone.activities(a.activities)),
            "blocks": a.blocks or [],
        }
        for a in sorted(roster.assignments, key=lambda a: (a.agent_id, a.day))
    ]
    summary = {name: getattr(roster, name) for name in RosterSchema().fields}
    return {
        **summary,
        "broken": roster.broken or [],
        "soft": roster.soft or {},
        "shift_types": roster.shift_types or [],
        "cells": cells,
        "sources": sources.status_of(roster),
    }


def _version_row(version: RosterVersion) -> dict:
    return {
        "number": version.number,
        "roster_id": version.roster_id,
        "published_at": version.published_at,
        "published_by": version.published_by.display_name if version.published_by else None,
        "agents_changed": version.agents_changed or [],
        "shifts": len(version.assignments or []),
    }


@blp.route("/rosters", methods=["GET"])
@blp.arguments(RosterArgs, location="query")
@blp.response(200, page_of(RosterSchema))
@roles(*PLANNERS)
def list_rosters(args):
    """Rosters, newest first."""
    query = select(Roster).order_by(Roster.id.desc())
    for name in ("site_id", "plan_id"):
        if name in args:
            query = query.where(getattr(Roster, name) == args[name])
    if "published" in args:
        query = query.where(
            Roster.published_version > 0 if args["published"] else Roster.published_version == 0
        )
    return paginate(query, args)


@blp.route("/rosters/<id:roster_id>", methods=["GET"])
@blp.response(200, RosterDetail)
@roles(*PLANNERS)
def get_roster(roster_id: int):
    """A roster with its working cells (one per agent and worked day) and its broken rules."""
    return _detail(get_or_404(Roster, roster_id))


@blp.route("/rosters", methods=["POST"])
@blp.arguments(GenerateInput)
@blp.response(202, JobSchema)
@roles(*PLANNERS)
def generate_roster(data):
    """Start a roster job staffing a shift plan; the period must lie inside the plan's."""
    plan = db.session.get(ShiftPlan, data["plan_id"])
    if plan is None:
        refuse("plan_id", _("no shift plan with id %(id)s", id=data["plan_id"]))
    if data["start"] > dt.date.max - dt.timedelta(days=data["days"]):
        refuse("start", _("the roster must end before the year 9999"))
    last = data["start"] + dt.timedelta(days=data["days"] - 1)
    if data["start"] < plan.start_date or last > plan.end_date:
        refuse(
            "start",
            _(
                "the plan covers %(first)s to %(last)s; keep the roster inside",
                first=plan.start_date,
                last=plan.end_date,
            ),
        )
    return launch_job(
        "roster",
        f"Roster {data['name']}",
        {
            "site_id": plan.site_id,
            "plan_id": plan.id,
            "start": data["start"].isoformat(),
            "days": data["days"],
            "name": data["name"],
            "time_limit": data["time_limit"],
        },
    )


@blp.route("/rosters/<id:roster_id>/publish", methods=["POST"])
@blp.arguments(PublishInput)
@blp.response(201, VersionDetail)
@roles(*PLANNERS)
def publish_roster(data, roster_id: int):
    """Publish the roster as its next version; 409 when it changed after `lock_version`."""
    roster = get_or_404(Roster, roster_id)
    published = commit_or_refuse(
        lambda: operations.publish(
            roster, data["lock_version"], current_user.id, replace=True if data["replace"] else None
        ),
        conflicts=(operations.PublishOverlaps, operations.StaleRoster, StaleDataError),
    )
    if published.status == CONFLICT and isinstance(published.error, operations.PublishOverlaps):
        abort(
            409,
            message=_(
                "another published roster speaks for some of these days: send replace true to replace it"
            ),
            errors={
                "json": {
                    "replace": [
                        f"replaces roster {r.roster_id} ({r.name}, published version {r.version}) on "
                        f"{counted(len(r.days), 'day')}, {r.days[0].isoformat()} to "
                        f"{r.days[-1].isoformat()}, where {counted(r.agents, 'agent')} have published shifts"
                        for r in published.error.replaced
                    ]
                }
            },
        )
    if published.status == CONFLICT:
        roster = db.session.get(Roster, roster_id)
        abort(
            409,
            message=_("the roster changed since that version: read it again, then publish"),
            errors={
                "json": {
                    "lock_version": [_("the roster is at version %(version)s", version=roster.lock_version)]
                }
            },
        )
    if not published.kept:
        refuse(published.error.field, published.message)
    version = published.value
    return {**_version_row(version), "assignments": version.assignments}


@blp.route("/rosters/<id:roster_id>/versions", methods=["GET"])
@blp.response(200, VersionList)
@roles(*PLANNERS)
def list_versions(roster_id: int):
    """The roster's published versions, oldest first."""
    roster = get_or_404(Roster, roster_id)
    return {"roster_id": roster.id, "versions": [_version_row(v) for v in roster.versions]}


@blp.route("/rosters/<id:roster_id>/versions/<id:number>", methods=["GET"])
@blp.response(200, VersionDetail)
@roles(*PLANNERS)
def get_version(roster_id: int, number: int):
    """One published version, frozen as agents saw it."""
    roster = get_or_404(Roster, roster_id)
    version = next((v for v in roster.versions if v.number == number), None)
    if version is None:
        abort(
            404, message=_("roster %(id)s has no published version %(number)s", id=roster.id, number=number)
        )
    return {**_version_row(version), "assignments": version.assignments}
