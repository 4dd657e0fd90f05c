"""A ladder rung naming KPI thresholds: HR sets them on the ladder editor (a KPI that does not exist is
refused naming the field), and the agent's eligibility for the rung reads their imported KPIs and their
adherence from the intraday days, shown in words with their figure; an agent without figures is not
eligible."""

import datetime as dt

from sqlalchemy import select

from training.eligibility import eligibility
from wfm.careers.store import load_catalogue, record_of, seed_catalogue
from wfm.models import Agent
from wfm.models.careers import CareerField
from wfm.models.intraday import AdherenceDay
from wfm.models.talent import AgentKpi

TODAY = dt.date.today()


def _ladder_form(field):
    form = {}
    for lv in field.levels:
        p = f"l{lv.number}_"
        form.update(
            {
                p + "title": lv.title,
                p + "competencies": ", ".join(f"{k}={v}" for k, v in lv.competencies.items()),
                p + "courses": ", ".join(lv.courses),
                p + "certifications": ", ".join(lv.certifications),
                p + "tenure_months": str(lv.tenure_months),
                p + "min_quality": "" if lv.min_quality is None else str(lv.min_quality),
                p + "requires_levels": ", ".join(f"{k}={v}" for k, v in lv.requires_levels.items()),
                p + "kpis": "",
            }
        )
    return form


def test_hr_sets_kpi_thresholds_and_eligibility_reads_the_agents_figures(demo, browser, db_session):
    seed_catalogue()
    db_session.commit()
    browser.login("hr")
    field = db_session.scalar(select(CareerField).where(CareerField.code == "data_analyst"))
    form = _ladder_form(field)
    bad = browser.post("/careers/ladders/data_analyst", {**form, "l2_kpis": "speed=3"})
    assert bad.status_code == 400
    assert "Level 2: KPI thresholds: No KPI is called speed" in bad.get_data(as_text=True)
    ok = browser.post(
        "/careers/ladders/data_analyst", {**form, "l2_kpis": "adherence=90, handle_seconds=300"}
    )
    assert ok.status_code == 302
    db_session.expire_all()
    level = load_catalogue().level("data_analyst", 2)
    assert dict(level.kpis) == {"adherence": 90.0, "handle_seconds": 300.0}

    agent, bare = db_session.scalars(select(Agent).where(Agent.leaving_date.is_(None)).limit(2)).all()
    db_session.execute(AdherenceDay.__table__.delete().where(AdherenceDay.agent_id.in_([agent.id, bare.id])))
    db_session.execute(AgentKpi.__table__.delete().where(AgentKpi.agent_id.in_([agent.id, bare.id])))
    days = [TODAY - dt.timedelta(days=n) for n in (1, 2)]
    # adherence weighted by minutes: (420 + 240) / (480 + 240) = 91.7%; handle time (280 + 340) / 2 = 310 s
    for day, scheduled, adherent, handle in zip(days, (480, 240), (420, 240), (280, 340), strict=True):
        db_session.add(
            AdherenceDay(
                agent_id=agent.id,
                day=day,
                scheduled_minutes=scheduled,
                adherent_minutes=adherent,
                worked_minutes=scheduled,
                adherence=adherent / scheduled,
                conformance=1.0,
            )
        )
        db_session.add(AgentKpi(agent_id=agent.id, day=day, handle_seconds=handle, fcr=80, csat=90))
    db_session.commit()

    checks = {c.subject: c for c in eligibility(record_of(agent), level, TODAY, load_catalogue()).checks}
    assert checks["adherence"].met
    assert checks["adherence"].detail == "adherence 91.7% over 2 of the last 30 days, at least 90%"
    assert not checks["handle_seconds"].met
    assert (
        checks["handle_seconds"].detail == "average handle time 310 s over 2 of the last 30 days, above 300 s"
    )
    none = eligibility(record_of(bare), level, TODAY, load_catalogue())
    assert not none.eligible
    assert {c.subject for c in none.missing} >= {"adherence", "handle_seconds"}
    page = browser.get(f"/careers/agents/{agent.id}?field=data_analyst&level=2").get_data(as_text=True)
    assert "average handle time 310 s over 2 of the last 30 days, above 300 s" in page
