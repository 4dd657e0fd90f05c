"""What each organisation page lists and edits: one description per kind of record, used by the
generic list/new/edit/activate views in views.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from wfm.access import ADMINS, PEOPLE
from wfm.admin import forms
from wfm.admin import operations as ops
from wfm.auth.operations import is_locked
from wfm.extensions import db
from wfm.i18n.dates import written
from wfm.models import Agent, AgentStatus, Queue, Role, Site, Skill, Team, User
from wfm.navigation import ROLE_LABELS


def site_choices() -> list[tuple[int, str]]:
    return [(s.id, s.name) for s in db.session.scalars(select(Site).where(Site.active).order_by(Site.name))]


def skill_choices() -> list[tuple[int, str]]:
    return [
        (s.id, s.name) for s in db.session.scalars(select(Skill).where(Skill.active).order_by(Skill.name))
    ]


def team_choices() -> list[tuple[int, str]]:
    teams = db.session.scalars(select(Team).where(Team.active).join(Site).order_by(Site.name, Team.name))
    return [(0, _("— no team —"))] + [(t.id, f"{t.site.name} · {t.name}") for t in teams]


def agent_choices() -> list[tuple[int, str]]:
    agents = db.session.scalars(select(Agent).where(Agent.status != AgentStatus.LEFT).order_by(Agent.name))
    return [(0, _("— none —"))] + [(a.id, f"{a.name} ({a.employee_number})") for a in agents]


@dataclass
class Resource:
    name: str  # URL segment and endpoint prefix
    title: str
    singular: str
    model: type
    form: type
    columns: list[tuple[str, Callable]]
    fill: Callable  # (form, record) -> None: put a record's values into a form
    save: Callable  # (record | None, form) -> record
    roles: tuple[Role, ...] = ADMINS
    order_by: Callable = lambda model: model.id
    choices: Callable = lambda form: None  # set select choices on a form
    is_active: Callable = lambda record: record.active
    has_detail: bool = False
    help: str = ""
    extra_list_links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def new_title(self) -> str:
        return str(WORDS[self.name][0])

    @property
    def edit_title(self) -> str:
        return str(WORDS[self.name][1])

    @property
    def deactivate_question(self) -> str:
        return str(WORDS[self.name][2])


# Whole sentences per kind of record: "New site", "Edit site", "Deactivate this site?"
WORDS = {
    "sites": (_l("New site"), _l("Edit site"), _l("Deactivate this site?")),
    "skills": (_l("New skill"), _l("Edit skill"), _l("Deactivate this skill?")),
    "teams": (_l("New team"), _l("Edit team"), _l("Deactivate this team?")),
    "queues": (_l("New queue"), _l("Edit queue"), _l("Deactivate this queue?")),
    "agents": (_l("New agent"), _l("Edit agent"), _l("Deactivate this agent?")),
    "users": (_l("New user"), _l("Edit user"), _l("Deactivate this user?")),
}


def weekday_short(weekday: int) -> str:
    """Mon · 周一 (0 = Monday)."""
    return written(dt.date(2024, 1, 1) + dt.timedelta(days=weekday), "weekday")


def _fill_site(form, site: Site) -> None:
    form.name.data, form.time_zone.data, form.country.data = site.name, site.time_zone, site.country
    form.max_agents_at_once.data, form.max_starts_per_interval.data = (
        site.max_agents_at_once,
        site.max_starts_per_interval,
    )
    for day, hours_field in enumerate(form.hour_fields()):
        hours = site.hours_on(day)
        hours_field.data = forms.format_hours(hours.opens_minute, hours.closes_minute) if hours else ""


def _fill_queue(form, queue: Queue) -> None:
    form.site_id.data, form.name.data, form.channel.data = queue.site_id, queue.name, queue.channel.value
    form.service_level_percent.data = round(queue.service_level * 100, 1) if queue.service_level else None
    form.answer_seconds.data, form.deadline_hours.data = queue.answer_seconds, queue.deadline_hours
    form.concurrency.data, form.skill_id.data = queue.concurrency, queue.skill_id
    form.min_proficiency.data = queue.min_proficiency


def _queue_choices(form) -> None:
    form.site_id.choices, form.skill_id.choices = site_choices(), skill_choices()


def _fill_agent(form, agent: Agent) -> None:
    for name in ("employee_number", "name", "site_id", "hire_date", "contracted_hours"):
        getattr(form, name).data = getattr(agent, name)
    form.team_id.data = agent.team_id or 0
    form.status.data = agent.status.value if agent.status != AgentStatus.LEFT else AgentStatus.ACTIVE.value


def _agent_choices(form) -> None:
    form.site_id.choices, form.team_id.choices = site_choices(), team_choices()


def _fill_user(form, user: User) -> None:
    form.username.data, form.display_name.data, form.email.data = user.username, user.display_name, user.email
    form.roles.data = sorted(r.value for r in user.roles)
    form.agent_id.data = user.agent_id or 0


def _user_choices(form) -> None:
    form.agent_id.choices = agent_choices()


RESOURCES: list[Resource] = [
    Resource(
        "sites",
        _l("Sites"),
        "site",
        Site,
        forms.SiteForm,
        columns=[
            (_l("Name"), lambda s: s.name),
            (_l("Time zone"), lambda s: s.time_zone),
            (_l("Country"), lambda s: s.country),
            (
                _l("Open"),
                lambda s: (
                    _(", ").join(f"{weekday_short(h.weekday)} {h.label}" for h in s.opening_hours)
                    or _("closed")
                ),
            ),
        ],
        fill=_fill_site,
        save=lambda site, f: ops.save_site(
            site,
            name=f.name.data,
            time_zone=f.time_zone.data,
            country=f.country.data,
            opening_hours=f.opening_hours(),
            max_agents_at_once=f.max_agents_at_once.data,
            max_starts_per_interval=f.max_starts_per_interval.data,
        ),
        order_by=lambda m: m.name,
        help=_l("Opening hours per weekday as HH:MM-HH:MM (24:00 for midnight); leave empty when closed."),
    ),
    Resource(
        "skills",
        _l("Skills"),
        "skill",
        Skill,
        forms.SkillForm,
        columns=[(_l("Name"), lambda s: s.name), (_l("Description"), lambda s: s.description)],
        fill=lambda f, s: (setattr(f.name, "data", s.name), setattr(f.description, "data", s.description)),
        save=lambda skill, f: ops.save_skill(skill, name=f.name.data, description=f.description.data),
        order_by=lambda m: m.name,
    ),
    Resource(
        "teams",
        _l("Teams"),
        "team",
        Team,
        forms.TeamForm,
        columns=[
            (_l("Name"), lambda t: t.name),
            (_l("Site"), lambda t: t.site.name),
            (_l("Agents"), lambda t: sum(1 for a in t.agents if a.status != AgentStatus.LEFT)),
        ],
        fill=lambda f, t: (setattr(f.site_id, "data", t.site_id), setattr(f.name, "data", t.name)),
        save=lambda team, f: ops.save_team(team, site_id=f.site_id.data, name=f.name.data),
        choices=lambda f: setattr(f.site_id, "choices", site_choices()),
        order_by=lambda m: m.name,
    ),
    Resource(
        "queues",
        _l("Queues"),
        "queue",
        Queue,
        forms.QueueForm,
        columns=[
            (_l("Name"), lambda q: q.name),
            (_l("Site"), lambda q: q.site.name),
            (_l("Channel"), lambda q: q.channel.label),
            (_l("Target"), lambda q: q.target_label),
            (_l("Concurrency"), lambda q: q.concurrency),
            (_l("Skill"), lambda q: f"{q.skill.name} ≥ {q.min_proficiency}"),
        ],
        fill=_fill_queue,
        save=lambda queue, f: ops.save_queue(
            queue,
            site_id=f.site_id.data,
            name=f.name.data,
            channel=f.channel.data,
            service_level=float(f.service_level_percent.data) / 100 if f.service_level_percent.data else None,
            answer_seconds=f.answer_seconds.data,
            deadline_hours=float(f.deadline_hours.data) if f.deadline_hours.data else None,
            concurrency=f.concurrency.data,
            skill_id=f.skill_id.data,
            min_proficiency=f.min_proficiency.data,
        ),
        choices=_queue_choices,
        order_by=lambda m: m.name,
        help=_l(
            "Live channels (voice, chat, video) have a service level target; e-mail and back-office work a "
            "completion deadline."
        ),
    ),
    Resource(
        "agents",
        _l("Agents"),
        "agent",
        Agent,
        forms.AgentForm,
        columns=[
            (_l("Employee no."), lambda a: a.employee_number),
            (_l("Name"), lambda a: a.name),
            (_l("Site"), lambda a: a.site.name),
            (_l("Team"), lambda a: a.team.name if a.team else ""),
            (_l("Hired"), lambda a: a.hire_date.isoformat()),
            (_l("Hours/week"), lambda a: f"{a.contracted_hours:g}"),
            (_l("Status"), lambda a: a.status.label + (f" ({a.leaving_date})" if a.leaving_date else "")),
        ],
        fill=_fill_agent,
        save=lambda agent, f: ops.save_agent(
            agent,
            employee_number=f.employee_number.data,
            name=f.name.data,
            site_id=f.site_id.data,
            team_id=f.team_id.data or None,
            hire_date=f.hire_date.data,
            contracted_hours=float(f.contracted_hours.data),
            status=f.status.data,
        ),
        choices=_agent_choices,
        roles=PEOPLE,
        order_by=lambda m: m.employee_number,
        is_active=lambda a: a.status != AgentStatus.LEFT,
        has_detail=True,
        help=_l("An agent who leaves keeps their record; record the leaving on the agent's page."),
    ),
    Resource(
        "users",
        _l("Users"),
        "user",
        User,
        forms.UserForm,
        columns=[
            (_l("Username"), lambda u: u.username),
            (_l("Name"), lambda u: u.display_name),
            (
                _l("Roles"),
                lambda u: _(", ").join(sorted(str(ROLE_LABELS.get(r.value, r.value)) for r in u.roles)),
            ),
            (_l("Agent"), lambda u: u.agent.employee_number if u.agent else ""),
            (
                _l("Last sign-in"),
                lambda u: u.last_login_at.strftime("%Y-%m-%d %H:%M") if u.last_login_at else "",
            ),
            (
                _l("Sign-in"),
                lambda u: f"locked until {u.locked_until:%Y-%m-%d %H:%M} UTC" if is_locked(u) else "",
            ),
        ],
        fill=_fill_user,
        save=lambda user, f: ops.save_user(
            user,
            username=f.username.data,
            display_name=f.display_name.data,
            email=f.email.data,
            password=f.password.data,
            roles=f.roles.data,
            agent_id=f.agent_id.data or None,
        ),
        choices=_user_choices,
        order_by=lambda m: m.username,
    ),
]

BY_NAME = {r.name: r for r in RESOURCES}
