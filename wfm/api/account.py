"""Every signed-in user's own API tokens: make one (its secret is shown once), list them, revoke one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, Optional

from wfm.access import signed_in
from wfm.api import tokens
from wfm.extensions import db
from wfm.models import ApiToken
from wfm.navigation import ROLE_LABELS
from wfm.unit_of_work import commit, commit_or_refuse
from wfm.validators import NumberRange

blueprint = Blueprint("account", __name__, url_prefix="/account")
TOKEN_STATES = {"active": _l("active"), "revoked": _l("revoked"), "expired": _l("expired")}


@blueprint.app_template_global()
def token_state_label(state: str) -> str:
    return str(TOKEN_STATES.get(state, state))


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name (where it is used)"), validators=[DataRequired(), Length(max=tokens.MAX_NAME)]
    )
    expires_in_days = IntegerField(
        _l("Expires after (days; empty: never)"), validators=[Optional(), NumberRange(1, tokens.MAX_DAYS)]
    )


def _rows() -> list[dict]:
    return [
        {
            "id": t.id,
            "name": t.name,
            "prefix": t.prefix,
            "created_at": t.created_at,
            "last_used_at": t.last_used_at,
            "expires_at": t.expires_at,
            "state": tokens.state_of(t),
        }
        for t in tokens.tokens_of(current_user.id)
    ]


@blueprint.route("/tokens", methods=["GET", "POST"])
@signed_in
def tokens_page():
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        made = commit_or_refuse(
            lambda: tokens.create_token(current_user, form.name.data, form.expires_in_days.data), form
        )
        if made.kept:
            _token, secret = made.value
            # Shown on this answer only: never written to the session cookie (signed, not encrypted) or
            # kept anywhere but the browser's screen. The page is not cached (Cache-Control: no-store).
            flash(_("Token made: copy it now, it is shown only once."), "success")
            form = TokenForm(formdata=None)
    return render_template(
        "account/tokens.html", form=form, rows=_rows(), secret=secret, revoke=FlaskForm()
    ), 400 if form.errors else 200


@blueprint.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@signed_in
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if FlaskForm().validate_on_submit() and tokens.revoke(token):
        commit()
        flash(_("Token %(name)s revoked: calls with it are refused from now on.", name=token.name), "success")
    return redirect(url_for("account.tokens_page"))


def api_endpoints() -> list[dict]:
    """Every API route with its methods, who may call it and the first line of its description."""
    from flask import current_app

    from wfm.access import PUBLIC, SIGNED_IN, allowed_roles

    rows = []
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: (r.rule, sorted(r.methods))):
        if not rule.rule.startswith("/api/"):
            continue
        view = current_app.view_functions[rule.endpoint]
        allowed = allowed_roles(view)
        who = (
            _("anyone")
            if allowed == PUBLIC
            else _("any signed-in user")
            if allowed == SIGNED_IN
            else _(", ").join(sorted(str(ROLE_LABELS.get(r.value, r.value)) for r in allowed))
        )
        doc = (view.__doc__ or "").strip().splitlines()
        rows.append(
            {
                "methods": ", ".join(sorted(rule.methods - {"HEAD", "OPTIONS"})),
                "path": rule.rule.replace("<id:", "{").replace(">", "}"),
                "roles": who,
                "summary": doc[0] if doc else "",
            }
        )
    return rows


@blueprint.route("/api")
@signed_in
def api_page():
    return render_template("account/api.html", endpoints=api_endpoints())
