import datetime as dt

import pytest

from training.catalogue import Competency, Course, Field, Ladder, Level, Track, catalogue_from
from training.defaults import default_catalogue
from training.eligibility import eligibility
from training.planning import development_plan, gap_analysis
from training.records import (
    AgentRecord,
    CertificationHeld,
    CompetencyAssessment,
    CourseCompletion,
    LevelHeld,
    with_course_passed,
)

D = dt.date
CAT = default_catalogue()
ON = D(2026, 3, 15)


def new_associate() -> AgentRecord:
    """A basic-service associate one year in: induction done, AML certificate, quality 82."""
    agent_id, hire = "n1", D(2025, 1, 6)
    return AgentRecord(
        agent_id=agent_id,
        hire_date=hire,
        primary_field="basic_service",
        levels=(LevelHeld("basic_service", 1, hire),),
        assessments=(
            CompetencyAssessment("customer_communication", 2, hire),
            CompetencyAssessment("product_knowledge", 2, hire),
            CompetencyAssessment("compliance_aml", 2, hire),
        ),
        completions=(CourseCompletion("INDUCT", hire, 84), CourseCompletion("AML-101", hire, 90)),
        certifications=(CertificationHeld("AML", hire, D(2026, 1, 5)),),  # expired before ON
        quality_score=82,
    )


def follow_plan(record, plan, cat):
    """Take the plan's courses in order, one a week, checking each one's prerequisites are passed first."""
    day = plan.on
    for step in plan.steps:
        passed = {c.course for c in record.completions if c.score >= cat.courses[c.course].pass_score}
        missing = [p for p in cat.courses[step.course].prerequisites if p not in passed]
        assert missing == [], f"{step.course} taken before its prerequisites {missing}"
        record = with_course_passed(record, cat, step.course, day, 100)
        day += dt.timedelta(days=7)
    return record, day


@pytest.mark.parametrize(
    "target", [(f.code, lv.number) for f in CAT.fields.values() for lv in f.ladder.levels]
)
def test_following_the_plan_leaves_only_what_no_course_can_close(target):
    record = new_associate()
    level = CAT.level(*target)
    plan = development_plan(record, level, ON, CAT)
    after, done_on = follow_plan(record, plan, CAT)
    gaps = gap_analysis(after, level, done_on, CAT)
    unclosable = {label.split()[1] for label in plan.unclosable}
    assert {g.competency for g in gaps.competency_gaps} == unclosable
    assert gaps.course_gaps == ()
    assert gaps.certification_gaps == ()
    # what remains is exactly what the plan said would remain (promotions, tenure, quality)
    assert {(c.kind, c.subject) for c in gaps.other_gaps} <= {(c.kind, c.subject) for c in plan.remaining}
    for label in plan.unclosable:  # and really no course closes it
        _, code, levels = label.split()
        need = int(levels.split("->")[1])
        assert not any(c.raises.get(code, 0) >= need for c in CAT.courses.values())


def test_wealth_manager_plan_from_basic_service():
    record = new_associate()
    plan = development_plan(record, CAT.level("wealth_manager", 2), ON, CAT)
    order = [s.course for s in plan.steps]
    assert order.index("PROD-201") < order.index("INV-301") < order.index("WEALTH-401")
    assert "AML-101" in order  # the expired AML certificate is renewed through its course
    assert next(s for s in plan.steps if s.course == "INV-301").reason == "required by the level"
    assert next(s for s in plan.steps if s.course == "PROD-201").reason == "prerequisite of INV-301"
    remaining = {(c.kind, c.subject) for c in plan.remaining}
    # promotions on the way, tenure (14 of 24 months), quality 82 < 85 are not for courses
    assert remaining == {
        ("level", "wealth_manager"),
        ("level", "basic_service"),
        ("tenure", ""),
        ("quality", ""),
    }
    assert plan.total_hours == sum(CAT.courses[c].hours for c in order)
    assert plan.unclosable == ()


def test_the_path_merges_rungs_of_other_fields():
    gaps = gap_analysis(new_associate(), CAT.level("wealth_manager", 1), ON, CAT)
    # basic service level 2 (required first) asks for complaint resolution 2: it is on the path
    assert any(g.competency == "complaint_resolution" and g.required == 2 for g in gaps.competency_gaps)
    assert {c.subject for c in gaps.other_gaps if c.kind == "level"} == {"basic_service"}


def test_competency_no_course_reaches_is_reported_unclosable():
    record = AgentRecord(
        "b1",
        D(2020, 1, 1),
        "back_office",
        levels=(LevelHeld("back_office", 2, D(2022, 1, 1)),),
        assessments=(CompetencyAssessment("back_office_processing", 3, D(2022, 1, 1)),),
    )
    plan = development_plan(record, CAT.level("back_office", 3), ON, CAT)
    assert plan.unclosable == ("competency back_office_processing 3->4",)
    assert "RISK-301" in [s.course for s in plan.steps]


def test_an_agent_already_eligible_gets_an_empty_plan():
    record = new_associate()
    level = CAT.level("basic_service", 1)
    record = with_course_passed(record, CAT, "AML-101", ON, 95)
    assert eligibility(record, level, ON, CAT).eligible
    plan = development_plan(record, level, ON, CAT)
    assert plan.steps == ()
    assert plan.remaining == ()
    assert plan.unclosable == ()


def _toy(courses, needs):
    comps = [Competency(c, c.upper()) for c in "abcd"]
    level = Level("f", 1, "Target", needs)
    return catalogue_from([Field("f", "F", Track.ANALYTICS, Ladder((level,)))], comps, courses, []), level


def test_greedy_prefers_most_gaps_per_hour():
    cat, level = _toy(
        [
            Course("BOTH", "both", 10, {"a": 2, "b": 2}),
            Course("A", "a", 3, {"a": 2}),
            Course("B", "b", 3, {"b": 2}),
        ],
        {"a": 2, "b": 2},
    )
    plan = development_plan(AgentRecord("x", D(2020, 1, 1), "f"), level, ON, cat)
    assert sorted(s.course for s in plan.steps) == ["A", "B"]
    assert plan.total_hours == 6


def test_prerequisite_hours_count_against_a_course():
    cat, level = _toy(
        [
            Course("PRE", "long prerequisite", 40, {}),
            Course("CHEAP", "needs PRE", 2, {"a": 2}, prerequisites=("PRE",)),
            Course("MID", "standalone", 10, {"a": 2}),
        ],
        {"a": 2},
    )
    plan = development_plan(AgentRecord("x", D(2020, 1, 1), "f"), level, ON, cat)
    assert [s.course for s in plan.steps] == ["MID"]
    # ...unless the prerequisite is already passed
    done = AgentRecord("x", D(2020, 1, 1), "f", completions=(CourseCompletion("PRE", D(2021, 1, 1), 100),))
    assert [s.course for s in development_plan(done, level, ON, cat).steps] == ["CHEAP"]


def test_a_course_made_redundant_by_later_choices_is_dropped():
    courses = [
        Course("S1", "a b", 1, {"a": 1, "b": 1}),
        Course("S2", "a c", 1.2, {"a": 1, "c": 1}),
        Course("S3", "b d", 1.2, {"b": 1, "d": 1}),
        Course("S4", "c d", 3, {"c": 1, "d": 1}),
    ]
    cat, level = _toy(courses, {"a": 1, "b": 1, "c": 1, "d": 1})
    plan = development_plan(AgentRecord("x", D(2020, 1, 1), "f"), level, ON, cat)
    assert sorted(s.course for s in plan.steps) == ["S2", "S3"]
    assert plan.total_hours == pytest.approx(2.4)
