"""Forms of the adherence page: an exception a team leader approves, and the site's grace period."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange


class ExceptionForm(FlaskForm):
    agent_id = SelectField(_l("Agent"), coerce=int, validators=[InputRequired()])
    start = DateTimeLocalField(_l("From"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    end = DateTimeLocalField(_l("To"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[InputRequired(), Length(max=200)])


class GraceForm(FlaskForm):
    grace_minutes = IntegerField(
        _l("Grace period (minutes)"), validators=[InputRequired(), NumberRange(min=0, max=120)]
    )
