"""The organisation: sites and their opening hours, queues, skills, teams, agents and their skills."""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wfm.extensions import db

# People read these (the codes stay in the database): English as it always was, Chinese from the catalogue.
CHANNEL_LABELS = {
    "voice": _l("voice"),
    "chat": _l("chat"),
    "video": _l("video"),
    "email": _l("email"),
    "back_office": _l("back-office"),
}
STATUS_LABELS = {"active": _l("active"), "on_leave": _l("on leave"), "left": _l("left")}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Channel(enum.StrEnum):
    VOICE = "voice"
    CHAT = "chat"
    VIDEO = "video"
    EMAIL = "email"
    BACK_OFFICE = "back_office"

    @property
    def label(self) -> str:
        return str(CHANNEL_LABELS.get(self.value, self.value.replace("_", "-")))

    @property
    def is_deferred(self) -> bool:
        """Work that is not answered live but finished within a deadline."""
        return self in (Channel.EMAIL, Channel.BACK_OFFICE)


class AgentStatus(enum.StrEnum):
    ACTIVE = "active"
    ON_LEAVE = "on_leave"
    LEFT = "left"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS.get(self.value, self.value.replace("_", " ")))


class Site(db.Model):
    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    time_zone: Mapped[str] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(8))  # ISO 3166 code, for public holidays
    active: Mapped[bool] = mapped_column(default=True)
    max_agents_at_once: Mapped[int | None]  # seats: most agents on shift at the same time
    max_starts_per_interval: Mapped[int | None]  # most shifts starting in one interval

    opening_hours: Mapped[list[OpeningHours]] = relationship(
        back_populates="site", cascade="all, delete-orphan", order_by="OpeningHours.weekday"
    )
    queues: Mapped[list[Queue]] = relationship(back_populates="site")
    teams: Mapped[list[Team]] = relationship(back_populates="site")

    def hours_on(self, weekday: int) -> OpeningHours | None:
        return next((h for h in self.opening_hours if h.weekday == weekday), None)


class OpeningHours(db.Model):
    """When a site is open on one weekday, in minutes after local midnight (closes may be 1440)."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        UniqueConstraint("site_id", "weekday"),
        CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_range"),
        CheckConstraint(
            "opens_minute >= 0 AND opens_minute < closes_minute AND closes_minute <= 1440",
            name="minutes_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    weekday: Mapped[int]  # 0 = Monday
    opens_minute: Mapped[int]
    closes_minute: Mapped[int]

    site: Mapped[Site] = relationship(back_populates="opening_hours")

    @property
    def label(self) -> str:
        return f"{_hhmm(self.opens_minute)}–{_hhmm(self.closes_minute)}"


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


class Skill(db.Model):
    __tablename__ = "skill"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(default=True)
    # The name the career rules know this skill by (`training.skills.default_skill_rules`, in English), for
    # a centre that names its skills otherwise (the Beijing demo's 英语服务 is "English"); empty: its name.
    code: Mapped[str] = mapped_column(String(120), default="", server_default="")


class Queue(db.Model):
    """Where contacts or work items wait; its service target and the skill that serves it."""

    __tablename__ = "queue"
    __table_args__ = (
        UniqueConstraint("site_id", "name"),
        CheckConstraint(
            "service_level IS NULL OR (service_level > 0 AND service_level <= 1)", name="service_level_share"
        ),
        CheckConstraint("answer_seconds IS NULL OR answer_seconds > 0", name="answer_positive"),
        CheckConstraint("deadline_hours IS NULL OR deadline_hours > 0", name="deadline_positive"),
        CheckConstraint("concurrency >= 1", name="concurrency_positive"),
        CheckConstraint("min_proficiency >= 1 AND min_proficiency <= 5", name="proficiency_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    name: Mapped[str] = mapped_column(String(120))
    channel: Mapped[Channel] = mapped_column(
        Enum(Channel, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    service_level: Mapped[float | None]  # share answered within answer_seconds (live channels)
    answer_seconds: Mapped[int | None]
    deadline_hours: Mapped[float | None]  # completion deadline (deferred channels)
    concurrency: Mapped[int] = mapped_column(default=1)  # contacts one agent handles at once (chat)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"))
    min_proficiency: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)
    # Staffing: how the requirement is calculated (targets above, these figures below).
    import_codes: Mapped[str] = mapped_column(
        String(200), default=""
    )  # names in imported files, comma-separated
    staffing_model: Mapped[str] = mapped_column(String(20), default="erlang-c")
    aht_seconds: Mapped[float] = mapped_column(default=180.0)  # handle time when history has none
    patience_seconds: Mapped[float | None]  # callers' mean patience (Erlang A)
    max_asa_seconds: Mapped[float | None]
    max_abandon: Mapped[float | None]
    max_occupancy: Mapped[float | None]
    shrinkage: Mapped[float] = mapped_column(default=0.3)

    site: Mapped[Site] = relationship(back_populates="queues")
    skill: Mapped[Skill] = relationship()

    @property
    def codes(self) -> list[str]:
        """Every name this queue goes by in imported files: its own name and its import codes."""
        return [self.name] + [c.strip() for c in self.import_codes.split(",") if c.strip()]

    @property
    def target_label(self) -> str:
        if self.channel.is_deferred:
            if self.deadline_hours:
                return _("done within %(hours)s h", hours=f"{self.deadline_hours:g}")
            return _("no deadline")
        if self.service_level and self.answer_seconds:
            return _(
                "%(level)s in %(seconds)s s", level=f"{self.service_level:.0%}", seconds=self.answer_seconds
            )
        return _("no target")


class Team(db.Model):
    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("site_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(default=True)

    site: Mapped[Site] = relationship(back_populates="teams")
    agents: Mapped[list[Agent]] = relationship(back_populates="team")


class Agent(db.Model):
    """A person who can be rostered. Leavers keep their record: attrition is a fact HR tracks."""

    __tablename__ = "agent"
    __table_args__ = (
        CheckConstraint("contracted_hours > 0 AND contracted_hours <= 60", name="contracted_hours_range"),
        CheckConstraint("leaving_date IS NULL OR leaving_date >= hire_date", name="leaves_after_hire"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_number: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    hire_date: Mapped[dt.date] = mapped_column(Date)
    contracted_hours: Mapped[float]  # per week
    status: Mapped[AgentStatus] = mapped_column(
        Enum(AgentStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=AgentStatus.ACTIVE,
    )
    leaving_date: Mapped[dt.date | None] = mapped_column(Date)
    leaving_reason: Mapped[str | None] = mapped_column(String(200))

    site: Mapped[Site] = relationship()
    team: Mapped[Team | None] = relationship(back_populates="agents")
    skills: Mapped[list[AgentSkill]] = relationship(
        back_populates="agent", cascade="all, delete-orphan", order_by="AgentSkill.effective_from"
    )

    def skills_on(self, day: dt.date) -> list[AgentSkill]:
        """The skill rows in force on `day` (history rows are kept, not overwritten)."""
        return [s for s in self.skills if s.in_force(day)]


class AgentSkill(db.Model):
    """An agent's proficiency in a skill over a period; a change closes one row and opens the next."""

    __tablename__ = "agent_skill"
    __table_args__ = (
        CheckConstraint("proficiency >= 1 AND proficiency <= 5", name="proficiency_range"),
        CheckConstraint("effective_to IS NULL OR effective_to >= effective_from", name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"))
    proficiency: Mapped[int]
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)  # last day in force; None = open

    agent: Mapped[Agent] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship()

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)
