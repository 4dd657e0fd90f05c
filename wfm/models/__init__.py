"""All models, imported here so Alembic and the app see the whole schema."""

from wfm.models.accounts import Role, User, UserRole
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

__all__ = [
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
