"""Reading the careers forms: each value checked, errors naming the field (shown next to it, in a sentence,
on the form's own page with what was typed kept; see `wfm.careers.blueprint.refusal`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Form, StringField
from wtforms.fields.choices import Choice
from wtforms.validators import ValidationError
from wtforms.widgets import Select

from wfm.errors import FieldError
from wfm.formatting import num, plain


def text(form: Mapping, name: str, required: bool = True, limit: int = 500) -> str:
    value = (form.get(name) or "").strip()
    if required and not value:
        raise FieldError(name, _("This field is required."))
    if len(value) > limit:
        raise FieldError(name, _("At most %(limit)s characters.", limit=limit))
    return value


def date(form: Mapping, name: str, default: dt.date | None = None) -> dt.date:
    value = (form.get(name) or "").strip()
    if not value and default is not None:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FieldError(name, _("Write a date as YYYY-MM-DD.")) from None


def _bound(value: float) -> str:
    """A limit as people write it: "1,000,000", "0.5" (never "1e+06")."""
    return num(value) if float(value).is_integer() else plain(value)


def number(
    form: Mapping, name: str, low: float, high: float, required: bool = True, integer: bool = False
) -> float | None:
    value = (form.get(name) or "").strip()
    if not value:
        if required:
            raise FieldError(name, _("This field is required."))
        return None
    try:
        parsed = int(value) if integer else float(value)
    except ValueError:
        raise FieldError(name, _("Write a whole number.") if integer else _("Write a number.")) from None
    if not low <= parsed <= high:
        raise FieldError(name, _("Between %(low)s and %(high)s.", low=_bound(low), high=_bound(high)))
    return parsed


def minute(form: Mapping, name: str) -> int:
    value = (form.get(name) or "").strip()
    try:
        hours, minutes = value.split(":")
        result = int(hours) * 60 + int(minutes)
    except ValueError:
        raise FieldError(name, _("Write a time as HH:MM, for example 09:30.")) from None
    if not 0 <= result <= 1440:
        raise FieldError(name, _("A time of day, from 00:00 to 24:00."))
    return result


def code_levels(form: Mapping, name: str) -> dict[str, int]:
    """'english=3, sales=2' -> {'english': 3, 'sales': 2}."""
    out: dict[str, int] = {}
    for part in (form.get(name) or "").split(","):
        part = part.strip()
        if not part:
            continue
        code, _sep, level = part.partition("=")
        try:
            out[code.strip()] = int(level)
        except ValueError:
            raise FieldError(
                name, _("“%(part)s”: write code=number, separated by commas.", part=part)
            ) from None
    return out


def code_thresholds(form: Mapping, name: str) -> dict[str, float]:
    """'adherence=90, handle_seconds=300' -> {'adherence': 90.0, 'handle_seconds': 300.0}."""
    out: dict[str, float] = {}
    for part in (form.get(name) or "").split(","):
        part = part.strip()
        if not part:
            continue
        code, _sep, need = part.partition("=")
        try:
            out[code.strip()] = float(need)
        except ValueError:
            raise FieldError(
                name, _("“%(part)s”: write KPI=number, separated by commas.", part=part)
            ) from None
    return out


def codes(form: Mapping, name: str) -> list[str]:
    return [c.strip() for c in (form.get(name) or "").split(",") if c.strip()]


# Form fields ---------------------------------------------------------------------------------------------


class Checked(StringField):
    """Text read by one of the parsers above: its sentence is the field's error, the parsed value `.value`."""

    def __init__(self, parse, label=None, **kwargs):
        super().__init__(label, **kwargs)
        self.parse = parse
        self.value = None

    def pre_validate(self, form):
        try:
            self.value = self.parse({self.name: self.data or ""}, self.name)
        except FieldError as refused:
            raise ValidationError(refused.message) from None


class Chosen(Checked):
    """A code picked from a list: drawn as a `<select>` of `choices` ((code, name) pairs the page sets), read
    as text like any other (the step checks the code is one it knows)."""

    widget = Select()

    def __init__(self, parse, label=None, **kwargs):
        super().__init__(parse, label, **kwargs)
        self.choices: list[tuple[str, str]] = []

    def has_groups(self) -> bool:
        return False

    def iter_choices(self):
        for code, name in self.choices:
            yield Choice(value=code, label=name, selected=str(code) == str(self.data), render_kw=None)

    _iter_choices_normalized = iter_choices  # what the Select widget reads


def chosen(required: bool = True) -> Chosen:
    return Chosen(lambda data, name: text(data, name, required))


def words(required: bool = True, limit: int = 500) -> Checked:
    return Checked(lambda data, name: text(data, name, required, limit))


def day(default=None) -> Checked:
    """A date; `default` (a date, or a function giving one) when left empty."""
    return Checked(lambda data, name: date(data, name, default() if callable(default) else default))


def amount(low: float, high: float, required: bool = True, integer: bool = False) -> Checked:
    return Checked(lambda data, name: number(data, name, low, high, required, integer))


def clock() -> Checked:
    return Checked(minute)


def levels_by_code() -> Checked:
    return Checked(code_levels)


def kpi_thresholds() -> Checked:
    return Checked(code_thresholds)


def code_list() -> Checked:
    return Checked(lambda data, name: tuple(codes(data, name)))


def first_refusal(form: Form) -> FieldError:
    """The first field's error (in the form's order) as the refusal the page shows."""
    for field in form:
        if field.errors:
            return FieldError(field.name, field.errors[0])
    return FieldError("", _("The form has expired: load the page again and send it once more."))


def _today() -> dt.date:
    return dt.date.today()


class EvidenceForm(FlaskForm):
    """An assessment an agent submits about themselves."""

    competency = chosen()
    proficiency = amount(1, 5, integer=True)
    on = day(_today)
    evidence = words()


class RecordedEvidenceForm(EvidenceForm):
    """An assessment HR records; `source` says where it comes from (a manager by default)."""

    source = words(required=False)


class DecisionForm(FlaskForm):
    """Validate or reject evidence, approve or reject a promotion: the decision and a note."""

    note = words(required=False)
    to = words()


class ResubmitForm(FlaskForm):
    evidence = words(required=False)


class ProposeForm(FlaskForm):
    field = chosen()
    to_level = amount(1, 20, integer=True)
    effective_from = day()
    note = words(required=False)
    override = words(required=False, limit=1000)


class QualityForm(FlaskForm):
    quality_score = amount(0, 100)
    primary_field = chosen(required=False)


class SessionForm(FlaskForm):
    site = chosen(required=False)  # a site's id; none: the first active site
    course = chosen()
    day = day()
    start = clock()
    end = clock()
    capacity = amount(1, 500, integer=True)
    trainer = words(required=False, limit=120)
    location = words(required=False, limit=120)


class EnrolForm(FlaskForm):
    agent_id = Chosen(lambda data, name: number(data, name, 1, 10**9, integer=True))


def results_form(enrolment_ids: list[int], **kwargs) -> FlaskForm:
    """Attendance and a score per enrolment of a session (`attended_<id>`, `score_<id>`); `kwargs` for the
    form (`formdata=None, data=…` for the page's starting values)."""
    fields = {}
    for number in enrolment_ids:
        fields[f"attended_{number}"] = StringField()
        fields[f"score_{number}"] = amount(0, 100, required=False)
    return type("ResultsForm", (FlaskForm,), fields)(**kwargs)


# A level's fields the engine reads (`training.catalogue.Level`'s own names) ...
LEVEL_FIELDS = (
    ("title", lambda: words(limit=120)),
    ("competencies", levels_by_code),
    ("courses", code_list),
    ("certifications", code_list),
    ("tenure_months", lambda: amount(0, 600, integer=True)),
    ("min_quality", lambda: amount(0, 100, required=False)),
    ("requires_levels", levels_by_code),
    ("kpis", kpi_thresholds),
)
# ... and its other texts, the Chinese beside the English (empty: shown in English); a form that does not
# send one keeps what is stored.
LEVEL_TEXTS = (
    ("title_zh", lambda: words(required=False, limit=120)),
    ("description", lambda: words(required=False, limit=300)),
    ("description_zh", lambda: words(required=False, limit=300)),
)
# The field's own name and description, in both languages (the model's attributes after `field_`).
FIELD_TEXTS = (
    ("field_name", lambda: words(limit=160)),
    ("field_name_zh", lambda: words(required=False, limit=160)),
    ("field_description", lambda: words(required=False, limit=300)),
    ("field_description_zh", lambda: words(required=False, limit=300)),
)


def ladder_form(prefixes: list[str], names: bool = True, **kwargs) -> FlaskForm:
    """A field's names (unless `names` is False: a form sent without them keeps them) and its ladder's
    levels, one row of fields per prefix (`l1_`, `l2_`, …, `new_` for a level added on top); `kwargs` for
    the form (`formdata=None, data=…` for the field as stored)."""
    fields = {name: make() for name, make in FIELD_TEXTS} if names else {}
    fields |= {prefix + name: make() for prefix in prefixes for name, make in LEVEL_FIELDS + LEVEL_TEXTS}
    return type("LadderForm", (FlaskForm,), fields)(**kwargs)


# What HR names of tracks, competencies, courses and certifications: (attribute, required, most characters).
CATALOGUE_TEXTS = {
    "track": (("name", True, 120), ("name_zh", False, 120)),
    "competency": (
        ("name", True, 120),
        ("name_zh", False, 120),
        ("description", False, 300),
        ("description_zh", False, 300),
    ),
    "course": (("name", True, 120), ("name_zh", False, 120)),
    "certification": (("name", True, 120), ("name_zh", False, 120)),
}


def catalogue_field(kind: str, code: str, attribute: str) -> str:
    """The form field of one text: 'course:AML-101:name_zh' (codes are kept as they are)."""
    return f"{kind}:{code}:{attribute}"


def catalogue_form(codes: dict[str, list[str]], **kwargs) -> FlaskForm:
    """The names of tracks, competencies, courses and certifications in both languages, by `codes` per kind;
    `kwargs` for the form (`formdata=None, data=…` for the names as stored)."""
    fields = {
        catalogue_field(kind, code, attribute): words(required, limit)
        for kind, kind_codes in codes.items()
        for code in kind_codes
        for attribute, required, limit in CATALOGUE_TEXTS[kind]
    }
    return type("CatalogueForm", (FlaskForm,), fields)(**kwargs)


class PlaceForm(Form):
    """Where training fits (a GET form: the question is in the address, nothing is changed)."""

    site = chosen(required=False)  # a site's id; none: the first active site
    course = chosen()
    week = day()
    attendees = amount(1, 100, integer=True)
