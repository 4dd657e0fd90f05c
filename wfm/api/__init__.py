"""The JSON API under /api/v1: per-user bearer tokens, the pages' role rules, the pages' operations.

Views are declared with `wfm.access` like every page, so the access hook and the URL-map test cover them;
flask-smorest validates arguments (422 naming the field) and writes the OpenAPI document from the same
marshmallow schemas that shape the answers.
"""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify
from flask_smorest import Api

from wfm.access import public
from wfm.api.auth import API_PREFIX
from wfm.api.common import IdConverter, LocalDateTime, id_schema

API_VERSION = "1.0"
SECURITY_SCHEME = "bearerAuth"


class WfmApi(Api):
    """flask-smorest without its app-wide error handler (the pages keep their HTML errors; API errors are
    answered by `wfm.api.errors`) and without its documentation blueprint (served by `openapi_json`)."""

    def _register_error_handlers(self):
        return None

    def _register_doc_blueprint(self):
        return None


docs = Blueprint("api", __name__, url_prefix=API_PREFIX)


@docs.route("/openapi.json")
@public
def openapi_json():
    """Public: it describes shapes, not data, and tools read it before they hold a token."""
    from flask import current_app

    return jsonify(current_app.extensions["wfm_api"].spec.to_dict())


def resource_blueprints():
    from wfm.api import actuals, history, jobs, kpis, me, organisation, planning, rosters, training

    return [
        me.blp,
        organisation.blp,
        history.blp,
        planning.blp,
        rosters.blp,
        jobs.blp,
        training.blp,
        actuals.blp,
        kpis.blp,
    ]


def configure_api(app: Flask) -> None:
    from wfm.api.account import blueprint as account
    from wfm.api.auth import forget
    from wfm.extensions import csrf

    app.url_map.converters["id"] = IdConverter
    app.teardown_request(forget)
    api = WfmApi(
        spec_kwargs={
            "title": "WFM API",
            "version": API_VERSION,
            "openapi_version": "3.0.3",
            "info": {
                "description": "Forecasts, requirements, shift plans, rosters, agents and training of the "
                "contact centre. Every call needs `Authorization: Bearer <token>`; make a "
                "token on /account/tokens. Roles are those of the pages."
            },
            "servers": [{"url": "/"}],
            "security": [{SECURITY_SCHEME: []}],
        }
    )
    api.init_app(app)
    api.register_converter(IdConverter, id_schema)
    api.register_field(LocalDateTime, "string", None)
    api.spec.components.security_scheme(
        SECURITY_SCHEME,
        {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "wfm_<secret>",
            "description": "A personal token from /account/tokens or `wfm tokens create`.",
        },
    )
    app.extensions["wfm_api"] = api
    for blp in resource_blueprints():
        api.register_blueprint(blp)
        csrf.exempt(blp)
    app.register_blueprint(docs)
    csrf.exempt(docs)
    app.register_blueprint(account)
