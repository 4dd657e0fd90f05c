"""All models, imported here so Alembic and the app see the whole schema."""

from wfm.models.accounts import Role, User, UserRole
from wfm.models.jobs import Job, JobStatus
from wfm.models.organisation import (
    WEEKDAYS,
    Agent,
    AgentSkill,
    AgentStatus,
    Channel,
    OpeningHours,
    Queue,
    Site,
    Skill,
    Team,
)
from wfm.models.planning import (
    Forecast,
    ForecastAdjustment,
    ForecastInterval,
    HistoryImport,
    HistoryInterval,
    Requirement,
    RequirementInterval,
    SpecialDay,
)
from wfm.models.rosters import Roster, RosterAssignment, RosterChange, RosterRules, RosterVersion, TimeOff
from wfm.models.shifts import PlanCoverage, PlanShift, ShiftPlan, ShiftTemplate

__all__ = [
    "Forecast",
    "ForecastAdjustment",
    "ForecastInterval",
    "HistoryImport",
    "HistoryInterval",
    "Job",
    "PlanCoverage",
    "PlanShift",
    "ShiftPlan",
    "ShiftTemplate",
    "JobStatus",
    "Requirement",
    "Roster",
    "RosterAssignment",
    "RosterChange",
    "RosterRules",
    "RosterVersion",
    "TimeOff",
    "RequirementInterval",
    "SpecialDay",
    "WEEKDAYS",
    "Agent",
    "AgentSkill",
    "AgentStatus",
    "Channel",
    "OpeningHours",
    "Queue",
    "Role",
    "Site",
    "Skill",
    "Team",
    "User",
    "UserRole",
]
