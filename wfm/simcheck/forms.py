from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import InputRequired, Optional, ValidationError

from wfm.i18n.dates import written
from wfm.simcheck.operations import MAX_REPLICATIONS
from wfm.validators import NumberRange


class CheckForm(FlaskForm):
    demand = SelectField(
        _l("Contacts to simulate"),
        choices=[
            ("forecast", _l("The forecast it was built from")),
            ("actual", _l("The actual history of its days")),
        ],
        default="forecast",
    )
    cells = SelectField(
        _l("Roster to check"),
        choices=[
            ("draft", _l("As it stands now, draft changes included")),
            ("published", _l("As last published")),
        ],
        default="draft",
    )
    replications = IntegerField(
        _l("Simulated runs of each day"),
        default=30,
        validators=[InputRequired(), NumberRange(1, MAX_REPLICATIONS)],
    )
    start = DateField(_l("From day (empty: the first)"), validators=[Optional()])
    days = IntegerField(_l("Days (empty: all)"), validators=[Optional(), NumberRange(1, 42)])

    def __init__(self, first: dt.date, last: dt.date, *args, **kwargs):
        """`first` and `last`: the days of the plan or roster checked, the only days a check may start."""
        super().__init__(*args, **kwargs)
        self.first_day, self.last_day = first, last

    def validate_start(self, field):
        if field.data and not self.first_day <= field.data <= self.last_day:
            raise ValidationError(
                _(
                    "Choose a day from %(first)s to %(last)s.",
                    first=written(self.first_day, "day_year"),
                    last=written(self.last_day, "day_year"),
                )
            )


class CorrectForm(FlaskForm):
    replications = IntegerField(
        _l("Simulated runs of each day"), default=20, validators=[InputRequired(), NumberRange(1, 200)]
    )
