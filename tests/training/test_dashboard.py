import dataclasses
import datetime as dt

import pytest

from training.dashboard import (
    certifications_expiring,
    headcount_by_field_and_level,
    headcount_by_track_and_level,
    ready_for_next_level,
    turnover_by_tenure_band,
    turnover_by_track,
)
from training.defaults import default_catalogue
from training.records import AgentRecord, CertificationHeld, CompetencyAssessment, CourseCompletion, LevelHeld

D = dt.date
CAT = default_catalogue()
ON = D(2026, 3, 15)


HIRED = D(2022, 1, 1)


def person(agent_id, field, level, hire=HIRED, leaving=None, **kw):
    levels = (LevelHeld(field, level, hire),) if level else ()
    return AgentRecord(agent_id, hire, field, levels=levels, leaving_date=leaving, **kw)


def ready_associate() -> AgentRecord:
    """Basic service level 1 with everything level 2 asks: 12 months, quality 80, competencies, AML."""
    hire = D(2024, 1, 1)
    return AgentRecord(
        "ready",
        hire,
        "basic_service",
        levels=(LevelHeld("basic_service", 1, hire),),
        assessments=(
            CompetencyAssessment("customer_communication", 3, D(2025, 1, 1)),
            CompetencyAssessment("product_knowledge", 3, D(2025, 1, 1)),
            CompetencyAssessment("complaint_resolution", 2, D(2025, 1, 1)),
            CompetencyAssessment("compliance_aml", 2, hire),
        ),
        completions=(CourseCompletion("INDUCT", hire, 80),),
        certifications=(CertificationHeld("AML", D(2025, 6, 1), D(2026, 5, 31)),),
        quality_score=81,
    )


def test_headcount_by_track_and_level_counts_employed_agents_in_their_primary_field():
    records = [
        person("s1", "basic_service", 1),
        person("s2", "basic_service", 2),
        person("s3", "wealth_manager", 2),
        person("o1", "back_office", 1),
        person("gone", "back_office", 1, leaving=D(2025, 12, 31)),
        person("new", "data_analyst", 0, hire=D(2026, 3, 1)),
        person("future", "basic_service", 1, hire=D(2026, 4, 1)),
    ]
    assert headcount_by_track_and_level(records, CAT, ON) == {
        "service": {1: 1, 2: 2},
        "operations": {1: 1},
        "analytics": {0: 1},
    }
    by_field = headcount_by_field_and_level(records, CAT, ON)
    assert by_field["basic_service"] == {1: 1, 2: 1}
    assert by_field["wealth_manager"] == {2: 1}
    assert by_field["crm_expert"] == {}
    assert len(by_field) == 9
    assert sum(sum(v.values()) for v in by_field.values()) == 5


def test_ready_for_next_level_lists_only_the_eligible():
    ready = ready_associate()
    almost = dataclasses.replace(ready, agent_id="almost", quality_score=79)
    found = ready_for_next_level([ready, almost, person("top", "basic_service", 4)], CAT, ON)
    assert [(r.agent_id, r.field, r.current_level, r.next_level) for r in found] == [
        ("ready", "basic_service", 1, 2)
    ]
    assert found[0].eligibility.eligible
    # the day the AML certificate lapses, nobody is ready
    assert ready_for_next_level([ready], CAT, D(2026, 6, 1)) == []


def test_certifications_expiring_within_n_days():
    found = certifications_expiring([ready_associate()], ON, 77)
    assert [(e.certification, e.days_left) for e in found] == [("AML", 77)]
    assert certifications_expiring([ready_associate()], ON, 76) == []


def test_turnover_by_track_and_tenure_band():
    records = [
        person("s1", "basic_service", 1, hire=D(2025, 3, 1), leaving=D(2025, 7, 31)),  # left within 6 months
        person("s2", "basic_service", 1, hire=D(2024, 1, 1), leaving=D(2025, 10, 31)),  # left in year 2
        person("s3", "basic_service", 2, hire=D(2018, 1, 1)),
        person("s4", "basic_service", 2, hire=D(2019, 1, 1)),
        person("a1", "data_analyst", 1, hire=D(2020, 1, 1)),
    ]
    by_track = turnover_by_track(records, CAT, D(2025, 1, 1), D(2025, 12, 31))
    assert set(by_track) == {"service", "analytics"}
    service = by_track["service"]
    assert (service.leavers, service.hires, service.headcount_start, service.headcount_end) == (2, 1, 3, 2)
    assert service.rate == pytest.approx(2 / 2.5)
    assert by_track["analytics"].leavers == 0
    by_band = turnover_by_tenure_band(records, CAT, D(2025, 1, 1), D(2025, 12, 31))
    assert by_band["under 6 months"].leavers == 1
    assert by_band["1–2 years"].leavers == 1
    assert by_band["5 years or more"].leavers == 0


def test_unknown_primary_field_is_named():
    with pytest.raises(ValueError, match="primary_field: unknown field 'astronaut'"):
        headcount_by_track_and_level([person("x", "astronaut", 0)], CAT, ON)
