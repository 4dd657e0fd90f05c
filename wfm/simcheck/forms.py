from __future__ import annotations

import datetime as dt

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import InputRequired, Optional, ValidationError

from wfm.simcheck.operations import MAX_REPLICATIONS
from wfm.validators import NumberRange


class CheckForm(FlaskForm):
    demand = SelectField(
        "Contacts to simulate",
        choices=[
            ("forecast", "The forecast it was built from"),
            ("actual", "The actual history of its days"),
        ],
        default="forecast",
    )
    cells = SelectField(
        "Roster to check",
        choices=[("draft", "As it stands now, draft changes included"), ("published", "As last published")],
        default="draft",
    )
    replications = IntegerField(
        "Simulated runs of each day",
        default=30,
        validators=[InputRequired(), NumberRange(1, MAX_REPLICATIONS)],
    )
    start = DateField("From day (empty: the first)", validators=[Optional()])
    days = IntegerField("Days (empty: all)", validators=[Optional(), NumberRange(1, 42)])

    def __init__(self, first: dt.date, last: dt.date, *args, **kwargs):
        """`first` and `last`: the days of the plan or roster checked, the only days a check may start."""
        super().__init__(*args, **kwargs)
        self.first_day, self.last_day = first, last

    def validate_start(self, field):
        if field.data and not self.first_day <= field.data <= self.last_day:
            raise ValidationError(
                f"Choose a day from {self.first_day:%a %d %b %Y} to {self.last_day:%a %d %b %Y}."
            )


class CorrectForm(FlaskForm):
    replications = IntegerField(
        "Simulated runs of each day", default=20, validators=[InputRequired(), NumberRange(1, 200)]
    )
