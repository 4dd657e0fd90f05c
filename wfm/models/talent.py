"""The centre as the bank's talent pool: how each employment in the centre ended (left the bank, or moved
within it), internal vacancies and the applications to them, agents' own development plans, and their
requests to enrol in a training session (the scheduler approves, seeing what it costs the service level).

Application steps are logged in `career_workflow_log` (workflow "application"), like the other workflows.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wfm.clock import utcnow
from wfm.extensions import db
from wfm.models.careers import TrainingSession, WorkflowLog
from wfm.models.organisation import Agent


class Departure(db.Model):
    """How an agent's time in the centre ended: `kind` "left" (lost to the bank, with a coded reason) or
    "moved" (placed in another bank department, with the role and the ladder level reached)."""

    __tablename__ = "talent_departure"
    __table_args__ = (
        CheckConstraint("kind IN ('left', 'moved')", name="kind_known"),
        CheckConstraint("kind <> 'left' OR reason IS NOT NULL", name="left_has_reason"),
        CheckConstraint("kind <> 'moved' OR department IS NOT NULL", name="moved_has_department"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    on: Mapped[dt.date] = mapped_column(Date)  # last day in the centre
    reason: Mapped[str | None] = mapped_column(String(20))
    reason_text: Mapped[str] = mapped_column(String(300), default="")
    voluntary: Mapped[bool | None] = mapped_column(Boolean)
    regretted: Mapped[bool | None] = mapped_column(Boolean)
    department: Mapped[str | None] = mapped_column(String(30))
    role: Mapped[str] = mapped_column(String(120), default="")
    field_code: Mapped[str | None] = mapped_column(ForeignKey("career_field.code"))
    level_reached: Mapped[int] = mapped_column(default=0)
    recorded_by: Mapped[str] = mapped_column(String(64), default="")

    agent: Mapped[Agent] = relationship()


class Vacancy(db.Model):
    """An internal vacancy HR posts, tied to a rung of a ladder (a field and a level)."""

    __tablename__ = "talent_vacancy"
    __table_args__ = (CheckConstraint("level >= 1", name="level_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    department: Mapped[str] = mapped_column(String(30))
    field_code: Mapped[str] = mapped_column(ForeignKey("career_field.code"))
    level: Mapped[int]
    description: Mapped[str] = mapped_column(String(1000), default="")
    posted_on: Mapped[dt.date] = mapped_column(Date)
    closes_on: Mapped[dt.date | None] = mapped_column(Date)
    is_open: Mapped[bool] = mapped_column(default=True)
    posted_by: Mapped[str] = mapped_column(String(64), default="")

    applications: Mapped[list[Application]] = relationship(
        back_populates="vacancy", cascade="all, delete-orphan", order_by="Application.id"
    )


class Application(db.Model):
    __tablename__ = "talent_application"
    __table_args__ = (UniqueConstraint("vacancy_id", "agent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("talent_vacancy.id", ondelete="CASCADE"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="applied")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    vacancy: Mapped[Vacancy] = relationship(back_populates="applications")
    agent: Mapped[Agent] = relationship()
    log: Mapped[list[WorkflowLog]] = relationship(
        primaryjoin=(
            "and_(WorkflowLog.workflow == 'application', foreign(WorkflowLog.item_id) == Application.id)"
        ),
        order_by="WorkflowLog.id",
        viewonly=True,
    )


class DevelopmentPlan(db.Model):
    """The field (and rung) an agent is working toward, in their own words; HR sees it."""

    __tablename__ = "talent_development_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), unique=True)
    target_field: Mapped[str] = mapped_column(ForeignKey("career_field.code"))
    target_level: Mapped[int] = mapped_column(default=1)
    note: Mapped[str] = mapped_column(String(1000), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    agent: Mapped[Agent] = relationship()


class EnrolmentRequest(db.Model):
    """An agent asks for a place in a training session; the scheduler approves (enrolling them) or
    refuses, having seen the service-level cost of the hours off the phones."""

    __tablename__ = "talent_enrolment_request"
    __table_args__ = (UniqueConstraint("session_id", "agent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("career_session.id", ondelete="CASCADE"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="requested")  # requested/approved/refused
    note: Mapped[str] = mapped_column(String(500), default="")
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    session: Mapped[TrainingSession] = relationship()
    agent: Mapped[Agent] = relationship()


class QualityForm(db.Model):
    """An evaluation form HR designs: its questions (section, text, weight, fatal), as the engine reads."""

    __tablename__ = "talent_quality_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    questions: Mapped[list] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(64), default="")


class QualityEvaluation(db.Model):
    """One contact or work item scored by QA staff on a form. `calibration`: the name of the calibration
    session it belongs to (several evaluators scoring the same contact; not counted in the agent's average).
    `status`: final, disputed (the agent's comment), upheld or cancelled (HR's answer; cancelled ones do
    not count)."""

    __tablename__ = "talent_quality_evaluation"
    __table_args__ = (CheckConstraint("score >= 0 AND score <= 100", name="score_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), index=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("talent_quality_form.id"))
    evaluator: Mapped[str] = mapped_column(String(64))
    contact: Mapped[str] = mapped_column(String(120))
    on: Mapped[dt.date] = mapped_column(Date)
    answers: Mapped[list] = mapped_column(JSON, default=list)  # per question: met or not
    score: Mapped[float]
    fatal: Mapped[bool] = mapped_column(default=False)
    calibration: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20), default="final")
    agent_comment: Mapped[str] = mapped_column(String(1000), default="")
    answer: Mapped[str] = mapped_column(String(1000), default="")

    form: Mapped[QualityForm] = relationship()
    agent: Mapped[Agent] = relationship()


class AgentKpi(db.Model):
    """One agent's KPIs for one day, as imported (a later import of the same day replaces them)."""

    __tablename__ = "talent_agent_kpi"
    __table_args__ = (UniqueConstraint("agent_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    handle_seconds: Mapped[float]
    fcr: Mapped[float]
    csat: Mapped[float]
