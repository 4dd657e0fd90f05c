"""Agent KPIs through the API: the same rows as the CSV import (one agent's day: handle time, first-contact
resolution, customer satisfaction), read by the same parser, for planners' and HR's tokens.

A batch is all or nothing: the first bad row refuses it (422) with `errors.kpis`: `{row, field, message}`.
A day sent again for the same agent replaces the stored one, so re-sending a batch changes nothing.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from training.kpis import KpiError, read_rows
from wfm.access import BACK_OFFICE, roles
from wfm.api.auth import API_PREFIX
from wfm.careers.kpis import store_days
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
