"""Quality evaluations in the database: HR designs forms; QA staff (HR, or an agent holding a level in the
centre-roles field) score a contact on a form, alone or in a calibration session where several score the
same contact and the spread is shown; the agent reads their own evaluations and may dispute one, which HR
upholds or cancels. The ladders read the rolling average (`training.quality`, through `records_of`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import select

from scheduling.text import Sentence
from training.quality import FormError, Question, evaluation_score, form_from_lines, spread
from training.workflow import NotAllowed
from wfm.access import PEOPLE
from wfm.careers.blueprint import career_state
from wfm.careers.operations import _tell_agent
from wfm.careers.store import record_of
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.formatting import plain
from wfm.i18n import translate
from wfm.models import Agent, User
from wfm.models.talent import QualityEvaluation, QualityForm

QA_FIELD = "centre_roles"


def questions_of(form: QualityForm) -> tuple[Question, ...]:
    return tuple(Question(q["section"], q["text"], q["weight"], q["fatal"]) for q in form.questions)


def is_qa(user: User, on: dt.date) -> bool:
    """HR and admins evaluate; so does an agent holding any level in the centre-roles field (QA staff)."""
    if user.has_role(*PEOPLE):
        return True
    return user.agent is not None and record_of(user.agent).level_on(QA_FIELD, on) >= 1


def create_form(user: User, name: str, lines: str) -> QualityForm:
    if not name.strip():
        raise FieldError("name", _("Give the form a name."))
    try:
        questions = form_from_lines(lines)
    except FormError as error:
        raise FieldError("lines", translate(error.args[0])) from None
    if db.session.scalar(select(QualityForm.id).where(QualityForm.name == name.strip())):
        raise FieldError("name", _("A form of that name exists already."))
    row = QualityForm(
        name=name.strip(),
        questions=[
            {"section": q.section, "text": q.text, "weight": q.weight, "fatal": q.fatal} for q in questions
        ],
        created_by=user.username,
    )
    db.session.add(row)
    db.session.flush()
    return row


def evaluate(
    user: User,
    agent: Agent,
    form: QualityForm,
    contact: str,
    on: dt.date,
    met: dict[int, bool],
    calibration: str | None = None,
    today: dt.date | None = None,
) -> QualityEvaluation:
    today = today or dt.date.today()
    if not is_qa(user, today):
        raise NotAllowed(_("Only QA staff (the centre-roles field) or HR may evaluate contacts."))
    if user.agent_id == agent.id:
        raise NotAllowed(_("Nobody evaluates their own contacts."))
    if not contact.strip():
        raise FieldError("contact", _("Name the contact or work item evaluated (a call id, a case number)."))
    if on > today or on < agent.hire_date:
        raise FieldError("on", _("The contact's day is between the agent's hire and today."))
    questions = questions_of(form)
    score, fatal = evaluation_score(questions, met)
    row = QualityEvaluation(
        agent_id=agent.id,
        form_id=form.id,
        evaluator=user.username,
        contact=contact.strip(),
        on=on,
        answers=[bool(met.get(i, False)) for i in range(len(questions))],
        score=score,
        fatal=fatal,
        calibration=(calibration or "").strip() or None,
    )
    db.session.add(row)
    db.session.flush()
    if row.calibration is None:
        _tell_agent(
            agent.id,
            Sentence("A contact of yours was evaluated: %(score)s.", score=plain(score)),
            "/careers/me/quality",
        )
    return row


def dispute(row: QualityEvaluation, user: User, comment: str) -> QualityEvaluation:
    if user.agent_id != row.agent_id:
        raise NotAllowed(_("Only the agent evaluated may dispute an evaluation."))
    if row.status != "final":
        raise FieldError(
            "comment", _("This evaluation is %(state)s already.", state=career_state(row.status))
        )
    if not comment.strip():
        raise FieldError("comment", _("Say what you disagree with."))
    row.status, row.agent_comment = "disputed", comment.strip()[:1000]
    db.session.flush()
    return row


def comment(row: QualityEvaluation, user: User, text: str) -> QualityEvaluation:
    """The agent's comment on a final evaluation without disputing it (HR reads it on the quality page; a
    later dispute's words replace it)."""
    if user.agent_id != row.agent_id:
        raise NotAllowed(_("Only the agent evaluated may comment on an evaluation."))
    if row.status != "final":
        raise FieldError("comment", _("This evaluation was disputed: its dispute holds the agent's words."))
    if not text.strip():
        raise FieldError("comment", _("Write the comment."))
    row.agent_comment = text.strip()[:1000]
    db.session.flush()
    return row


def resolve(row: QualityEvaluation, user: User, uphold: bool, answer: str) -> QualityEvaluation:
    if not user.has_role(*PEOPLE):
        raise NotAllowed(_("Only HR answers a dispute."))
    if row.status != "disputed":
        raise FieldError("answer", _("Only a disputed evaluation is answered."))
    if not answer.strip():
        raise FieldError("answer", _("Say why: the agent reads it."))
    row.status, row.answer = ("upheld" if uphold else "cancelled"), answer.strip()[:1000]
    _tell_agent(
        row.agent_id,
        Sentence("Your dispute was answered: the evaluation is upheld.")
        if uphold
        else Sentence("Your dispute was answered: the evaluation is cancelled."),
        "/careers/me/quality",
    )
    db.session.flush()
    return row


def calibrations() -> list[dict]:
    """Each calibration session: the contact, who scored what, and the spread."""
    sessions: dict[str, list[QualityEvaluation]] = defaultdict(list)
    for row in db.session.scalars(
        select(QualityEvaluation)
        .where(QualityEvaluation.calibration.is_not(None))
        .order_by(QualityEvaluation.id)
    ):
        sessions[row.calibration].append(row)
    return [
        {"name": name, "rows": rows, "spread": spread(r.score for r in rows)}
        for name, rows in sessions.items()
    ]
