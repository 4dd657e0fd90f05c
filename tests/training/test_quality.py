"""Quality evaluations: weighted scores with fatal errors, the rolling average the ladders read, and the
spread of a calibration session."""

import dataclasses
import datetime as dt

import pytest

from tests.training.test_eligibility import ON, wealth_manager
from training.defaults import default_catalogue
from training.eligibility import eligibility
from training.quality import FormError, QualityScore, evaluation_score, form_from_lines, spread

CAT = default_catalogue()
FORM = form_from_lines(
    "Opening | Greets and identifies the customer | 1\n"
    "Opening | Checks identity before any account detail | 0 | fatal\n"
    "Resolution | Solves the request | 3\n"
    "Tone | Courteous throughout | 2\n"
)


def test_score_is_the_weight_met_over_the_weight_and_a_fatal_error_zeroes_it():
    assert evaluation_score(FORM, {0: True, 1: True, 2: True, 3: False}) == (pytest.approx(66.7), False)
    assert evaluation_score(FORM, {0: True, 1: True, 2: True, 3: True}) == (100.0, False)
    assert evaluation_score(FORM, {0: True, 1: False, 2: True, 3: True}) == (0.0, True)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Opening", "Line 1"),
        ("A | B | heavy", "weight must be a number"),
        ("A | B | 1 | fatal", "at least one"),
    ],
)
def test_bad_form_lines_are_refused_by_line(text, words):
    with pytest.raises(FormError, match=words):
        form_from_lines(text)


def test_the_ladder_reads_the_rolling_average_of_six_months():
    rung = CAT.level("wealth_manager", 2)  # needs quality 85
    recent = tuple(QualityScore(ON - dt.timedelta(days=20 * k), s) for k, s in enumerate([90, 88, 84, 88]))
    old = (QualityScore(ON - dt.timedelta(days=300), 10.0),)  # outside the 6 months: not read
    record = dataclasses.replace(wealth_manager(), quality_score=50, evaluations=recent + old)
    check = next(c for c in eligibility(record, rung, ON, CAT).checks if c.kind == "quality")
    assert check.met
    assert check.actual == pytest.approx(sum([90, 88, 84, 88]) / 4)
    assert check.detail == "quality 87.5 over 4 evaluations in 6 months, at least 85"
    low = dataclasses.replace(record, evaluations=(QualityScore(ON, 80.0),))
    check = next(c for c in eligibility(low, rung, ON, CAT).checks if c.kind == "quality")
    assert not check.met
    assert check.detail == "quality 80 over 1 evaluation in 6 months, below 85"
    stale = dataclasses.replace(record, evaluations=old)
    assert not next(c for c in eligibility(stale, rung, ON, CAT).checks if c.kind == "quality").met
    later = dataclasses.replace(
        record, quality_score=86, evaluations=(QualityScore(ON + dt.timedelta(days=1), 10),)
    )
    check = next(c for c in eligibility(later, rung, ON, CAT).checks if c.kind == "quality")
    assert check.detail == "quality score 86 at least 85"  # not evaluated yet on ON: the typed score


def test_calibration_spread():
    s = spread([80, 90, 70])
    assert (s.lowest, s.highest, s.range, s.mean) == (70, 90, 20, 80)
    assert s.stdev == pytest.approx(10.0)
    assert spread([80]) is None


def test_a_chinese_form_marks_fatal_questions_in_chinese():
    """HR reading Chinese is told to write 致命 in the fourth column; it marks the question fatal as "fatal"
    does, and a refused line is a Sentence that keeps its line number for the translation."""
    english = form_from_lines("Opening | Checks identity | 0 | fatal\nResolution | Solves it | 3")
    chinese = form_from_lines("开场 | 核实身份 | 0 | 致命\n解决 | 解决问题 | 3 | 否")
    assert [q.fatal for q in chinese] == [q.fatal for q in english] == [True, False]
    with pytest.raises(FormError) as refused:
        form_from_lines("Opening | Greets | 1\nOpening | Checks | lots")
    assert refused.value.args[0].template == "Line %(line)s: the weight must be a number."
    assert refused.value.args[0].values == {"line": 2}
