"""Forms for the organisation pages. Choices are filled by the view from the database."""

from __future__ import annotations

import re
import zoneinfo
from functools import cache

import holidays
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from wfm.i18n import is_chinese
from wfm.models import AgentStatus, Channel, Role
from wfm.models.organisation import CHANNEL_LABELS, STATUS_LABELS
from wfm.navigation import ROLE_LABELS
from wfm.validators import NumberRange

HOURS_PATTERN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(z, z) for z in sorted(zoneinfo.available_timezones()) if "/" in z and not z.startswith("Etc/")]


@cache
def country_choices() -> list[tuple[str, str]]:
    """ISO 3166 codes of the countries whose public holidays the `holidays` package knows."""
    names = get_locale().territories if is_chinese() else {}  # English keeps the codes as they were
    return [(code, names.get(code, code)) for code in sorted(holidays.list_supported_countries())]


def parse_hours(value: str) -> tuple[int, int] | None:
    """'07:00-24:00' -> (420, 1440); '' or 'closed' -> None. Raises ValueError with a readable reason."""
    value = (value or "").strip()
    if value.lower() in ("", "closed"):
        return None
    match = HOURS_PATTERN.match(value)
    if not match:
        raise ValueError(_("write opening hours as HH:MM-HH:MM, or leave empty when closed"))
    oh, om, ch, cm = (int(g) for g in match.groups())
    opens, closes = oh * 60 + om, ch * 60 + cm
    if om >= 60 or cm >= 60 or opens >= 1440 or closes > 1440:
        raise ValueError(_("hours run from 00:00 to 24:00"))
    if closes <= opens:
        raise ValueError(_("closing time must come after opening time (use 24:00 for midnight)"))
    return opens, closes


def format_hours(opens: int, closes: int) -> str:
    return f"{opens // 60:02d}:{opens % 60:02d}-{closes // 60:02d}:{closes % 60:02d}"


class HoursField(StringField):
    def pre_validate(self, form):
        try:
            parse_hours(self.data)
        except ValueError as problem:
            raise ValidationError(str(problem)) from problem


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SiteForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    # IANA zone names and ISO codes are identifiers (in Chinese the countries Babel knows are named)
    time_zone = SelectField(_l("Time zone"), validators=[DataRequired()], render_kw={"translate": "no"})
    country = SelectField(
        _l("Country (public holidays)"), validators=[DataRequired()], render_kw={"translate": "no"}
    )
    hours_0 = HoursField(_l("Monday hours"))
    hours_1 = HoursField(_l("Tuesday hours"))
    hours_2 = HoursField(_l("Wednesday hours"))
    hours_3 = HoursField(_l("Thursday hours"))
    hours_4 = HoursField(_l("Friday hours"))
    hours_5 = HoursField(_l("Saturday hours"))
    hours_6 = HoursField(_l("Sunday hours"))
    max_agents_at_once = IntegerField(
        _l("Seats: most agents on shift at once (empty: no limit)"),
        validators=[Optional(), NumberRange(min=1)],
    )
    max_starts_per_interval = IntegerField(
        _l("Most shifts starting in one interval (empty: no limit)"),
        validators=[Optional(), NumberRange(min=1)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone.choices = time_zone_choices()
        self.country.choices = country_choices()

    def hour_fields(self):
        return [getattr(self, f"hours_{d}") for d in range(7)]

    def opening_hours(self) -> dict[int, tuple[int, int]]:
        hours = {}
        for day, field in enumerate(self.hour_fields()):
            parsed = parse_hours(field.data)
            if parsed:
                hours[day] = parsed
        return hours


class SkillForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=500)])


class TeamForm(FlaskForm):
    site_id = SelectField(_l("Site"), coerce=int, validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])


class QueueForm(FlaskForm):
    site_id = SelectField(_l("Site"), coerce=int, validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    channel = SelectField(_l("Channel"), choices=[(c.value, CHANNEL_LABELS[c.value]) for c in Channel])
    service_level_percent = DecimalField(
        _l("Service level target (%)"), places=1, validators=[Optional(), NumberRange(min=1, max=100)]
    )
    answer_seconds = IntegerField(
        _l("…answered within (seconds)"), validators=[Optional(), NumberRange(min=1)]
    )
    deadline_hours = DecimalField(
        _l("Completion deadline (hours, deferred work)"),
        places=2,
        validators=[Optional(), NumberRange(min=0.25)],
    )
    concurrency = IntegerField(
        _l("Contacts an agent handles at once"),
        default=1,
        validators=[InputRequired(), NumberRange(min=1, max=10)],
    )
    skill_id = SelectField(_l("Required skill"), coerce=int, validators=[InputRequired()])
    min_proficiency = IntegerField(
        _l("Minimum proficiency (1–5)"), default=1, validators=[InputRequired(), NumberRange(min=1, max=5)]
    )

    def validate(self, extra_validators=None) -> bool:
        """Which target a queue needs depends on its channel (field validators cannot see that)."""
        valid = super().validate(extra_validators)
        deferred = self.channel.data in (Channel.EMAIL.value, Channel.BACK_OFFICE.value)
        problems = []
        if not deferred and self.service_level_percent.data is None:
            problems.append((self.service_level_percent, _("Live channels need a service level target.")))
        if not deferred and self.answer_seconds.data is None:
            problems.append(
                (self.answer_seconds, _("Live channels need the seconds within which contacts are answered."))
            )
        if deferred and self.deadline_hours.data is None:
            problems.append(
                (self.deadline_hours, _("E-mail and back-office work need a completion deadline."))
            )
        if (self.concurrency.data or 1) > 1 and self.channel.data not in (
            Channel.CHAT.value,
            Channel.EMAIL.value,
        ):
            problems.append(
                (self.concurrency, _("Only chat and e-mail agents handle several contacts at once."))
            )
        for field, message in problems:
            if not field.errors:
                field.errors = [*field.errors, message]
        return valid and not problems


class AgentForm(FlaskForm):
    employee_number = StringField(_l("Employee number"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    site_id = SelectField(_l("Site"), coerce=int, validators=[InputRequired()])
    team_id = SelectField(_l("Team"), coerce=int, validators=[Optional()])
    hire_date = DateField(_l("Hire date"), validators=[InputRequired()])
    contracted_hours = DecimalField(
        _l("Contracted hours per week"), places=1, validators=[InputRequired(), NumberRange(min=1, max=60)]
    )
    status = SelectField(
        _l("Status"),
        choices=[(s.value, STATUS_LABELS[s.value]) for s in AgentStatus if s != AgentStatus.LEFT],
    )


class AgentSkillForm(FlaskForm):
    skill_id = SelectField(_l("Skill"), coerce=int, validators=[InputRequired()])
    proficiency = IntegerField(
        _l("Proficiency (1–5, 0 removes the skill)"), validators=[InputRequired(), NumberRange(min=0, max=5)]
    )
    effective_from = DateField(_l("Effective from"), validators=[InputRequired()])


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(min=2, max=64)])
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        _l("E-mail"), validators=[Optional(), Email(check_deliverability=False), Length(max=200)]
    )
    password = PasswordField(
        _l("Password (leave empty to keep the current one; at least 12 characters, hard to guess)"),
        validators=[Optional(), Length(max=256)],
    )
    roles = MultiCheckboxField(
        _l("Roles"), choices=[(r.value, ROLE_LABELS.get(r.value, r.value)) for r in Role]
    )
    agent_id = SelectField(_l("Linked agent (agent users)"), coerce=int, validators=[Optional()])

    def validate_roles(self, field):
        if not field.data:
            raise ValidationError(_("Give the user at least one role."))

    def validate_agent_id(self, field):
        if Role.AGENT.value in (self.roles.data or []) and not field.data:
            raise ValidationError(_("An agent user must be linked to an agent record."))


class ActivateForm(FlaskForm):
    """Deactivate or reactivate: a POST with a CSRF token."""

    active = BooleanField(_l("Active"))


class UnlockForm(FlaskForm):
    """Lift a sign-in lockout: a POST with a CSRF token."""


class ChangeLogFilterForm(FlaskForm):
    """The change-log page's filters (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    entity = SelectField(_l("Record type"), validators=[Optional()])
    entity_id = StringField(_l("Record id"), validators=[Optional(), Length(max=60)])
    user_id = SelectField(_l("User"), coerce=int, validators=[Optional()])
    source = SelectField(
        _l("Source"),
        choices=[
            ("", _l("any")),
            ("web", _l("web page")),
            ("api", _l("API")),
            ("job", _l("background job")),
            ("cli", _l("command line")),
        ],
        validators=[Optional()],
    )
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To (inclusive)"), validators=[Optional()])

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_("The end date is before the start date."))
