"""Forms of the planning pages (history, forecasts, targets, special days)."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, DecimalField, IntegerField, RadioField, SelectField, StringField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from scheduling.forecast import METHOD_NAMES
from wfm.admin.forms import MultiCheckboxField
from wfm.forecasting.requirements import MODEL_CHOICES
from wfm.models import WEEKDAYS
from wfm.textfiles import ENCODING_CHOICES
from wfm.validators import NumberRange


class HistoryUploadForm(FlaskForm):
    site_id = SelectField("Site", coerce=int, validators=[InputRequired()])
    kind = RadioField(
        "File",
        default="intervals",
        choices=[
            (
                "intervals",
                "Interval history CSV: interval_start,queue,offered[,handled,abandoned,aht_seconds]",
            ),
            ("calls", "Per-call records (tab-separated, Anonymous Bank layout)"),
        ],
    )
    interval_minutes = IntegerField(
        "Interval length in minutes (intervals: inferred when empty; calls: 15)",
        validators=[Optional(), NumberRange(min=5, max=60)],
    )
    file = FileField("File", validators=[FileRequired("Choose a file to import.")])
    encoding = SelectField(_l("Encoding"), default="auto", choices=ENCODING_CHOICES)

    def validate_interval_minutes(self, field):
        if field.data and 1440 % field.data:
            raise ValidationError("The interval length must divide a day (5, 6, 10, 12, 15, 20, 30 or 60).")


class ForecastForm(FlaskForm):
    queue_ids = MultiCheckboxField(
        "Queues", coerce=int, validators=[DataRequired("Choose at least one queue.")]
    )
    start = DateField("First day", validators=[InputRequired()])
    days = IntegerField("Days", default=14, validators=[InputRequired(), NumberRange(min=1, max=56)])
    method = SelectField(
        "Method",
        default="auto",
        choices=[("auto", "auto: best in rolling backtests")] + [(m, m) for m in METHOD_NAMES],
    )


class TypedForecastForm(FlaskForm):
    """Expected contacts per weekday for a queue without history (fields weekday_0 .. weekday_6)."""

    start = DateField("First day", validators=[InputRequired()])
    days = IntegerField("Days", default=28, validators=[InputRequired(), NumberRange(min=1, max=56)])
    aht_seconds = DecimalField(
        "Handle time (seconds)", places=1, validators=[InputRequired(), NumberRange(min=1, max=36000)]
    )
    profile = SelectField("Spread over the day", default="flat")


for _day, _name in enumerate(WEEKDAYS):
    setattr(
        TypedForecastForm,
        f"weekday_{_day}",
        DecimalField(
            f"Contacts on a {_name}",
            places=1,
            default=0,
            validators=[InputRequired(), NumberRange(min=0, max=1_000_000)],
        ),
    )


class AdjustForm(FlaskForm):
    first_day = DateField("From day", validators=[InputRequired()])
    last_day = DateField("To day (inclusive)", validators=[InputRequired()])
    from_time = TimeField("From time (optional)", validators=[Optional()])
    to_time = TimeField("To time (optional, exclusive)", validators=[Optional()])
    percent = DecimalField(
        "Change (%)", places=1, validators=[InputRequired(), NumberRange(min=-100, max=500)]
    )
    reason = StringField("Reason", validators=[DataRequired(), Length(max=200)])

    def validate_last_day(self, field):
        if self.first_day.data and field.data and field.data < self.first_day.data:
            raise ValidationError("The last day comes before the first.")

    def ranges(self) -> list[tuple[dt.datetime, dt.datetime]]:
        """One [start, end) range per day when times are given, else one range over the whole days."""
        first, last = self.first_day.data, self.last_day.data
        if not self.from_time.data and not self.to_time.data:
            return [
                (
                    dt.datetime.combine(first, dt.time()),
                    dt.datetime.combine(last + dt.timedelta(days=1), dt.time()),
                )
            ]
        begin = self.from_time.data or dt.time()
        days = (last - first).days + 1
        out = []
        for offset in range(days):
            day = first + dt.timedelta(days=offset)
            end = (
                dt.datetime.combine(day, self.to_time.data)
                if self.to_time.data
                else dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
            )
            out.append((dt.datetime.combine(day, begin), end))
        return out


class TargetsForm(FlaskForm):
    import_codes = StringField(
        "Import codes (names in imported files, comma-separated)", validators=[Optional(), Length(max=200)]
    )
    staffing_model = SelectField("Model", choices=MODEL_CHOICES)
    service_level_percent = DecimalField(
        "Service level (%)", places=1, validators=[Optional(), NumberRange(1, 99.9)]
    )
    answer_seconds = IntegerField("…answered within (seconds)", validators=[Optional(), NumberRange(min=1)])
    deadline_hours = DecimalField(
        "Completion deadline (hours, deferred work)", places=2, validators=[Optional(), NumberRange(min=0.25)]
    )
    max_asa_seconds = DecimalField(
        "Most average speed of answer (seconds)", places=1, validators=[Optional(), NumberRange(min=1)]
    )
    max_abandon_percent = DecimalField(
        "Most abandoned (%, Erlang A and B)", places=1, validators=[Optional(), NumberRange(0.1, 100)]
    )
    max_occupancy_percent = DecimalField(
        "Most occupancy (%)", places=1, validators=[Optional(), NumberRange(10, 100)]
    )
    shrinkage_percent = DecimalField(
        "Shrinkage (%)", places=1, validators=[InputRequired(), NumberRange(0, 80)]
    )
    aht_seconds = DecimalField(
        "Handle time when history has none (seconds)",
        places=1,
        validators=[InputRequired(), NumberRange(min=1)],
    )
    patience_seconds = DecimalField(
        "Callers' mean patience (seconds, Erlang A)", places=1, validators=[Optional(), NumberRange(min=1)]
    )


class SpecialDayForm(FlaskForm):
    site_id = SelectField("Site", coerce=int, validators=[InputRequired()])
    day = DateField("Day", validators=[InputRequired()])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    kind = RadioField(
        "Treat it as",
        default="uplift",
        choices=[("uplift", "the usual day, scaled"), ("like", "like another day"), ("closed", "closed")],
    )
    uplift_percent = DecimalField(
        "Change (%)", places=1, default=0, validators=[Optional(), NumberRange(-100, 500)]
    )
    like_day = DateField("Like this day", validators=[Optional()])

    def validate_like_day(self, field):
        if self.kind.data == "like" and not field.data:
            raise ValidationError("Choose the day it will be like.")
        if self.kind.data == "like" and field.data == self.day.data:
            raise ValidationError("Choose another day than the special day itself.")
