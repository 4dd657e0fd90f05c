from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import InputRequired, Optional

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


class CorrectForm(FlaskForm):
    replications = IntegerField(
        "Simulated runs of each day", default=20, validators=[InputRequired(), NumberRange(1, 200)]
    )
