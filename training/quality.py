"""Quality evaluations: weighted forms (sections, questions, weights, fatal errors), an evaluation's score,
the rolling average the ladders' quality requirement reads, and the spread of a calibration session.

A form question is met or not. The score is the weight of the questions met over the weight of all
non-fatal questions, in percent; a fatal question not met (a compliance breach, a wrong amount) makes the
whole evaluation 0 whatever else was met. The ladders read the average of the evaluations over the
6 months before a day ("87.5 over 12 evaluations in 6 months").
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scheduling.text import Sentence

ROLLING_MONTHS = 6


@dataclass(frozen=True)
class Question:
    section: str
    text: str
    weight: float = 1.0
    fatal: bool = False  # not met: the evaluation scores 0


@dataclass(frozen=True)
class QualityScore:
    """One evaluation's result on its day."""

    on: dt.date
    score: float


class FormError(ValueError):
    """A form definition that cannot be used (the message names the line)."""


def form_from_lines(text: str) -> tuple[Question, ...]:
    """Questions from lines "Section | Question | weight | fatal" (weight 1 and not fatal when left out; the
    fourth part may be written in Chinese too: 致命, 是)."""
    questions = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise FormError(
                Sentence("Line %(line)s: write it as: section | question | weight | fatal.", line=number)
            )
        try:
            weight = float(parts[2]) if len(parts) > 2 and parts[2] else 1.0
        except ValueError:
            raise FormError(Sentence("Line %(line)s: the weight must be a number.", line=number)) from None
        if weight < 0:
            raise FormError(Sentence("Line %(line)s: the weight cannot be negative.", line=number))
        fatal = len(parts) > 3 and parts[3].lower() in ("fatal", "yes", "y", "致命", "是")
        questions.append(Question(parts[0], parts[1], weight, fatal))
    if not any(not q.fatal and q.weight > 0 for q in questions):
        raise FormError(Sentence("A form needs at least one weighted question that is not fatal."))
    return tuple(questions)


def evaluation_score(questions: tuple[Question, ...], met: Mapping[int, bool]) -> tuple[float, bool]:
    """(score 0–100, a fatal error made): `met` says per question index whether it was met."""
    if any(q.fatal and not met.get(i, False) for i, q in enumerate(questions)):
        return 0.0, True
    total = sum(q.weight for q in questions if not q.fatal)
    got = sum(q.weight for i, q in enumerate(questions) if not q.fatal and met.get(i, False))
    return round(100 * got / total, 1), False


def rolling_average(scores: Iterable[QualityScore], start: dt.date, on: dt.date) -> tuple[float | None, int]:
    """(average, count) of the evaluations after `start` up to and including `on` (the caller passes the
    day `ROLLING_MONTHS` months before)."""
    inside = [s.score for s in scores if start < s.on <= on]
    if not inside:
        return None, 0
    return round(sum(inside) / len(inside), 1), len(inside)


@dataclass(frozen=True)
class Spread:
    lowest: float
    highest: float
    mean: float
    stdev: float

    @property
    def range(self) -> float:
        return self.highest - self.lowest


def spread(scores: Iterable[float]) -> Spread | None:
    """How far several evaluators of the same contact disagree (None with fewer than two scores)."""
    values = list(scores)
    if len(values) < 2:
        return None
    return Spread(min(values), max(values), statistics.fmean(values), statistics.stdev(values))
