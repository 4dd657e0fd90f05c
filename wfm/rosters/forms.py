from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from wfm.rosters.scope import DEFAULT_FREEZE_DAYS
from wfm.validators import NumberRange


class GenerateForm(FlaskForm):
    plan_id = SelectField(_l("Shift plan to staff"), coerce=int, validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    start = DateField(_l("First day"), validators=[InputRequired()])
    days = IntegerField(_l("Days (7 to 42)"), default=28, validators=[InputRequired(), NumberRange(7, 42)])
    time_limit = IntegerField(
        _l("Time limit (seconds)"), default=60, validators=[InputRequired(), NumberRange(5, 900)]
    )


def lock_version_field() -> IntegerField:
    """The roster version the user looked at, carried so a later change by someone else is noticed."""
    return IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class CellForm(FlaskForm):
    shift = SelectField(_l("Shift"), validators=[])
    lock_version = lock_version_field()


class VersionForm(FlaskForm):
    """Publish and re-optimise: carry the version the user looked at, so a later change is noticed."""

    lock_version = lock_version_field()
    time_limit = IntegerField(_l("Time limit (seconds)"), default=30, validators=[NumberRange(5, 900)])


class ActivityForm(FlaskForm):
    """A meeting, coaching or offline work put into the shifts of a team or of chosen agents on one day."""

    kind = SelectField(
        _l("Kind"),
        choices=[
            ("meeting", _l("team meeting")),
            ("coaching", _l("coaching")),
            ("offline work", _l("offline work")),
        ],
        default="meeting",
    )
    title = StringField(_l("Title"), validators=[Length(max=80)])
    day = DateField(_l("Day"), validators=[InputRequired()])
    team = SelectField(_l("Team"), choices=[], validate_choice=False)
    agents = SelectMultipleField(_l("Or these agents"), coerce=int, choices=[], validate_choice=False)
    minutes = IntegerField(_l("Minutes"), default=30, validators=[InputRequired(), NumberRange(5, 480)])
    window_from = TimeField(_l("Not before"), default=dt.time(9, 0), validators=[InputRequired()])
    window_to = TimeField(_l("Ends by"), default=dt.time(17, 0), validators=[InputRequired()])
    together = BooleanField(
        _l("All at the same time (untick to place each one on their own, as for coaching)"), default=True
    )
    lock_version = lock_version_field()


class PublishForm(VersionForm):
    """Publish; `replace` is set by the confirmation page when the roster takes over another's days."""

    replace = BooleanField(_l("Replace the roster published for these days"), default=False)


class ReoptimiseForm(FlaskForm):
    """What a re-optimise may change: days, teams, agents; the freeze window is kept unless asked."""

    first = DateField(_l("From"), validators=[Optional()])
    last = DateField(_l("To"), validators=[Optional()])
    teams = SelectMultipleField(_l("Teams"), choices=[], validate_choice=False)
    agents = SelectMultipleField(_l("Agents"), coerce=int, choices=[], validate_choice=False)
    freeze_days = IntegerField(
        _l("Days after today kept as published"),
        default=DEFAULT_FREEZE_DAYS,
        validators=[Optional(), NumberRange(0, 14)],
    )
    unfreeze = BooleanField(_l("Also change those days (today and earlier are never changed)"), default=False)
    time_limit = IntegerField(
        _l("Time limit (seconds)"), default=30, validators=[Optional(), NumberRange(5, 900)]
    )
    lock_version = lock_version_field()

    def validate_last(self, field) -> None:
        if field.data and self.first.data and field.data < self.first.data:
            raise ValidationError(_("The last day must not be before the first."))


class BlocksForm(FlaskForm):
    """Assign work blocks anew, with the site's shortest block (kept for later solves and edits too)."""

    lock_version = lock_version_field()
    min_block_minutes = IntegerField(
        _l("Shortest block (minutes)"), validators=[InputRequired(), NumberRange(15, 480)]
    )

    def validate_min_block_minutes(self, field) -> None:
        if field.data is not None and field.data % 15:
            raise ValidationError(
                _("The shortest block is a whole number of quarter hours (15, 30, 45, 60 …).")
            )
