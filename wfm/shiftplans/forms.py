"""Forms of the shift-template and shift-plan pages."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
from wfm.rosters import labels
from wfm.shiftplans.plans import DEFAULT_COLUMN
from wfm.validators import NumberRange

# A break line in English or Chinese words ("unpaid, from 360 min" · "无薪，满 360 分钟"), either comma.
BREAK_LINE = re.compile(
    r"^\s*(?P<name>[^,，]+?)\s*[,，]\s*(?P<minutes>\d+)\s*[,，]\s*(?P<start>\d{1,2}:\d{2})\s*[-–]\s*"
    r"(?P<end>\d{1,2}:\d{2})\s*(?:[,，]\s*(?P<paid>paid|unpaid|带薪|无薪))?"
    r"\s*(?:[,，]\s*(?:from\s+(?P<min>\d+)\s*min|满\s*(?P<min_zh>\d+)\s*分钟))?\s*$",
    re.IGNORECASE,
)
PAID_WORDS = {"paid": True, "unpaid": False, "带薪": True, "无薪": False}


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
                _(
                    "line %(line)s: write 'name, minutes, HH:MM-HH:MM[, paid|unpaid][, from N min]'",
                    line=number,
                )
            )
        entry = {
            "name": match["name"],
            "minutes": int(match["minutes"]),
            "window": [match["start"], match["end"]],
            "paid": PAID_WORDS[(match["paid"] or "paid").lower()],
        }
        if match["min"] or match["min_zh"]:
            entry["min_shift_minutes"] = int(match["min"] or match["min_zh"])
        breaks.append(entry)
    return breaks


def format_breaks(breaks: list[dict]) -> str:
    lines = []
    for b in breaks:
        paid = _("paid") if b.get("paid", True) else _("unpaid")
        line = f"{b['name']}, {b['minutes']}, {b['window'][0]}-{b['window'][1]}, {paid}"
        if b.get("min_shift_minutes"):
            line += ", " + _("from %(minutes)s min", minutes=b["min_shift_minutes"])
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
            raise ValueError(
                _("%(part)s: write lengths as minutes (480) or hours (8h, 8h30)", part=repr(part))
            )
        minutes = int(match[3]) if match[3] else int(match[1]) * 60 + int(match[2] or 0)
        if not 60 <= minutes <= 16 * 60:
            raise ValueError(_("%(part)s: a shift lasts between 1 and 16 hours", part=repr(part)))
        lengths.append(minutes)
    if not lengths:
        raise ValueError(_("give at least one length"))
    return lengths


class TemplateForm(FlaskForm):
    site_id = SelectField(_l("Site"), coerce=int, validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    earliest_start = TimeField(_l("Earliest start"), validators=[InputRequired()])
    latest_start = TimeField(_l("Latest start"), validators=[InputRequired()])
    step_minutes = IntegerField(
        _l("Start every (minutes)"), default=15, validators=[InputRequired(), NumberRange(5, 240)]
    )
    lengths = StringField(_l("Lengths (e.g. 8h, 8h30 or 480)"), validators=[DataRequired()])
    days = MultiCheckboxField(
        _l("Days it may start"),
        coerce=int,
        choices=list(enumerate(labels.WEEKDAYS)),
        validators=[DataRequired(_l("Choose at least one day."))],
    )
    breaks = TextAreaField(
        _l("Breaks, one per line: name, minutes, window after the start, paid|unpaid, from N min"),
        render_kw={"rows": 3, "placeholder": _l("lunch, 30, 03:00-05:00, unpaid, from 360 min")},
    )
    per_hour = DecimalField(
        _l("Cost per paid hour"), places=2, default=1, validators=[InputRequired(), NumberRange(0)]
    )
    night_multiplier = DecimalField(
        _l("Night premium (× between 22:00 and 06:00)"),
        places=2,
        default=1,
        validators=[InputRequired(), NumberRange(0, 5)],
    )
    weekend_multiplier = DecimalField(
        _l("Weekend premium (× on Saturday and Sunday)"),
        places=2,
        default=1,
        validators=[InputRequired(), NumberRange(0, 5)],
    )
    queue_ids = MultiCheckboxField(
        _l("Queues it can serve (none ticked: all)"), coerce=int, validators=[Optional()]
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
    site_id = SelectField(_l("Site"), coerce=int, validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    start = DateField(_l("First day"), validators=[InputRequired()])
    days = IntegerField(_l("Days"), default=28, validators=[InputRequired(), NumberRange(1, 42)])
    template_ids = MultiCheckboxField(
        _l("Shift templates"), coerce=int, validators=[DataRequired(_l("Choose templates."))]
    )
    column = SelectField(
        _l("Cover"),
        choices=[
            ("scheduled_agents", _l("agents to schedule (with shrinkage)")),
            ("agents", _l("agents on the phones")),
        ],
        default=DEFAULT_COLUMN,
    )
    time_limit = IntegerField(
        _l("Time limit (seconds)"), default=30, validators=[InputRequired(), NumberRange(1, 600)]
    )
    cyclic = BooleanField(_l("Cyclic horizon (the period repeats)"))
    by_skill = BooleanField(
        _l(
            "Plan by skill group (agents counted only on the queues their skills allow; a larger model "
            "that suits small sites or short periods)"
        )
    )
