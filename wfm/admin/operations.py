"""State changes of the organisation pages. They flush, never commit: the request commits once.

A conflict the user can fix (a name or number already taken) raises `FieldError` naming the field, so
the form can show it next to the input.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from wfm.errors import FieldError
from wfm.extensions import db
from wfm.models import (
    Agent,
    AgentSkill,
    AgentStatus,
    Channel,
    OpeningHours,
    Queue,
    Role,
    Site,
    Skill,
    Team,
    User,
)
from wfm.names import flush_or_raise, taken


def _taken(model, column, value, exclude_id: int | None, *extra) -> bool:
    """Regardless of case, in any language (wfm.names)."""
    return taken(model, column, value, exclude_id, *extra)


# Sites ---------------------------------------------------------------------------------------------


def save_site(
    site: Site | None,
    *,
    name: str,
    time_zone: str,
    country: str,
    opening_hours: dict[int, tuple[int, int]],
    max_agents_at_once: int | None = None,
    max_starts_per_interval: int | None = None,
) -> Site:
    exists = FieldError("name", _("A site called %(name)s exists already.", name=repr(name)))
    if _taken(Site, Site.name, name, site.id if site else None):
        raise exists
    if site is None:
        site = Site()
        db.session.add(site)
    site.name, site.time_zone, site.country = name.strip(), time_zone, country
    site.max_agents_at_once, site.max_starts_per_interval = max_agents_at_once, max_starts_per_interval
    # Change the rows in place: replacing the collection would insert a weekday before deleting it.
    existing = {h.weekday: h for h in site.opening_hours}
    for weekday, row in existing.items():
        if weekday not in opening_hours:
            site.opening_hours.remove(row)
    for weekday, (opens, closes) in sorted(opening_hours.items()):
        row = existing.get(weekday)
        if row is None:
            site.opening_hours.append(OpeningHours(weekday=weekday, opens_minute=opens, closes_minute=closes))
        else:
            row.opens_minute, row.closes_minute = opens, closes
    flush_or_raise([("name", exists)])  # saved at the same moment by someone else
    return site


# Skills and teams ----------------------------------------------------------------------------------


def save_skill(skill: Skill | None, *, name: str, description: str = "") -> Skill:
    exists = FieldError("name", _("A skill called %(name)s exists already.", name=repr(name)))
    if _taken(Skill, Skill.name, name, skill.id if skill else None):
        raise exists
    if skill is None:
        skill = Skill()
        db.session.add(skill)
    skill.name, skill.description = name.strip(), (description or "").strip()
    flush_or_raise([("name", exists)])
    return skill


def save_team(team: Team | None, *, site_id: int, name: str) -> Team:
    exists = FieldError("name", _("This site has a team called %(name)s already.", name=repr(name)))
    if _taken(Team, Team.name, name, team.id if team else None, Team.site_id == site_id):
        raise exists
    if team is None:
        team = Team()
        db.session.add(team)
    team.site_id, team.name = site_id, name.strip()
    flush_or_raise([("name", exists)])
    return team


# Queues --------------------------------------------------------------------------------------------


def save_queue(
    queue: Queue | None,
    *,
    site_id: int,
    name: str,
    channel: str,
    service_level: float | None,
    answer_seconds: int | None,
    deadline_hours: float | None,
    concurrency: int,
    skill_id: int,
    min_proficiency: int,
) -> Queue:
    exists = FieldError("name", _("This site has a queue called %(name)s already.", name=repr(name)))
    if _taken(Queue, Queue.name, name, queue.id if queue else None, Queue.site_id == site_id):
        raise exists
    channel = Channel(channel)
    if queue is None:
        queue = Queue()
        db.session.add(queue)
    queue.site_id, queue.name, queue.channel = site_id, name.strip(), channel
    if channel.is_deferred:
        queue.service_level, queue.answer_seconds, queue.deadline_hours = None, None, deadline_hours
    else:
        queue.service_level, queue.answer_seconds, queue.deadline_hours = service_level, answer_seconds, None
    queue.concurrency, queue.skill_id, queue.min_proficiency = concurrency, skill_id, min_proficiency
    flush_or_raise([("name", exists)])
    return queue


# Agents --------------------------------------------------------------------------------------------


def save_agent(
    agent: Agent | None,
    *,
    employee_number: str,
    name: str,
    site_id: int,
    team_id: int | None,
    hire_date: dt.date,
    contracted_hours: float,
    status: str,
) -> Agent:
    exists = FieldError(
        "employee_number",
        _("Employee number %(number)s belongs to another agent.", number=repr(employee_number)),
    )
    if _taken(Agent, Agent.employee_number, employee_number, agent.id if agent else None):
        raise exists
    if team_id:
        team = db.session.get(Team, team_id)
        if team is None or team.site_id != site_id:
            raise FieldError("team_id", _("Choose a team of the agent's site."))
    if agent is not None and agent.leaving_date and hire_date > agent.leaving_date:
        raise FieldError("hire_date", _("The hire date is after the agent's leaving date."))
    if agent is None:
        agent = Agent()
        db.session.add(agent)
    agent.employee_number, agent.name = employee_number.strip(), name.strip()
    agent.site_id, agent.team_id, agent.hire_date = site_id, team_id or None, hire_date
    agent.contracted_hours = float(contracted_hours)
    if agent.status != AgentStatus.LEFT:
        agent.status = AgentStatus(status)
    flush_or_raise([("employee_number", exists)])
    return agent


def record_leaving(agent: Agent, *, leaving_date: dt.date, reason: str) -> None:
    """The agent leaves: their record, skills and history stay; their user can no longer sign in."""
    if leaving_date < agent.hire_date:
        raise FieldError("leaving_date", _("The last working day is before the hire date."))
    agent.status = AgentStatus.LEFT
    agent.leaving_date, agent.leaving_reason = leaving_date, reason.strip()
    for skill in agent.skills:
        if skill.effective_to is None or skill.effective_to > leaving_date:
            skill.effective_to = max(leaving_date, skill.effective_from)
    user = db.session.scalar(select(User).where(User.agent_id == agent.id))
    if user is not None:
        user.active = False
    db.session.flush()


def rehire(agent: Agent) -> None:
    agent.status = AgentStatus.ACTIVE
    agent.leaving_date, agent.leaving_reason = None, None
    db.session.flush()


def set_agent_skill(agent: Agent, *, skill_id: int, proficiency: int, effective_from: dt.date) -> None:
    """Change a proficiency from a date on, keeping history: the row in force ends the day before.

    Proficiency 0 ends the skill. Rows that would start after `effective_from` are replaced.
    """
    if effective_from < agent.hire_date:
        raise FieldError("effective_from", _("The date is before the agent's hire date."))
    rows = [s for s in agent.skills if s.skill_id == skill_id]
    for row in rows:
        if row.effective_from >= effective_from:
            agent.skills.remove(row)
        elif row.effective_to is None or row.effective_to >= effective_from:
            row.effective_to = effective_from - dt.timedelta(days=1)
    if proficiency > 0:
        agent.skills.append(
            AgentSkill(skill_id=skill_id, proficiency=proficiency, effective_from=effective_from)
        )
    db.session.flush()


# Users ---------------------------------------------------------------------------------------------


def save_user(
    user: User | None,
    *,
    username: str,
    display_name: str,
    email: str | None,
    password: str | None,
    roles: list[str],
    agent_id: int | None,
    check_policy: bool = True,
) -> User:
    """Make or edit a user. A password must meet the policy (wfm.auth.passwords) unless `check_policy` is
    False, which only the demo loader and the load-test bench pass (their users' password is `demo`). A new
    password ends the user's sessions on every browser. The username is normalised and must be clean
    (wfm.auth.usernames): every way of setting one comes through here."""
    from wfm.auth import usernames

    wrong = usernames.problem(username)
    if wrong:
        raise FieldError("username", wrong)
    username = usernames.normalise(username)
    exists = FieldError("username", _("The username %(name)s is taken.", name=repr(username)))
    if _taken(User, User.username, username, user.id if user else None):
        raise exists
    if user is None and not password:
        raise FieldError("password", _("A new user needs a password."))
    if password and check_policy:
        from wfm.auth import passwords

        found = passwords.problem(password, username=username.strip(), display_name=display_name, email=email)
        if found:
            raise FieldError("password", found)
    if agent_id:
        other = db.session.scalar(
            select(User).where(User.agent_id == agent_id, User.id != (user.id if user else -1))
        )
        if other is not None:
            raise FieldError(
                "agent_id", _("That agent is linked to the user %(name)s already.", name=repr(other.username))
            )
    if Role.AGENT.value in roles and not agent_id:
        raise FieldError("agent_id", _("An agent user must be linked to an agent record."))
    if user is None:
        user = User()
        db.session.add(user)
    user.username, user.display_name = username.strip(), display_name.strip()
    user.email = (email or "").strip() or None
    if password:
        user.set_password(password)
        user.end_sessions()
    user.set_roles(roles)
    user.agent_id = agent_id or None
    flush_or_raise(
        [
            ("agent_id", FieldError("agent_id", _("That agent was linked to another user a moment ago."))),
            ("username", exists),
        ]
    )
    return user


def set_active(record, active: bool) -> None:
    """Deactivate or reactivate a site, queue, skill, team or user; nothing is deleted.

    A deactivated user's sessions end for good: reactivating does not bring them back."""
    record.active = active
    if isinstance(record, User) and not active:
        record.end_sessions()
    db.session.flush()
