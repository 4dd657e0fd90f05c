from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DecimalField, IntegerField, SelectField, StringField, TimeField
from wtforms.validators import InputRequired, Length, Optional

from wfm.selfservice.timeoff import KINDS
from wfm.validators import NumberRange


class TimeOffForm(FlaskForm):
    kind = SelectField(
        _l("Type"), choices=[(k, label) for k, (label, _c) in KINDS.items()], default="vacation"
    )
    first_day = DateField(_l("First day"), validators=[InputRequired()])
    last_day = DateField(_l("Last day"), validators=[InputRequired()])
    part_from = TimeField(_l("Part day: from"), validators=[Optional()])
    part_to = TimeField(_l("Part day: to"), validators=[Optional()])
    note = StringField(_l("Note"), validators=[Length(max=300)])

    def minutes(self) -> tuple[int | None, int | None]:
        def of(value):
            return None if value is None else value.hour * 60 + value.minute

        to = of(self.part_to.data)
        return of(self.part_from.data), (1440 if to == 0 and self.part_from.data else to)


class OfferForm(FlaskForm):
    day = SelectField(_l("My shift"), validators=[InputRequired()])
    note = StringField(_l("Note"), validators=[Length(max=300)])


class SwapForm(FlaskForm):
    day = SelectField(_l("My shift"), validators=[InputRequired()])
    partner_id = SelectField(_l("Colleague"), coerce=int, validators=[InputRequired()])
    partner_day = DateField(
        _l("Their day (their shift that day becomes yours)"), validators=[InputRequired()]
    )
    note = StringField(_l("Note"), validators=[Length(max=300)])


class DecisionForm(FlaskForm):
    note = StringField(_l("Note to the agent"), validators=[Length(max=300)])


class PolicyForm(FlaskForm):
    allowance_days = DecimalField(
        _l("Yearly allowance (days)"), places=1, validators=[InputRequired(), NumberRange(0, 366)]
    )
    auto_approve = BooleanField(_l("Approve requests automatically while few are away"))
    daily_allotment = IntegerField(
        _l("At most this many agents away a day (auto-approval)"),
        validators=[InputRequired(), NumberRange(0, 1000)],
    )


class AllowanceForm(FlaskForm):
    employee_number = StringField(_l("Employee number"), validators=[InputRequired(), Length(max=32)])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])
    days = DecimalField(_l("Days"), places=1, validators=[InputRequired(), NumberRange(0, 366)])
