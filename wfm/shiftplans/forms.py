"""Forms of the shift-template and shift-plan pages."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from wfm.admin.forms import MultiCheckboxField
from wfm.models import WEEKDAYS
from wfm.shiftplans.plans import COLUMNS, DEFAULT_COLUMN
from wfm.validators import NumberRange

BREAK_LINE = re.compile(
    r"^\s*(?P<name>[^,]+?)\s*,\s*(?P<minutes>\d+)\s*,\s*(?P<start>\d{1,2}:\d{2})\s*[-–]\s*(?P<end>\d{1,2}:\d{2})"
    r"\s*(?:,\s*(?P<paid>paid|unpaid))?\s*(?:,\s*from\s+(?P<min>\d+)\s*min)?\s*$",
    re.IGNORECASE,
)


def parse_breaks(text: str) -> list[dict]:
    """One break per line: `lunch, 30, 03:00-05:00, unpaid, from 360 min` (offsets from the shift start).

    Raises ValueError naming the line.
    """
    breaks = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = BREAK_LINE.match(line)
        if not match:
            raise ValueError(
                f"line {number}: write 'name, minutes, HH:MM-HH:MM[, paid|unpaid][, from N min]'"
            )
        entry = {
            "name": match["name"],
            "minutes": int(match["minutes"]),
            "window": [match["start"], match["end"]],
            "paid": (match["paid"] or "paid").lower() == "paid",
        }
        if match["min"]:
            entry["min_shift_minutes"] = int(match["min"])
        breaks.append(entry)
    return breaks


def format_breaks(breaks: list[dict]) -> str:
    lines = []
    for b in breaks:
        paid = "paid" if b.get("paid", True) else "unpaid"
        line = f"{b['name']}, {b['minutes']}, {b['window'][0]}-{b['window'][1]}, {paid}"
        if b.get("min_shift_minutes"):
            line += f", from {b['min_shift_minutes']} min"
        lines.append(line)
    return "\n".join(lines)


def parse_lengths(text: str) -> list[int]:
    """'8h, 8h30, 540' -> minutes."""
    lengths = []
    for part in re.split(r"[,\s]+", (text or "").strip()):
        if not part:
            continue
        match = re.fullmatch(r"(\d+)h(\d{2})?|(\d+)", part)
        if not match:
            raise ValueError(f"{part!r}: write lengths as minutes (480) or hours (8h, 8h30)")
        minutes = int(match[3]) if match[3] else int(match[1]) * 60 + int(match[2] or 0)
        if not 60 <= minutes <= 16 * 60:
            raise ValueError(f"{part!r}: a shift lasts between 1 and 16 hours")
        lengths.append(minutes)
    if not lengths:
        raise ValueError("give at least one length")
    return lengths


class TemplateForm(FlaskForm):
    site_id = SelectField("Site", coerce=int, validators=[InputRequired()])
    name = StringField("Name", validators=[DataRequired(), Length(max=80)])
    earliest_start = TimeField("Earliest start", validators=[InputRequired()])
    latest_start = TimeField("Latest start", validators=[InputRequired()])
    step_minutes = IntegerField(
        "Start every (minutes)", default=15, validators=[InputRequired(), NumberRange(5, 240)]
    )
    lengths = StringField("Lengths (e.g. 8h, 8h30 or 480)", validators=[DataRequired()])
    days = MultiCheckboxField(
        "Days it may start",
        coerce=int,
        choices=list(enumerate(WEEKDAYS)),
        validators=[DataRequired("Choose at least one day.")],
    )
    breaks = TextAreaField(
        "Breaks, one per line: name, minutes, window after the start, paid|unpaid, from N min",
        render_kw={"rows": 3, "placeholder": "lunch, 30, 03:00-05:00, unpaid, from 360 min"},
    )
    per_hour = DecimalField(
        "Cost per paid hour", places=2, default=1, validators=[InputRequired(), NumberRange(0)]
    )
    night_multiplier = DecimalField(
        "Night premium (× between 22:00 and 06:00)",
        places=2,
        default=1,
        validators=[InputRequired(), NumberRange(0, 5)],
    )
    weekend_multiplier = DecimalField(
        "Weekend premium (× on Saturday and Sunday)",
        places=2,
        default=1,
        validators=[InputRequired(), NumberRange(0, 5)],
    )
    queue_ids = MultiCheckboxField(
        "Queues it can serve (none ticked: all)", coerce=int, validators=[Optional()]
    )

    def validate_lengths(self, field):
        try:
            parse_lengths(field.data)
        except ValueError as problem:
            raise ValidationError(str(problem)) from problem

    def validate_breaks(self, field):
        try:
            parse_breaks(field.data)
        except ValueError as problem:
            raise ValidationError(str(problem)) from problem


class PlanForm(FlaskForm):
    site_id = SelectField("Site", coerce=int, validators=[InputRequired()])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    start = DateField("First day", validators=[InputRequired()])
    days = IntegerField("Days", default=28, validators=[InputRequired(), NumberRange(1, 42)])
    template_ids = MultiCheckboxField(
        "Shift templates", coerce=int, validators=[DataRequired("Choose templates.")]
    )
    column = SelectField("Cover", choices=list(COLUMNS.items()), default=DEFAULT_COLUMN)
    time_limit = IntegerField(
        "Time limit (seconds)", default=30, validators=[InputRequired(), NumberRange(1, 600)]
    )
    cyclic = BooleanField("Cyclic horizon (the period repeats)")
    by_skill = BooleanField(
        "Plan by skill group (agents counted only on the queues their skills allow; a larger model "
        "that suits small sites or short periods)"
    )
