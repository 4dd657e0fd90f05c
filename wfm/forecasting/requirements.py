"""Staffing requirements in the database: a queue's targets as the engine's `ServiceTarget`, and the
agents needed per interval for a forecast (its adjusted volumes), stored with the targets used."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
from flask_babel import lazy_gettext as _l

from scheduling.staffing import ServiceTarget, TargetError, requirement_frame
from wfm import sources
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.i18n import translate
from wfm.models import Channel, Forecast, Queue, Requirement, RequirementInterval

MODEL_CHOICES = [
    ("erlang-c", _l("Erlang C (callers wait)")),
    ("erlang-a", _l("Erlang A (callers abandon)")),
    ("erlang-b", _l("Erlang B (no queue, calls lost)")),
]


class RequirementProblem(FieldError):
    """A service target the requirement cannot be calculated from; its words start with the field."""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def in_words(problem: Exception) -> str:
    """A problem's message for a person: without the field key the engine's messages start with."""
    text = getattr(problem, "message", None) or getattr(problem, "detail", None) or str(problem)
    field = getattr(problem, "field", None)
    if field and text.startswith(f"{field}: "):
        text = text[len(field) + 2 :]
    return text


# The engine names targets by their keys; a person reads the targets form's words.
TARGET_WORDS = {
    "max_asa_seconds": "the most average speed of answer",
    "max_abandon": "the most abandoned",
    "max_occupancy": "the most occupancy",
    "patience_seconds": "the callers' mean patience",
    "answer_seconds": "the seconds to answer within",
    "service_level": "the service level",
    "deadline_hours": "the completion deadline",
    "shrinkage": "the shrinkage",
    "concurrency": "the chats at once",
    "back-office": "back-office",
    "erlang-a": "Erlang A",
    "erlang-b": "Erlang B",
    "erlang-c": "Erlang C",
    "model": "the model",
}


def target_in_words(field: str, message: str) -> str:
    """'patience_seconds', 'is required by the erlang-a model' -> 'The callers' mean patience is required
    by the Erlang A model.'"""
    for code, words in TARGET_WORDS.items():
        if "_" in code or "-" in code:  # keys, not plain words such as "model"
            message = message.replace(code, words)
    subject = TARGET_WORDS.get(field, field.replace("_", " "))
    joined = f"{subject} {message}" if message.split(" ", 1)[0] in VERBS else f"{subject}: {message}"
    joined = joined[0].upper() + joined[1:]
    return joined if joined.endswith(".") else joined + "."


VERBS = {"is", "must", "has", "needs", "only"}
# The engine's refusals a scheduler can meet on the targets form (its ranges catch the rest), as
# `target_in_words` words them: the catalogue has their Chinese, looked up by the English sentence.
WORDED_TARGET_PROBLEMS = (
    _l("The callers' mean patience is required by the Erlang A model."),
    _l("The service level: Erlang B needs a service level or the most abandoned (blocking)."),
    _l("The most average speed of answer has no meaning under Erlang B (no one waits)."),
    _l("The most abandoned needs the Erlang A model (Erlang C callers never abandon)."),
    _l("The completion deadline is required by the back-office model."),
    _l("The completion deadline only applies to the back-office model."),
    _l("The service level must be below 1: no finite headcount answers every call in time."),
)


def target_for(queue: Queue) -> ServiceTarget:
    """The queue's targets; deferred channels use the back-office deadline model."""
    try:
        if queue.channel.is_deferred:
            return ServiceTarget(
                service_level=None,
                model="back-office",
                deadline_hours=queue.deadline_hours,
                max_occupancy=queue.max_occupancy,
                shrinkage=queue.shrinkage,
                concurrency=queue.concurrency,
            )
        return ServiceTarget(
            service_level=queue.service_level,
            answer_seconds=float(queue.answer_seconds or 0),
            max_asa_seconds=queue.max_asa_seconds,
            max_abandon=queue.max_abandon if queue.staffing_model != "erlang-c" else None,
            max_occupancy=queue.max_occupancy,
            model=queue.staffing_model,
            patience_seconds=queue.patience_seconds if queue.staffing_model == "erlang-a" else None,
            concurrency=queue.concurrency if queue.channel == Channel.CHAT else 1,
            shrinkage=queue.shrinkage,
        )
    except TargetError as problem:
        raise RequirementProblem(
            problem.field, translate(target_in_words(problem.field, in_words(problem)))
        ) from problem


def make_requirement(record: Forecast, user_id: int | None) -> Requirement:
    """Fewest agents per interval meeting the queue's targets, for the forecast's adjusted volume."""
    queue = record.queue
    target = target_for(queue)
    frame = pd.DataFrame(
        {
            "interval_start": [i.interval_start for i in record.intervals],
            "queue": queue.name,
            "forecast": [i.adjusted for i in record.intervals],
            "aht_seconds": [
                i.aht_seconds if i.aht_seconds is not None else math.nan for i in record.intervals
            ],
        }
    )
    result = requirement_frame(
        frame, target, interval_minutes=record.interval_minutes, aht_seconds=queue.aht_seconds
    )
    targets = {k: v for k, v in dataclasses.asdict(target).items()}
    targets["aht_seconds_default"] = queue.aht_seconds
    requirement = Requirement(
        forecast_id=record.id, queue_id=queue.id, targets=targets, created_by_id=user_id
    )
    db.session.add(requirement)
    db.session.flush()
    abandon = result["abandon_rate"] if "abandon_rate" in result else pd.Series([math.nan] * len(result))
    rows = [
        {
            "requirement_id": requirement.id,
            "interval_start": pd.Timestamp(t).to_pydatetime(),
            "forecast": float(f),
            "aht_seconds": _value(a),
            "agents": int(n),
            "scheduled_agents": int(s),
            "service_level": _value(sl),
            "occupancy": _value(o),
            "asa_seconds": _value(asa),
            "abandon_rate": _value(ab),
        }
        for t, f, a, n, s, sl, o, asa, ab in zip(
            result["interval_start"],
            result["forecast"],
            frame["aht_seconds"],
            result["agents"],
            result["scheduled_agents"],
            result["service_level"],
            result["occupancy"],
            result["asa_seconds"],
            abandon,
            strict=True,
        )
    ]
    if rows:
        db.session.execute(RequirementInterval.__table__.insert(), rows)
    sources.stamp(requirement)
    db.session.flush()
    return requirement


def _value(v) -> float | None:
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) else v
