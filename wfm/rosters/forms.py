from __future__ import annotations

import datetime as dt

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import HiddenInput

from wfm.validators import NumberRange


class GenerateForm(FlaskForm):
    plan_id = SelectField("Shift plan to staff", coerce=int, validators=[InputRequired()])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    start = DateField("First day", validators=[InputRequired()])
    days = IntegerField("Days (7 to 42)", default=28, validators=[InputRequired(), NumberRange(7, 42)])
    time_limit = IntegerField(
        "Time limit (seconds)", default=60, validators=[InputRequired(), NumberRange(5, 900)]
    )


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


class ActivityForm(FlaskForm):
    """A meeting, coaching or offline work put into the shifts of a team or of chosen agents on one day."""

    kind = SelectField(
        "Kind",
        choices=[("meeting", "team meeting"), ("coaching", "coaching"), ("offline work", "offline work")],
        default="meeting",
    )
    title = StringField("Title", validators=[Length(max=80)])
    day = DateField("Day", validators=[InputRequired()])
    team = SelectField("Team", choices=[], validate_choice=False)
    agents = SelectMultipleField("Or these agents", coerce=int, choices=[], validate_choice=False)
    minutes = IntegerField("Minutes", default=30, validators=[InputRequired(), NumberRange(5, 480)])
    window_from = TimeField("Not before", default=dt.time(9, 0), validators=[InputRequired()])
    window_to = TimeField("Ends by", default=dt.time(17, 0), validators=[InputRequired()])
    together = BooleanField(
        "All at the same time (untick to place each one on their own, as for coaching)", default=True
    )
    lock_version = lock_version_field()
