from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wfm.access import public, signed_in
from wfm.auth import passwords
from wfm.auth.forms import ChangePasswordForm, LoginForm, LogoutForm
from wfm.auth.operations import (
    PasswordChangeRefused,
    SignInRefused,
    authenticate,
    change_password,
    sign_out_everywhere,
)
from wfm.security.limiter import remember_browser
from wfm.security.redirects import safe_path
from wfm.security.sessions import end_session, is_remembered, remember_allowed, start_session
from wfm.unit_of_work import commit, mark

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
            commit()  # keep the count of wrong passwords (and a lockout)
            form.form_errors.append(str(refusal))
        else:
            start_session(user, remember=form.remember.data)
            commit()
            return remember_browser(
                redirect(safe_path(request.args.get("next"), url_for("home.index"))), user.username
            )
    status = 401 if form.form_errors else 200
    return render_template("auth/login.html", form=form, remember=remember_allowed()), status


@blueprint.route("/logout", methods=["POST"])
@signed_in
def logout():
    if LogoutForm().validate_on_submit():
        sign_out_everywhere(current_user)
        commit()
        end_session()
        flash(_("You are signed out, on this browser and every other one."), "info")
    return redirect(url_for("auth.login"))


@blueprint.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password_page():
    """Every signed-in user changes their own password; this browser stays signed in, every other one is
    not."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_password(user, form.current.data, form.new.data, form.repeat.data)
        except PasswordChangeRefused as refusal:
            commit()  # keep the count of wrong passwords
            mark(form, refusal)
        else:
            start_session(user, remember=is_remembered())
            commit()
            flash(
                _("Your password is changed. Every other browser signed in as you is signed out."), "success"
            )
            return redirect(url_for("home.index"))
    return render_template(
        "auth/password.html", form=form, min_length=passwords.min_length()
    ), 400 if form.errors else 200
