"""The careers blueprint and what its three view modules share: how a refused form is shown.

HR's pages (`views`), an agent's own (`agent_views`) and training (`training_views`) each add their routes
to `blueprint`; `wfm.create_app` imports the three and registers it. They import this module, never each
other, so no view module depends on another being imported first.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from flask_wtf import FlaskForm

from training.catalogue import CatalogueError
from training.workflow import NotAllowed, WorkflowError
from wfm.careers.forms import first_refusal
from wfm.careers.store import track_names
from wfm.errors import FieldError
from wfm.i18n import translate
from wfm.i18n.dates import written
from wfm.unit_of_work import commit_or_refuse, rollback

blueprint = Blueprint("careers", __name__, url_prefix="/careers")


# The states of evidence, promotions, training requests, applications and evaluations, as a person reads
# them (a context of their own: the same English words name other things elsewhere, shift offers say).
def _states() -> dict[str, str]:
    return {
        "submitted": pgettext("career state", "submitted"),
        "validated": pgettext("career state", "validated"),
        "rejected": pgettext("career state", "rejected"),
        "proposed": pgettext("career state", "proposed"),
        "approved": pgettext("career state", "approved"),
        "requested": pgettext("career state", "requested"),
        "refused": pgettext("career state", "refused"),
        "applied": pgettext("career state", "applied"),
        "shortlisted": pgettext("career state", "shortlisted"),
        "offered": pgettext("career state", "offered"),
        "accepted": pgettext("career state", "accepted"),
        "declined": pgettext("career state", "declined"),
        "not taken": pgettext("career state", "not taken"),
        "withdrawn": pgettext("career state", "withdrawn"),
        "final": pgettext("career state", "final"),
        "disputed": pgettext("career state", "disputed"),
        "upheld": pgettext("career state", "upheld"),
        "cancelled": pgettext("career state", "cancelled"),
    }


# Who took a workflow step (the role that permitted it).
ROLE_NAMES = {
    "agent": _l("agent"),
    "hr": _l("HR"),
    "admin": _l("admin"),
    "scheduler": _l("scheduler"),
    "manager": _l("manager"),
}
# The buttons that take an application to its next state.
APPLICATION_STEPS = {
    "shortlisted": _l("Shortlisted"),
    "offered": _l("Offered"),
    "not taken": _l("Not taken"),
    "accepted": _l("Accept"),
    "declined": _l("Decline the offer"),
    "withdrawn": _l("Withdraw"),
}
A_MONDAY = dt.date(2024, 1, 1)


@blueprint.app_template_filter("translated")
def translated(message: object) -> str:
    """An engine's sentence (or a catalogued English one) in the reader's language, for `map`."""
    return translate(message)


@blueprint.app_template_filter("career_role")
def career_role(role: str) -> str:
    """A role in words ('hr' -> HR / 人力资源); an unknown one as it is."""
    return str(ROLE_NAMES.get(role, role))


@blueprint.app_template_filter("career_state")
def career_state(state: str) -> str:
    """A workflow state in words ('validated' -> validated / 已确认); an unknown one as it is."""
    return _states().get(state, state)


@blueprint.app_template_filter("weekday_name")
def weekday_name(weekday: int) -> str:
    """0 (Monday) .. 6 as the reader's short weekday name: Mon / 周一."""
    return written(A_MONDAY + dt.timedelta(days=weekday), "weekday")


@blueprint.app_template_filter("track_name")
def track_name(code: str) -> str:
    """A track's name in the reader's language: 'service' -> Service / 服务领域 (read once a request)."""
    names = request.environ.get("wfm.track_names")
    if names is None:
        names = request.environ["wfm.track_names"] = track_names()
    return names.get(code, code)


@blueprint.context_processor
def action_form() -> dict:
    """`csrf`: a form whose `csrf_token` every careers form renders (the fields are read by the form
    classes of `wfm.careers.forms`, which check the token)."""
    return {"csrf": FlaskForm(), "application_steps": APPLICATION_STEPS}


LABELS = {
    "field": _l("Field"),
    "to_level": _l("To level"),
    "effective_from": _l("Effective from"),
    "note": _l("Note"),
    "override": _l("Reason for the exception"),
    "to": _l("Decision"),
    "competency": _l("Competency"),
    "proficiency": _l("Proficiency"),
    "on": _l("On"),
    "evidence": _l("Evidence"),
    "source": _l("Source"),
    "quality_score": _l("Quality score"),
    "primary_field": _l("Counted in"),
    "course": _l("Course"),
    "site": _l("Site"),
    "day": _l("Day"),
    "start": _l("Start"),
    "end": _l("End"),
    "capacity": _l("Places"),
    "trainer": _l("Trainer"),
    "location": _l("Where"),
    "agent_id": _l("Agent"),
    "week": _l("Week from"),
    "attendees": _l("Attendees"),
    "score": _l("Score"),
    "field_name": _l("Name"),
    "field_name_zh": _l("Name in Chinese"),
    "field_description": _l("Description"),
    "field_description_zh": _l("Description in Chinese"),
}
# A level's or catalogue entry's text fields, after their prefix ('l2_title_zh', 'course:AML-101:name_zh').
TEXT_LABELS = {
    "title": _l("title"),
    "competencies": _l("competencies"),
    "courses": _l("courses"),
    "certifications": _l("certifications"),
    "tenure_months": _l("tenure months"),
    "min_quality": _l("minimum quality"),
    "requires_levels": _l("levels in other fields"),
    "kpis": _l("KPI thresholds"),
    "title_zh": _l("title in Chinese"),
    "description": _l("description"),
    "description_zh": _l("description in Chinese"),
    "name": _l("name"),
    "name_zh": _l("name in Chinese"),
}
KINDS = {
    "track": _l("Track"),
    "competency": _l("Competency"),
    "course": _l("Course"),
    "certification": _l("Certification"),
}


def label_of(field: str | None) -> str | None:
    """The words for a form field: 'score_13' is the score column, 'l2_tenure_months' level 2's tenure."""
    if not field:
        return None
    if field in LABELS:
        return str(LABELS[field])
    if m := re.fullmatch(r"(score|attended)_\d+", field):
        return str(LABELS.get(m.group(1), _l("Attended")))
    if m := re.fullmatch(r"(?:l(\d+)|new)_(\w+)", field):
        what = str(TEXT_LABELS.get(m.group(2), m.group(2).replace("_", " ")))
        if m.group(1):
            return _("Level %(number)s: %(what)s", number=m.group(1), what=what)
        return _("New level: %(what)s", what=what)
    if m := re.fullmatch(r"(track|competency|course|certification):(.+):(\w+)", field):
        what = str(TEXT_LABELS.get(m.group(3), m.group(3)))
        return _("%(kind)s %(code)s: %(what)s", kind=KINDS[m.group(1)], code=m.group(2), what=what)
    return None


def said(error: Exception) -> str:
    """A refusal's message in the reader's language (an engine's `Sentence` kept in the exception)."""
    message = getattr(error, "message", None) or (error.args[0] if error.args else "") or str(error)
    return translate(message)


def refusal(error: Exception, form: str) -> tuple[dict, int]:
    """What a refused form shows: the message above the form, in words (`summary`), and for its field
    (`field`, `message`), and the status (403 when the user may not take the step, else 400). The session is
    rolled back first; the caller renders the form's own page again with it (`with_form` adds the form as
    sent, so what was typed is kept)."""
    rollback()
    status = 403 if isinstance(error, NotAllowed) else 400
    message = said(error)
    message = message[:1].upper() + message[1:]
    field = getattr(error, "field", None)
    label = label_of(field)
    if label:
        summary = _("Not saved. %(label)s: %(message)s", label=label, message=message)
    else:
        summary = _("Not saved. %(message)s", message=message)
    return {
        "form": form,
        "field": field,
        "message": message,
        "summary": summary,
    }, status


REFUSED = (FieldError, WorkflowError, CatalogueError)


def saved(form, change, name: str) -> tuple[dict, int] | None:
    """Read `form` (`wfm.careers.forms`) and run `change(form)` as one unit of work (`wfm.unit_of_work`).
    None when kept; else the refusal (the form's first field error, or the step's) for the page `name`,
    carrying the form itself (`refused`): the page draws it again, with what was typed and its errors."""
    if not form.validate_on_submit():
        return with_form(refusal(first_refusal(form), name), form)
    outcome = commit_or_refuse(lambda: change(form), refused=REFUSED)
    return None if outcome.kept else with_form(refusal(outcome.error, name), form)


def with_form(refused: tuple[dict, int], form) -> tuple[dict, int]:
    """The refusal with its form; a step's refusal naming one of the form's fields is that field's error."""
    errors, status = refused
    field = errors["field"]
    if field and field in form and not form[field].errors:
        form[field].errors = [errors["message"]]
    return {**errors, "refused": form}, status


def shown(errors: dict | None, **blank) -> dict:
    """The forms a page draws, by the name its refusals use: the refused one as it was sent, the others
    `blank` (a form built with `formdata=None` and the page's starting values)."""
    if errors and errors.get("refused") is not None and errors["form"] in blank:
        blank[errors["form"]] = errors["refused"]
    return blank
