"""Agents' availability windows and wishes, the roster's inputs that are about the person."""

from __future__ import annotations

import datetime as dt

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, IntegerField, SelectField, StringField, ValidationError
from wtforms.validators import InputRequired, Optional

from wfm.admin.forms import format_hours, parse_hours
from wfm.extensions import db
from wfm.models import WEEKDAYS, Agent, Availability, Wish
from wfm.validators import NumberRange

NOT_AVAILABLE = "none"


class AvailabilityField(StringField):
    def pre_validate(self, form):
        if (self.data or "").strip().lower() == NOT_AVAILABLE:
            return
        try:
            parse_hours(self.data)
        except ValueError as problem:
            raise ValidationError(str(problem)) from problem


class AvailabilityForm(FlaskForm):
    pass


for _day, _name in enumerate(WEEKDAYS):
    setattr(
        AvailabilityForm, f"day_{_day}", AvailabilityField(f"{_name} (HH:MM-HH:MM, empty: any time, 'none')")
    )


class WishForm(FlaskForm):
    kind = SelectField(
        "Wish", choices=[("off", "a day off"), ("work", "to work"), ("avoid", "not this shift")]
    )
    weekday = SelectField("Every", coerce=int, choices=[(-1, "—"), *enumerate(WEEKDAYS)])
    day = DateField("…or on", validators=[Optional()])
    template = SelectField("Shift template (for 'not this shift')", validators=[Optional()])
    weight = IntegerField("Weight (1-10)", default=5, validators=[InputRequired(), NumberRange(1, 10)])

    def validate_day(self, field):
        if field.data is None and self.weekday.data < 0:
            raise ValidationError("Choose a weekday or a date.")

    def validate_template(self, field):
        if self.kind.data == "avoid" and not field.data:
            raise ValidationError("Choose the shift template to avoid.")


def fill_availability(form: AvailabilityForm, agent: Agent) -> None:
    windows = {
        w.weekday: w
        for w in db.session.scalars(select(Availability).where(Availability.agent_id == agent.id))
    }
    for day in range(7):
        window = windows.get(day)
        field = getattr(form, f"day_{day}")
        if window is None:
            field.data = ""
        elif window.from_minute >= window.to_minute:
            field.data = NOT_AVAILABLE
        else:
            field.data = format_hours(window.from_minute, window.to_minute)


def save_availability(agent: Agent, form: AvailabilityForm) -> None:
    existing = {
        w.weekday: w
        for w in db.session.scalars(select(Availability).where(Availability.agent_id == agent.id))
    }
    for day in range(7):
        text = (getattr(form, f"day_{day}").data or "").strip()
        window = existing.get(day)
        if not text:
            if window is not None:
                db.session.delete(window)
            continue
        opens, closes = (0, 0) if text.lower() == NOT_AVAILABLE else parse_hours(text)
        if window is None:
            db.session.add(Availability(agent_id=agent.id, weekday=day, from_minute=opens, to_minute=closes))
        else:
            window.from_minute, window.to_minute = opens, closes
    db.session.flush()


def add_wish(
    agent: Agent, *, kind: str, weekday: int, day: dt.date | None, template: str | None, weight: int
) -> Wish:
    wish = Wish(
        agent_id=agent.id,
        kind=kind,
        weekday=None if day else weekday,
        day=day,
        template=template if kind == "avoid" else None,
        weight=weight,
    )
    db.session.add(wish)
    db.session.flush()
    return wish


def describe_wish(wish: Wish) -> str:
    when = wish.day.strftime("%a %d %b %Y") if wish.day else f"every {WEEKDAYS[wish.weekday]}"
    what = {"off": "a day off", "work": "to work", "avoid": f"not a {wish.template} shift"}[wish.kind]
    return f"{what}, {when} (weight {wish.weight})"
