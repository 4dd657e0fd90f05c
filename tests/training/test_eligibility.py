import dataclasses
import datetime as dt

import pytest

from training.catalogue import CatalogueError, Ladder, Level
from training.defaults import default_catalogue
from training.eligibility import eligibility
from training.kpis import KpiValue
from training.records import (
    AgentRecord,
    CertificationHeld,
    CompetencyAssessment,
    CourseCompletion,
    EvidenceStatus,
    LevelHeld,
    add_months,
    certification_expiry,
    months_between,
    results_of_course,
    validate_record,
)

D = dt.date
CAT = default_catalogue()
ON = D(2026, 3, 15)
WM2 = CAT.level("wealth_manager", 2)


def wealth_manager(**changes) -> AgentRecord:
    """An associate wealth manager who meets every requirement of wealth manager level 2 on ON."""
    record = AgentRecord(
        agent_id="a7",
        hire_date=D(2023, 1, 10),
        primary_field="wealth_manager",
        levels=(LevelHeld("basic_service", 2, D(2023, 12, 1)), LevelHeld("wealth_manager", 1, D(2025, 1, 1))),
        assessments=(
            CompetencyAssessment("investment_advice", 3, D(2024, 11, 1)),
            CompetencyAssessment("financial_planning", 3, D(2025, 6, 1)),
            CompetencyAssessment("video_consultation", 2, D(2025, 9, 1)),
        ),
        completions=(CourseCompletion("INV-301", D(2024, 11, 1), 81),),
        certifications=(
            CertificationHeld("AML", D(2025, 6, 1), D(2026, 5, 31)),
            CertificationHeld("INV-ADV", D(2024, 11, 1), D(2026, 10, 31)),
        ),
        quality_score=88,
    )
    return dataclasses.replace(record, **changes)


def check(result, kind, subject=""):
    [found] = [c for c in result.checks if c.kind == kind and c.subject == subject]
    return found


def test_a_record_meeting_everything_is_eligible_and_every_requirement_is_listed():
    result = eligibility(wealth_manager(), WM2, ON, CAT)
    assert result.eligible
    assert result.missing == []
    kinds = [c.kind for c in result.checks]
    assert kinds == [
        "level",
        "competency",
        "competency",
        "competency",
        "certification",
        "certification",
        "tenure",
        "quality",
    ]
    assert check(result, "tenure").detail == "tenure 38 of 24 months"


def test_previous_rung_missing():
    record = wealth_manager(levels=(LevelHeld("basic_service", 2, D(2023, 12, 1)),))
    result = eligibility(record, WM2, ON, CAT)
    assert not result.eligible
    assert [c.subject for c in result.missing] == ["wealth_manager"]
    assert check(result, "level", "wealth_manager").detail == "Wealth manager: level 0 held, level 1 needed"


def test_level_in_another_field_counts_from_its_date():
    level = CAT.level("wealth_manager", 1)
    record = wealth_manager()
    assert check(eligibility(record, level, D(2023, 12, 1), CAT), "level", "basic_service").met
    assert not check(eligibility(record, level, D(2023, 11, 30), CAT), "level", "basic_service").met


def test_competency_below_the_required_proficiency():
    record = wealth_manager(
        assessments=(
            *wealth_manager().assessments[:1],
            CompetencyAssessment("financial_planning", 2, D(2025, 6, 1)),
            CompetencyAssessment("video_consultation", 2, D(2025, 9, 1)),
        )
    )
    c = check(eligibility(record, WM2, ON, CAT), "competency", "financial_planning")
    assert not c.met
    assert (c.required, c.actual) == (3, 2)
    assert c.detail == "Wealth and financial planning at 2 of 3"


@pytest.mark.parametrize("status", [EvidenceStatus.SUBMITTED, EvidenceStatus.REJECTED])
def test_unvalidated_evidence_does_not_count(status):
    base = wealth_manager()
    record = dataclasses.replace(
        base,
        assessments=(*base.assessments, CompetencyAssessment("investment_advice", 4, D(2026, 1, 5), status)),
    )
    level = dataclasses.replace(WM2, competencies={"investment_advice": 4})
    c = check(eligibility(record, level, ON, CAT), "competency", "investment_advice")
    assert not c.met
    assert c.actual == 3
    if status == EvidenceStatus.SUBMITTED:
        assert "submitted 2026-01-05, not validated" in c.detail
    validated = dataclasses.replace(record.assessments[-1], evidence=EvidenceStatus.VALIDATED)
    record = dataclasses.replace(base, assessments=(*base.assessments, validated))
    assert check(eligibility(record, level, ON, CAT), "competency", "investment_advice").met


def test_competency_counts_from_its_validation_day_and_the_latest_assessment_wins():
    record = wealth_manager(
        assessments=(
            CompetencyAssessment(
                "english", 4, D(2025, 1, 1), EvidenceStatus.VALIDATED, decided_on=D(2025, 2, 1)
            ),
            CompetencyAssessment("english", 2, D(2025, 6, 1)),  # reassessed lower
        )
    )
    assert record.proficiency_on("english", D(2025, 1, 31)) == 0
    assert record.proficiency_on("english", D(2025, 2, 1)) == 4
    assert record.proficiency_on("english", D(2025, 6, 1)) == 2


def test_required_course_not_done_failed_and_lapsed():
    level = dataclasses.replace(WM2, courses=("QA-201",))  # QA-201 counts for 24 months, pass mark 75
    result = eligibility(wealth_manager(), level, ON, CAT)
    assert (
        check(result, "course", "QA-201").detail
        == "course Quality evaluation and calibration (QA-201) not completed"
    )

    failed = wealth_manager(completions=(CourseCompletion("QA-201", D(2025, 5, 1), 60),))
    c = check(eligibility(failed, level, ON, CAT), "course", "QA-201")
    assert not c.met
    assert c.detail == "course Quality evaluation and calibration (QA-201) score 60 below pass mark 75"

    lapsed = wealth_manager(completions=(CourseCompletion("QA-201", D(2024, 3, 14), 90),))
    c = check(eligibility(lapsed, level, ON, CAT), "course", "QA-201")
    assert not c.met
    assert (
        c.detail == "course Quality evaluation and calibration (QA-201) passed 2024-03-14, lapsed 2026-03-14"
    )

    recent = wealth_manager(completions=(CourseCompletion("QA-201", D(2024, 3, 16), 90),))
    assert check(eligibility(recent, level, ON, CAT), "course", "QA-201").met


def test_expired_certification_is_missing_and_says_when():
    record = wealth_manager(
        certifications=(
            CertificationHeld("AML", D(2025, 3, 2), D(2026, 3, 1)),
            CertificationHeld("INV-ADV", D(2024, 11, 1), D(2026, 10, 31)),
        )
    )
    result = eligibility(record, WM2, ON, CAT)
    c = check(result, "certification", "AML")
    assert not c.met
    assert c.detail == "certification Anti-money-laundering certificate (AML) expired 2026-03-01"
    assert [m.subject for m in result.missing] == ["AML"]
    # valid through its last day
    assert check(eligibility(record, WM2, D(2026, 3, 1), CAT), "certification", "AML").met


def test_renewed_certification_counts_and_never_held_is_named():
    record = wealth_manager(
        certifications=(
            CertificationHeld("AML", D(2025, 3, 2), D(2026, 3, 1)),
            CertificationHeld("AML", D(2026, 2, 20), D(2027, 2, 19)),
        )
    )
    result = eligibility(record, WM2, ON, CAT)
    assert check(result, "certification", "AML").met
    assert (
        check(result, "certification", "INV-ADV").detail
        == "certification Investment adviser licence (INV-ADV) not held"
    )


def test_tenure_short_says_how_far_and_when():
    record = wealth_manager(hire_date=D(2025, 1, 10))
    c = check(eligibility(record, WM2, ON, CAT), "tenure")
    assert not c.met
    assert (c.required, c.actual) == (24, 14)
    assert c.detail == "tenure 14 of 24 months (reached 2027-01-10)"


@pytest.mark.parametrize(
    ("score", "met", "detail"),
    [
        (None, False, "no quality score (needs 85)"),
        (84.5, False, "quality score 84.5 below 85"),
        (85, True, "quality score 85 at least 85"),
    ],
)
def test_quality_score(score, met, detail):
    c = check(eligibility(wealth_manager(quality_score=score), WM2, ON, CAT), "quality")
    assert (c.met, c.detail) == (met, detail)


def test_month_arithmetic_at_month_ends():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 11, 30), 3) == D(2026, 2, 28)
    assert months_between(D(2024, 1, 31), D(2024, 2, 28)) == 0
    assert months_between(D(2024, 1, 31), D(2024, 2, 29)) == 1
    assert months_between(D(2024, 5, 10), D(2024, 5, 9)) == 0
    assert certification_expiry(CAT, "AML", D(2025, 3, 2)) == D(2026, 3, 1)
    assert certification_expiry(CAT, "INV-ADV", D(2025, 3, 2)) == D(2027, 3, 1)


def test_passing_a_course_gives_validated_competencies_and_its_certificate():
    assessments, cert = results_of_course(CAT, "INV-301", D(2025, 4, 1), 75)
    assert {(a.competency, a.proficiency, a.evidence) for a in assessments} == {
        ("investment_advice", 3, EvidenceStatus.VALIDATED),
        ("financial_planning", 2, EvidenceStatus.VALIDATED),
    }
    assert cert == CertificationHeld("INV-ADV", D(2025, 4, 1), D(2027, 3, 31))
    assert results_of_course(CAT, "INV-301", D(2025, 4, 1), 74.9) == ([], None)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"primary_field": "astronaut"}, r"agent a7\.primary_field: unknown field 'astronaut'"),
        (
            {"levels": (LevelHeld("wealth_manager", 4, D(2025, 1, 1)),)},
            r"levels\[0\]\.level: wealth_manager has levels 1\.\.3",
        ),
        (
            {"assessments": (CompetencyAssessment("juggling", 2, D(2025, 1, 1)),)},
            r"assessments\[0\]\.competency",
        ),
        (
            {"completions": (CourseCompletion("NOPE", D(2025, 1, 1), 90),)},
            r"completions\[0\]\.course: unknown course",
        ),
        ({"completions": (CourseCompletion("INV-301", D(2025, 1, 1), 101),)}, r"completions\[0\]\.score"),
        (
            {"certifications": (CertificationHeld("PILOT", D(2025, 1, 1)),)},
            r"certifications\[0\]\.certification",
        ),
    ],
)
def test_records_naming_unknown_things_are_refused(changes, message):
    record = wealth_manager(**changes)
    with pytest.raises(ValueError, match=message):
        validate_record(record, CAT)
    with pytest.raises(ValueError, match=message):
        eligibility(record, WM2, ON, CAT)


def with_kpis(**kpis) -> Level:
    return dataclasses.replace(WM2, kpis=kpis)


def daily(kpi, values, last=ON, weight=1.0):
    """KPI values on consecutive days ending on `last`."""
    return tuple(
        KpiValue(last - dt.timedelta(days=n), kpi, v, weight) for n, v in enumerate(reversed(values))
    )


def test_kpi_requirement_met_reads_the_average_over_30_days_in_words():
    values = daily("adherence", [92.0, 88.0] * 15)  # 30 days, average 90
    c = check(eligibility(wealth_manager(kpis=values), with_kpis(adherence=90), ON, CAT), "kpi", "adherence")
    assert c.met
    assert c.actual == sum(v.value for v in values) / len(values)
    assert c.detail == "adherence 90% over 30 days, at least 90%"


def test_kpi_requirement_missed_names_the_agents_figure():
    values = daily("adherence", [85.0, 90.0])
    result = eligibility(wealth_manager(kpis=values), with_kpis(adherence=90), ON, CAT)
    assert not result.eligible
    [c] = result.missing
    assert c.detail == "adherence 87.5% over 2 of the last 30 days, below 90%"


def test_handle_time_is_a_ceiling():
    low = daily("handle_seconds", [280.0, 300.0])
    high = daily("handle_seconds", [310.0, 300.0])
    level = with_kpis(handle_seconds=300)
    met = check(eligibility(wealth_manager(kpis=low), level, ON, CAT), "kpi", "handle_seconds")
    missed = check(eligibility(wealth_manager(kpis=high), level, ON, CAT), "kpi", "handle_seconds")
    assert met.met
    assert met.detail.endswith("at most 300 s")
    assert not missed.met
    assert missed.detail == "average handle time 305 s over 2 of the last 30 days, above 300 s"


def test_kpi_without_figures_is_missing_and_says_so():
    old = daily("csat", [99.0], last=ON - dt.timedelta(days=30))  # the day before the window
    other = daily("fcr", [99.0])
    result = eligibility(wealth_manager(kpis=old + other), with_kpis(csat=85), ON, CAT)
    assert not result.eligible
    [c] = result.missing
    assert (c.kind, c.subject, c.actual) == ("kpi", "csat", None)
    assert c.detail == "no customer satisfaction figures in the last 30 days (needs at least 85%)"


def test_adherence_is_weighted_by_scheduled_minutes():
    values = (
        KpiValue(ON, "adherence", 100.0, 60),
        KpiValue(ON - dt.timedelta(days=1), "adherence", 80.0, 180),
    )
    c = check(eligibility(wealth_manager(kpis=values), with_kpis(adherence=90), ON, CAT), "kpi", "adherence")
    assert c.actual == (100 * 60 + 80 * 180) / 240
    assert not c.met


def test_a_kpi_requirement_must_name_a_known_kpi_within_range():
    with pytest.raises(CatalogueError, match="kpis"):
        validate_level_in(with_kpis(speed=3))
    with pytest.raises(CatalogueError, match="between 0 and 100"):
        validate_level_in(with_kpis(adherence=120))


def validate_level_in(level: Level) -> None:
    field = CAT.fields["wealth_manager"]
    levels = tuple(level if lv.number == level.number else lv for lv in field.ladder.levels)
    fields = {**CAT.fields, "wealth_manager": dataclasses.replace(field, ladder=Ladder(levels))}
    type(CAT)(fields, CAT.competencies, CAT.courses, CAT.certifications)
