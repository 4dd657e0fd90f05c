import dataclasses
import datetime as dt

import pytest

from training.defaults import default_catalogue
from training.records import AgentRecord, CompetencyAssessment, EvidenceStatus, LevelHeld
from training.skills import (
    CENTRE_SKILLS,
    SkillPeriod,
    SkillRule,
    default_skill_rules,
    roster_skills,
    rosterable,
    skill_changes,
    skill_history,
)

D = dt.date
RULES = default_skill_rules()


def agent(*assessments, levels=(), leaving=None) -> AgentRecord:
    return AgentRecord(
        "a1",
        D(2024, 1, 1),
        "basic_service",
        levels=tuple(levels),
        assessments=tuple(assessments),
        leaving_date=leaving,
    )


def test_default_rules_use_the_demo_centre_skills_and_the_catalogue_codes():
    from wfm.demo.organisation import SKILLS  # the web layer may be read by tests, never by the engine

    assert set(CENTRE_SKILLS) == {name for name, _ in SKILLS}
    cat = default_catalogue()
    assert {r.skill for r in RULES} == set(CENTRE_SKILLS)
    for rule in RULES:
        assert set(rule.competencies) <= set(cat.competencies), rule
        assert set(rule.levels) <= set(cat.fields), rule


def test_english_follows_the_competency_and_retail_takes_the_lower_of_two():
    record = agent(
        CompetencyAssessment("english", 4, D(2024, 2, 1)),
        CompetencyAssessment("product_knowledge", 3, D(2024, 2, 1)),
        CompetencyAssessment("customer_communication", 2, D(2024, 2, 1)),
    )
    assert roster_skills(record, D(2024, 3, 1), RULES) == {"English": 4, "Retail service": 2}
    assert roster_skills(record, D(2024, 1, 31), RULES) == {}


def test_only_validated_competencies_give_skills():
    record = agent(
        CompetencyAssessment("securities_trading", 3, D(2024, 2, 1), EvidenceStatus.SUBMITTED),
        CompetencyAssessment("sales", 2, D(2024, 2, 1), EvidenceStatus.REJECTED),
    )
    assert roster_skills(record, D(2024, 3, 1), RULES) == {}
    validated = agent(
        CompetencyAssessment(
            "securities_trading", 3, D(2024, 2, 1), EvidenceStatus.VALIDATED, decided_on=D(2024, 2, 20)
        )
    )
    assert not rosterable(validated, "Stock exchange", 2, D(2024, 2, 19), RULES)
    assert rosterable(validated, "Stock exchange", 2, D(2024, 2, 20), RULES)


def test_priority_service_needs_the_level_as_well_as_the_competency():
    advice = CompetencyAssessment("investment_advice", 3, D(2024, 2, 1))
    assert "Priority service" not in roster_skills(agent(advice), D(2025, 1, 1), RULES)
    adviser = agent(advice, levels=[LevelHeld("high_end_service", 1, D(2025, 1, 1))])
    assert not rosterable(adviser, "Priority service", 3, D(2024, 12, 31), RULES)  # the day before
    assert rosterable(adviser, "Priority service", 3, D(2025, 1, 1), RULES)  # the effective date
    senior = dataclasses.replace(
        adviser, levels=(*adviser.levels, LevelHeld("high_end_service", 2, D(2025, 7, 1)))
    )
    assert roster_skills(senior, D(2025, 7, 1), RULES)["Priority service"] == 4


def test_a_wealth_manager_promotion_opens_video_advisory_at_the_queue_minimum():
    base = agent(
        CompetencyAssessment("investment_advice", 3, D(2024, 2, 1)),
        CompetencyAssessment("video_consultation", 3, D(2024, 6, 1)),
        levels=[LevelHeld("wealth_manager", 1, D(2024, 6, 1))],
    )
    promoted = dataclasses.replace(base, levels=(*base.levels, LevelHeld("wealth_manager", 2, D(2025, 3, 1))))
    changes = skill_changes(base, promoted, D(2025, 3, 1), RULES)
    assert [(c.skill, c.from_proficiency, c.to_proficiency) for c in changes] == [("Video advisory", 0, 3)]
    assert not rosterable(promoted, "Video advisory", 3, D(2025, 2, 28), RULES)
    assert rosterable(promoted, "Video advisory", 3, D(2025, 3, 1), RULES)


def test_nobody_is_rosterable_before_hire_or_after_leaving():
    record = agent(CompetencyAssessment("written_service", 2, D(2023, 6, 1)), leaving=D(2025, 5, 31))
    assert roster_skills(record, D(2023, 12, 31), RULES) == {}
    assert roster_skills(record, D(2025, 5, 31), RULES) == {"Chat": 2}
    assert roster_skills(record, D(2025, 6, 1), RULES) == {}


def test_skill_history_gives_dated_periods_like_stored_skill_rows():
    record = agent(
        CompetencyAssessment("written_service", 2, D(2023, 6, 1)),  # before hire: counts from hire
        CompetencyAssessment("written_service", 3, D(2024, 9, 1)),
        CompetencyAssessment("english", 2, D(2024, 3, 1)),
        CompetencyAssessment("english", 4, D(2024, 5, 1), EvidenceStatus.SUBMITTED),
        leaving=D(2025, 5, 31),
    )
    assert skill_history(record, RULES) == [
        SkillPeriod("Chat", 2, D(2024, 1, 1), D(2024, 8, 31)),
        SkillPeriod("Chat", 3, D(2024, 9, 1), D(2025, 5, 31)),
        SkillPeriod("English", 2, D(2024, 3, 1), D(2025, 5, 31)),
    ]
    # the periods agree with asking day by day
    day = D(2023, 12, 30)
    while day <= D(2025, 6, 2):
        expected = {
            p.skill: p.proficiency
            for p in skill_history(record, RULES)
            if p.effective_from <= day and (p.effective_to is None or day <= p.effective_to)
        }
        assert roster_skills(record, day, RULES) == expected, day
        day += dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "needs a competency or a level"),
        ({"levels": {"wealth_manager": 1}}, "proficiency: needed"),
        ({"competencies": {"english": 1}, "proficiency": 6}, "outside 1..5"),
    ],
)
def test_bad_rules_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SkillRule("English", **kwargs)
