"""Agents' availability windows and wishes, the roster's inputs that are about the person."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, IntegerField, SelectField, StringField, ValidationError
from wtforms.validators import InputRequired, Optional

from wfm.admin.forms import format_hours, parse_hours
from wfm.extensions import db
from wfm.formatting import counted
from wfm.i18n.dates import written
from wfm.models import Agent, Availability, ShiftTemplate, Wish
from wfm.rosters.labels import WEEKDAYS, weekday_name
from wfm.validators import NumberRange

NOT_AVAILABLE = "none"
NOT_AVAILABLE_WORDS = (NOT_AVAILABLE, "无")  # what a person may type for "not available that weekday"


class AvailabilityField(StringField):
    def pre_validate(self, form):
        if (self.data or "").strip().lower() in NOT_AVAILABLE_WORDS:
            return
        try:
            parse_hours(self.data)
        except ValueError as problem:
            raise ValidationError(str(problem)) from problem


class AvailabilityForm(FlaskForm):
    pass


for _day, _name in enumerate(WEEKDAYS):
    setattr(
        AvailabilityForm,
        f"day_{_day}",
        AvailabilityField(_l("%(day)s (HH:MM-HH:MM, empty: any time, 'none')", day=_name)),
    )


class WishForm(FlaskForm):
    kind = SelectField(
        _l("Wish"),
        choices=[("off", _l("a day off")), ("work", _l("to work")), ("avoid", _l("not this shift"))],
    )
    weekday = SelectField(_l("Every"), coerce=int, choices=[(-1, "—"), *enumerate(WEEKDAYS)])
    day = DateField(_l("…or on"), validators=[Optional()])
    template = SelectField(_l("Shift template (for 'not this shift')"), validators=[Optional()])
    weight = IntegerField(_l("Weight (1-10)"), default=5, validators=[InputRequired(), NumberRange(1, 10)])

    def validate_day(self, field):
        if field.data is None and self.weekday.data < 0:
            raise ValidationError(_("Choose a weekday or a date."))

    def validate_template(self, field):
        if self.kind.data == "avoid" and not field.data:
            raise ValidationError(_("Choose the shift template to avoid."))


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
        opens, closes = (0, 0) if text.lower() in NOT_AVAILABLE_WORDS else parse_hours(text)
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
        template=template if kind in ("avoid", "prefer") else None,
        weight=weight,
    )
    db.session.add(wish)
    db.session.flush()
    return wish


def _when(wish: Wish) -> str:
    if wish.day is None:
        return _("every %(weekday)s", weekday=weekday_name(wish.weekday))
    when = written(wish.day, "day_year")
    if wish.last_day and wish.last_day != wish.day:
        when = _("%(first)s to %(last)s", first=when, last=written(wish.last_day, "day_year"))
    if wish.from_minute is not None and wish.to_minute is not None:
        when += f", {format_hours(wish.from_minute, wish.to_minute).replace('-', '–')}"
    return when


def wish_words(wish: Wish) -> str:
    """What the wish asks and when, in words (no weight: agents read this too)."""
    what = {
        "off": lambda: _("a day off"),
        "work": lambda: _("to work"),
        "avoid": lambda: _("not a %(template)s shift", template=wish.template),
        "prefer": lambda: _("a %(template)s shift when working", template=wish.template),
        "unavailable": lambda: _("cannot work"),
    }[wish.kind]()
    return _("%(what)s, %(when)s", what=what, when=_when(wish))


def describe_wish(wish: Wish) -> str:
    """For the scheduler: the wish, its weight, and whether the agent entered it."""
    by_agent = wish.entered_by_id is not None and wish.entered_by_id == _user_of(wish.agent_id)
    if by_agent:
        return _(
            "%(wish)s (weight %(weight)s, entered by the agent)", wish=wish_words(wish), weight=wish.weight
        )
    return _("%(wish)s (weight %(weight)s)", wish=wish_words(wish), weight=wish.weight)


def _user_of(agent_id: int) -> int | None:
    from wfm.models import User

    return db.session.scalar(select(User.id).where(User.agent_id == agent_id))


# ---- what agents enter themselves --------------------------------------------------------------------------

AGENT_AHEAD_DAYS = 366  # how far ahead an agent may enter a wish
AGENT_PERIOD_DAYS = 92  # the longest period of one "cannot work" entry
UNAVAILABLE_WEIGHT = 20  # as strong as a requested day off (rosters.problem.WISH_WEIGHT)


def _future_day(field, today: dt.date) -> None:
    if field.data is None:
        return
    if field.data <= today:
        raise ValidationError(_("The day must be after today."))
    if field.data > today + dt.timedelta(days=AGENT_AHEAD_DAYS):
        raise ValidationError(_("Wishes go at most %(days)s ahead.", days=counted(AGENT_AHEAD_DAYS, "day")))


class CannotWorkForm(FlaskForm):
    first_day = DateField(_l("From"), validators=[InputRequired(message=_l("Give the first day."))])
    last_day = DateField(_l("To (empty: that day only)"), validators=[Optional()])
    hours = StringField(_l("Hours (HH:MM-HH:MM; empty: the whole day)"), validators=[Optional()])

    def validate_first_day(self, field):
        _future_day(field, dt.date.today())

    def validate_last_day(self, field):
        if field.data is None or self.first_day.data is None:
            return
        if field.data < self.first_day.data:
            raise ValidationError(_("The last day must be on or after the first day."))
        if (field.data - self.first_day.data).days >= AGENT_PERIOD_DAYS:
            raise ValidationError(
                _("Enter at most %(days)s at once.", days=counted(AGENT_PERIOD_DAYS, "day"))
            )

    def validate_hours(self, field):
        try:
            parse_hours(field.data)
        except ValueError as problem:
            raise ValidationError(
                _(
                    "Write the hours as HH:MM-HH:MM (for example 17:00-22:00), "
                    "or leave them empty for the whole day."
                )
                if "HH:MM" in str(problem)
                else str(problem).capitalize() + "."
            ) from problem


class AgentWishForm(FlaskForm):
    kind = SelectField(
        _l("I would like"),
        choices=[("off", _l("a day off")), ("prefer", _l("this shift")), ("avoid", _l("not this shift"))],
    )
    weekday = SelectField(_l("Every"), coerce=int, choices=[(-1, "—"), *list(enumerate(WEEKDAYS))])
    day = DateField(_l("…or on"), validators=[Optional()])
    template = SelectField(_l("Shift"), validators=[Optional()])
    weight = SelectField(
        _l("How much it matters"),
        coerce=int,
        choices=[(2, _l("a little")), (5, _l("quite")), (8, _l("a lot"))],
    )

    def validate_day(self, field):
        if field.data is None and self.weekday.data < 0:
            raise ValidationError(_("Choose a weekday or a date."))
        _future_day(field, dt.date.today())

    def validate_template(self, field):
        if self.kind.data in ("prefer", "avoid") and not field.data:
            raise ValidationError(_("Choose the shift."))


def add_unavailable(agent: Agent, form: CannotWorkForm, user_id: int) -> Wish:
    window = parse_hours(form.hours.data) if form.hours.data else None
    wish = Wish(
        agent_id=agent.id,
        kind="unavailable",
        weekday=None,
        day=form.first_day.data,
        last_day=form.last_day.data
        if form.last_day.data and form.last_day.data != form.first_day.data
        else None,
        from_minute=window[0] if window else None,
        to_minute=window[1] if window else None,
        weight=UNAVAILABLE_WEIGHT,
        entered_by_id=user_id,
    )
    db.session.add(wish)
    db.session.flush()
    return wish


def add_agent_wish(agent: Agent, form: AgentWishForm, user_id: int) -> Wish:
    wish = add_wish(
        agent,
        kind=form.kind.data,
        weekday=form.weekday.data,
        day=form.day.data,
        template=form.template.data or None,
        weight=form.weight.data,
    )
    wish.entered_by_id = user_id
    db.session.flush()
    return wish


def template_names(site_id: int) -> list[str]:
    return sorted(
        {t.name for t in db.session.scalars(select(ShiftTemplate).where(ShiftTemplate.site_id == site_id))}
    )
