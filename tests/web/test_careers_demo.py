"""The careers demo: every field has people at several levels, records hang together, open items exist."""

import datetime as dt

from sqlalchemy import func, select

from training.eligibility import eligibility
from wfm.careers.store import load_catalogue, records_of
from wfm.demo import careers as demo_careers
from wfm.demo import talent as demo_talent
from wfm.models import Agent, Assessment, Promotion, TrainingSession
from wfm.models.careers import LevelHeldRow


def test_demo_careers_cover_all_fields_and_hang_together(demo, db_session):
    made = demo_careers.load()
    db_session.commit()
    assert made["fields"] == 9
    assert made["pending_evidence"] == 2
    assert made["proposed_promotions"] >= 1
    today = dt.date.today()
    fields = db_session.execute(
        select(LevelHeldRow.field_code, func.max(LevelHeldRow.level)).group_by(LevelHeldRow.field_code)
    ).all()
    assert len(fields) == 9
    assert max(level for _, level in fields) >= 3
    cat = load_catalogue()
    agents = db_session.scalars(select(Agent)).all()
    records = records_of(list(agents))
    for record in records:  # every level was reached with its requirements met (tenure, courses, ...)
        for held in record.levels:
            result = eligibility(record, cat.level(held.field, held.level), held.since, cat)
            # but the KPI thresholds of `KPI_RUNGS`, which HR set after those promotions
            missing = [
                c
                for c in result.missing
                if not (c.kind == "kpi" and (held.field, held.level) in demo_talent.KPI_RUNGS)
            ]
            assert not missing, (record.agent_id, held, [c.detail for c in missing])
    soon = [
        r
        for r in records
        if r.leaving_date is None
        and any(h.expires_on and 0 <= (h.expires_on - today).days <= 90 for h in r.certifications)
    ]
    assert len(soon) >= 3
    assert db_session.scalar(select(func.count(Promotion.id)).where(Promotion.status == "proposed")) >= 1
    assert db_session.scalar(select(func.count(Assessment.id)).where(Assessment.status == "submitted")) == 2
    assert db_session.scalar(select(func.count(TrainingSession.id)).where(TrainingSession.day > today)) >= 3


def test_demo_careers_are_deterministic(demo, db_session):
    demo_careers.load()
    first = sorted(
        db_session.execute(
            select(LevelHeldRow.agent_id, LevelHeldRow.field_code, LevelHeldRow.level, LevelHeldRow.since)
        ).all()
    )
    assert first
    assert len({row[1] for row in first}) == 9
