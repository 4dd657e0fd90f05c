from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import HiddenInput


class GenerateForm(FlaskForm):
    plan_id = SelectField("Shift plan to staff", coerce=int, validators=[InputRequired()])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    start = DateField("First day", validators=[InputRequired()])
    days = IntegerField("Days (7 to 42)", default=28, validators=[InputRequired(), NumberRange(7, 42)])
    time_limit = IntegerField("Time limit (seconds)", default=60, validators=[InputRequired(), NumberRange(5, 900)])


def lock_version_field() -> IntegerField:
    """The roster version the user looked at, carried so a later change by someone else is noticed."""
    return IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class CellForm(FlaskForm):
    shift = SelectField("Shift", validators=[])
    lock_version = lock_version_field()


class VersionForm(FlaskForm):
    """Publish and re-optimise: carry the version the user looked at, so a later change is noticed."""

    lock_version = lock_version_field()
    time_limit = IntegerField("Time limit (seconds)", default=30, validators=[NumberRange(5, 900)])
