"""Careers and training in the database: the editable catalogue, agents' career records, the two approval
workflows with their append-only logs, training sessions with enrolments, and the expiry-reminder log.

Catalogue rows are keyed by the engine's codes, so records read as the engine reads them; `wfm.careers.store`
turns these rows into `training.catalogue.Catalogue` and `training.records.AgentRecord`. Their names and
descriptions are stored in English and in Chinese (`name_zh`, …; empty: not translated yet), both edited by
HR; `wfm.careers.store.load_catalogue` gives pages the one for the reader's language, English where the
Chinese is empty.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wfm.clock import utcnow
from wfm.extensions import db
from wfm.models.organisation import Agent


class CareerTrack(db.Model):
    """One of the three tracks (the engine's `Track`, by code), named in both languages."""

    __tablename__ = "career_track"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_zh: Mapped[str] = mapped_column(String(120), default="")


class CareerCompetency(db.Model):
    __tablename__ = "career_competency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(300), default="")
    name_zh: Mapped[str] = mapped_column(String(120), default="")
    description_zh: Mapped[str] = mapped_column(String(300), default="")


class CareerCertification(db.Model):
    __tablename__ = "career_certification"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    validity_months: Mapped[int | None]
    issuer: Mapped[str] = mapped_column(String(120), default="")
    name_zh: Mapped[str] = mapped_column(String(120), default="")


class CareerCourse(db.Model):
    __tablename__ = "career_course"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    hours: Mapped[float]
    raises: Mapped[dict] = mapped_column(JSON, default=dict)  # competency code -> proficiency
    pass_score: Mapped[float] = mapped_column(default=0.0)
    validity_months: Mapped[int | None]
    prerequisites: Mapped[list] = mapped_column(JSON, default=list)
    awards: Mapped[str | None] = mapped_column(String(60))
    name_zh: Mapped[str] = mapped_column(String(120), default="")


class CareerField(db.Model):
    __tablename__ = "career_field"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    track: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(default=0)
    name_zh: Mapped[str] = mapped_column(String(160), default="")
    description_zh: Mapped[str] = mapped_column(String(300), default="")

    levels: Mapped[list[CareerLevel]] = relationship(
        back_populates="field", cascade="all, delete-orphan", order_by="CareerLevel.number"
    )


class CareerLevel(db.Model):
    """One rung; requirements as the engine's `Level` holds them (codes to proficiencies, code lists)."""

    __tablename__ = "career_level"
    __table_args__ = (
        UniqueConstraint("field_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("career_field.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(120))
    competencies: Mapped[dict] = mapped_column(JSON, default=dict)
    courses: Mapped[list] = mapped_column(JSON, default=list)
    certifications: Mapped[list] = mapped_column(JSON, default=list)
    tenure_months: Mapped[int] = mapped_column(default=0)
    min_quality: Mapped[float | None]
    requires_levels: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[str] = mapped_column(String(300), default="")
    kpis: Mapped[dict] = mapped_column(JSON, default=dict)  # KPI code -> threshold over 30 days
    title_zh: Mapped[str] = mapped_column(String(120), default="")
    description_zh: Mapped[str] = mapped_column(String(300), default="")

    field: Mapped[CareerField] = relationship(back_populates="levels")


class CareerProfile(db.Model):
    """Where an agent is counted (primary field) and their latest quality-monitoring score."""

    __tablename__ = "career_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), unique=True)
    primary_field: Mapped[str] = mapped_column(ForeignKey("career_field.code"))
    quality_score: Mapped[float | None]
    quality_on: Mapped[dt.date | None] = mapped_column(Date)

    agent: Mapped[Agent] = relationship()


class LevelHeldRow(db.Model):
    """The agent holds `level` in a field from `since` (history: a later row supersedes)."""

    __tablename__ = "career_level_held"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), index=True)
    field_code: Mapped[str] = mapped_column(ForeignKey("career_field.code"))
    level: Mapped[int]
    since: Mapped[dt.date] = mapped_column(Date)
    promotion_id: Mapped[int | None] = mapped_column(ForeignKey("career_promotion.id"))


class Assessment(db.Model):
    """A competency at a proficiency, with its evidence, going submitted -> validated / rejected."""

    __tablename__ = "career_assessment"
    __table_args__ = (CheckConstraint("proficiency >= 1 AND proficiency <= 5", name="proficiency_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), index=True)
    competency: Mapped[str] = mapped_column(ForeignKey("career_competency.code"))
    proficiency: Mapped[int]
    on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(80), default="")
    evidence: Mapped[str] = mapped_column(String(1000), default="")

    log: Mapped[list[WorkflowLog]] = relationship(
        primaryjoin="and_(WorkflowLog.workflow == 'evidence', foreign(WorkflowLog.item_id) == Assessment.id)",
        order_by="WorkflowLog.id",
        viewonly=True,
    )


class Promotion(db.Model):
    __tablename__ = "career_promotion"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), index=True)
    field_code: Mapped[str] = mapped_column(ForeignKey("career_field.code"))
    to_level: Mapped[int]
    effective_from: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    # Why HR promotes although the agent is not eligible (None: eligible when proposed); another person
    # approves.
    override_reason: Mapped[str | None] = mapped_column(Text)

    agent: Mapped[Agent] = relationship()
    log: Mapped[list[WorkflowLog]] = relationship(
        primaryjoin="and_(WorkflowLog.workflow == 'promotion', foreign(WorkflowLog.item_id) == Promotion.id)",
        order_by="WorkflowLog.id",
        viewonly=True,
    )


class WorkflowLog(db.Model):
    """Append-only: one row per step of an evidence item or a promotion (who, as what, when, why)."""

    __tablename__ = "career_workflow_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow: Mapped[str] = mapped_column(String(20))  # evidence / promotion
    item_id: Mapped[int] = mapped_column(index=True)
    by: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(500), default="")


class CourseCompletionRow(db.Model):
    __tablename__ = "career_course_completion"
    __table_args__ = (CheckConstraint("score >= 0 AND score <= 100", name="score_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), index=True)
    course: Mapped[str] = mapped_column(ForeignKey("career_course.code"))
    completed_on: Mapped[dt.date] = mapped_column(Date)
    score: Mapped[float]
    session_id: Mapped[int | None] = mapped_column(ForeignKey("career_session.id", ondelete="SET NULL"))


class CertificationRow(db.Model):
    __tablename__ = "career_certification_held"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), index=True)
    certification: Mapped[str] = mapped_column(ForeignKey("career_certification.code"))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)


class TrainingSession(db.Model):
    """A course given on a day, [start_minute, end_minute) local time, in a room or online."""

    __tablename__ = "career_session"
    __table_args__ = (
        CheckConstraint(
            "start_minute >= 0 AND start_minute < end_minute AND end_minute <= 1440", name="minutes_order"
        ),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course: Mapped[str] = mapped_column(ForeignKey("career_course.code"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    start_minute: Mapped[int]
    end_minute: Mapped[int]
    capacity: Mapped[int]
    trainer: Mapped[str] = mapped_column(String(120), default="")
    location: Mapped[str] = mapped_column(String(120), default="")  # a room, or "online"
    closed: Mapped[bool] = mapped_column(default=False)  # results recorded

    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Enrolment.id"
    )


class Enrolment(db.Model):
    __tablename__ = "career_enrolment"
    __table_args__ = (UniqueConstraint("session_id", "agent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("career_session.id", ondelete="CASCADE"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), index=True)
    attended: Mapped[bool | None]
    score: Mapped[float | None]
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    session: Mapped[TrainingSession] = relationship(back_populates="enrolments")
    agent: Mapped[Agent] = relationship()


class ReminderSent(db.Model):
    """One row per expiry reminder sent, so that none is sent twice."""

    __tablename__ = "career_reminder_sent"
    __table_args__ = (UniqueConstraint("agent_id", "certification", "expires_on", "stage", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"))
    certification: Mapped[str] = mapped_column(String(60))
    expires_on: Mapped[dt.date] = mapped_column(Date)
    stage: Mapped[int]
    recipient: Mapped[str] = mapped_column(String(10))
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
