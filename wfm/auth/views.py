from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from wfm.access import public, signed_in
from wfm.auth.forms import LoginForm, LogoutForm
from wfm.auth.operations import SignInRefused, authenticate
from wfm.extensions import db
from wfm.security.redirects import safe_path
from wfm.security.sessions import remember_allowed, start_session

blueprint = Blueprint("auth", __name__)


@blueprint.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data)
        except SignInRefused as refusal:
            db.session.commit()  # keep the count of wrong passwords (and a lockout)
            form.form_errors.append(str(refusal))
        else:
            start_session(user, remember=form.remember.data)
            db.session.commit()
            return redirect(safe_path(request.args.get("next"), url_for("home.index")))
    status = 401 if form.form_errors else 200
    return render_template("auth/login.html", form=form, remember=remember_allowed()), status


@blueprint.route("/logout", methods=["POST"])
@signed_in
def logout():
    if LogoutForm().validate_on_submit():
        logout_user()
        session.clear()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
