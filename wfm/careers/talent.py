"""State changes and reads of the talent pool (flush only; the request commits once): recording how an
agent's time in the centre ended (left the bank, or moved within it), posting internal vacancies, and the
application workflow (`training.mobility.APPLICATION`, which says who may take each step).
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from training.mobility import (
    APPLICATION,
    DEPARTMENTS,
    LEAVING_REASONS,
    LEFT,
    MOVED,
    OPEN_STATES,
    Exit,
    candidates,
    placements_per_year,
)
from training.workflow import WorkflowError
from wfm.admin.operations import record_leaving
from wfm.careers.blueprint import career_state
from wfm.careers.operations import _store_log, _tell_agent, actor_of
from wfm.careers.store import catalogue_for_change, load_catalogue, records_of
from wfm.clock import utcnow
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.models import Agent, User
from wfm.models.talent import Application, Departure, Vacancy
from wfm.transitions import claim


class TalentError(FieldError):
    """A refused talent-pool change (a departure, a vacancy, an application)."""


def record_departure(
    agent: Agent,
    user: User,
    kind: str,
    on: dt.date,
    *,
    reason: str | None = None,
    reason_text: str = "",
    voluntary: bool | None = None,
    regretted: bool | None = None,
    department: str | None = None,
    role: str = "",
    field_code: str | None = None,
    level_reached: int = 0,
) -> Departure:
    """The agent's last day in the centre and why: "left" needs a coded reason (and a text for "other"),
    "moved" the department and the role. The agent leaves the centre that day as the admin page's leaving
    did (record and history kept, skills ended, sign-in stopped): that page records a departure too, so
    nobody is counted lost to the bank without a reason."""
    if kind not in (LEFT, MOVED):
        raise TalentError("kind", _("Say whether the agent left the bank or moved within it."))
    if on < agent.hire_date:
        raise TalentError(
            "on",
            _(
                "That is before %(name)s was hired (%(day)s).",
                name=agent.name,
                day=agent.hire_date.isoformat(),
            ),
        )
    if db.session.scalar(select(Departure.id).where(Departure.agent_id == agent.id)) is not None:
        raise TalentError("kind", _("%(name)s's departure is already recorded.", name=agent.name))
    if kind == LEFT:
        if reason not in LEAVING_REASONS:
            raise TalentError("reason", _("Choose why the agent left."))
        if reason == "other" and not reason_text.strip():
            raise TalentError("reason_text", _("Say in words why the agent left."))
        department, role, field_code, level_reached = None, "", None, 0
    else:
        if department not in DEPARTMENTS:
            raise TalentError("department", _("Choose the department the agent moved to."))
        if not role.strip():
            raise TalentError("role", _("Say which role the agent took in the new department."))
        if field_code is not None and field_code not in catalogue_for_change().fields:
            raise TalentError("field_code", _("Choose one of the ladders' fields."))
        if level_reached < 0:
            raise TalentError("level_reached", _("The level reached is 0 or more."))
        reason, voluntary, regretted = None, True, False
    row = Departure(
        agent_id=agent.id,
        kind=kind,
        on=on,
        reason=reason,
        reason_text=reason_text.strip(),
        voluntary=voluntary,
        regretted=regretted,
        department=department,
        role=role.strip(),
        field_code=field_code,
        level_reached=level_reached,
        recorded_by=user.username,
    )
    db.session.add(row)
    words = DEPARTMENTS[department] if kind == MOVED else LEAVING_REASONS[reason]
    if kind == LEFT and reason == "other":
        words = f"{words}: {reason_text.strip()}"
    said = (f"Moved to {words}: {role.strip()}" if kind == MOVED else words)[:200]
    record_leaving(agent, leaving_date=on, reason=said)  # skills end, the agent's sign-in stops
    return row


def departure_choices() -> dict:
    """What the departure form offers (it is on the HR departure page and the admin agent page)."""
    cat = load_catalogue()
    return {
        "reasons": LEAVING_REASONS,
        "departments": DEPARTMENTS,
        "fields": [(c, f.name) for c, f in cat.fields.items()],
    }


def exits() -> list[Exit]:
    """Every recorded departure, as the engine's exits."""
    return [
        Exit(
            str(d.agent_id),
            d.on,
            d.kind,
            d.reason,
            d.voluntary,
            d.regretted,
            d.department,
            d.role,
            d.level_reached,
        )
        for d in db.session.scalars(select(Departure).order_by(Departure.on, Departure.id))
    ]


def moved_ids() -> frozenset[str]:
    """Agents (ids as text) whose time in the centre ended with a move within the bank."""
    return frozenset(
        str(i) for i in db.session.scalars(select(Departure.agent_id).where(Departure.kind == MOVED))
    )


def placements_by_year(today: dt.date, years: int = 3) -> dict[int, int]:
    """Internal moves per calendar year, the last `years` years up to this one."""
    return placements_per_year(exits(), range(today.year - years + 1, today.year + 1))


# --- vacancies ---------------------------------------------------------------------------------------------


def post_vacancy(
    user: User,
    title: str,
    department: str,
    field_code: str,
    level: int,
    description: str = "",
    closes_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Vacancy:
    today = today or dt.date.today()
    cat = catalogue_for_change()
    if not title.strip():
        raise TalentError("title", _("Give the vacancy a title."))
    if department not in DEPARTMENTS:
        raise TalentError("department", _("Choose the department the vacancy is in."))
    if field_code not in cat.fields:
        raise TalentError("field_code", _("Choose one of the ladders' fields."))
    if not any(lv.number == level for lv in cat.fields[field_code].ladder.levels):
        raise TalentError(
            "level", _("%(field)s has no level %(level)s.", field=cat.fields[field_code].name, level=level)
        )
    if closes_on is not None and closes_on < today:
        raise TalentError("closes_on", _("A vacancy closes today or later."))
    row = Vacancy(
        title=title.strip(),
        department=department,
        field_code=field_code,
        level=level,
        description=description.strip(),
        posted_on=today,
        closes_on=closes_on,
        posted_by=user.username,
    )
    db.session.add(row)
    db.session.flush()
    return row


def change_vacancy(
    row: Vacancy,
    title: str,
    description: str,
    closes_on: dt.date | None,
    is_open: bool,
    today: dt.date | None = None,
) -> Vacancy:
    """HR edits a vacancy's wording and closing day, or closes it (agents no longer see it nor apply; the
    applications made stay, with their workflow) or opens it again. Its rung and department stay: a
    different rung is a different vacancy."""
    today = today or dt.date.today()
    if not title.strip():
        raise TalentError("title", _("Give the vacancy a title."))
    if is_open and closes_on is not None and closes_on < today and closes_on != row.closes_on:
        raise TalentError("closes_on", _("A vacancy closes today or later."))
    row.title, row.description = title.strip(), description.strip()
    row.closes_on, row.is_open = closes_on, is_open
    db.session.flush()
    return row


def open_vacancies(today: dt.date) -> list[Vacancy]:
    return [
        v
        for v in db.session.scalars(
            select(Vacancy).options(selectinload(Vacancy.applications)).order_by(Vacancy.posted_on.desc())
        )
        if v.is_open and (v.closes_on is None or v.closes_on >= today)
    ]


def employed(today: dt.date) -> list[Agent]:
    return [
        a
        for a in db.session.scalars(select(Agent).order_by(Agent.name))
        if a.hire_date <= today and (a.leaving_date is None or a.leaving_date >= today)
    ]


def vacancy_candidates(vacancy: Vacancy, today: dt.date) -> dict:
    """The agents eligible for the vacancy's rung, and those one requirement short (with what is missing)."""
    agents = employed(today)
    names = {str(a.id): a for a in agents}
    eligible, nearly = candidates(
        records_of(agents), vacancy.field_code, vacancy.level, today, load_catalogue()
    )
    return {
        "eligible": [{"agent": names[c.agent_id], "missing": []} for c in eligible],
        "nearly": [{"agent": names[c.agent_id], "missing": c.missing} for c in nearly],
    }


def reachable_by(agent: Agent, today: dt.date) -> list[dict]:
    """Open vacancies the agent is eligible for or one requirement short of, with what is missing."""
    records = records_of([agent])
    cat = load_catalogue()
    out = []
    for vacancy in open_vacancies(today):
        eligible, nearly = candidates(records, vacancy.field_code, vacancy.level, today, cat)
        if eligible or nearly:
            out.append({"vacancy": vacancy, "missing": (nearly[0].missing if nearly else [])})
    return out


# --- applications ------------------------------------------------------------------------------------------


def apply(
    vacancy: Vacancy, agent: Agent, user: User, note: str = "", today: dt.date | None = None
) -> Application:
    """An application, by the agent (or by HR on their behalf); only to an open vacancy they can reach."""
    today = today or dt.date.today()
    if not vacancy.is_open or (vacancy.closes_on is not None and vacancy.closes_on < today):
        raise TalentError("vacancy", _("This vacancy is closed."))
    if not any(r["vacancy"].id == vacancy.id for r in reachable_by(agent, today)):
        raise TalentError(
            "vacancy", _("You can apply once you meet all but at most one of this rung's requirements.")
        )
    existing = db.session.scalar(
        select(Application).where(Application.vacancy_id == vacancy.id, Application.agent_id == agent.id)
    )
    if existing is not None:
        raise TalentError("vacancy", _("%(name)s has already applied to this vacancy.", name=agent.name))
    entry = APPLICATION.transition(
        "application", None, "applied", actor_of(user), utcnow(), owner=str(agent.id), note=note
    )
    row = Application(vacancy_id=vacancy.id, agent_id=agent.id, status="applied")
    db.session.add(row)
    db.session.flush()
    _store_log(row.id, entry)
    db.session.flush()
    return row


def step_application(row: Application, user: User, to: str, note: str = "") -> Application:
    """Take one step of the application workflow; the engine says whether this user may."""
    entry = APPLICATION.transition(
        f"application {row.id}", row.status, to, actor_of(user), utcnow(), owner=str(row.agent_id), note=note
    )
    now = claim(row, entry.from_state, to)
    if now is not None:
        raise WorkflowError(f"Someone moved this application first; it is {now} now.")
    _store_log(row.id, entry)
    if user.agent_id != row.agent_id:
        _tell_agent(
            row.agent_id,
            lambda: _(
                "Your application for %(vacancy)s is now %(state)s.",
                vacancy=row.vacancy.title,
                state=career_state(to),
            ),
            "/careers/me/vacancies",
        )
    db.session.flush()
    return row


def applications_of(agent: Agent) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application).where(Application.agent_id == agent.id).order_by(Application.id.desc())
        )
    )


def is_open(row: Application) -> bool:
    return row.status in OPEN_STATES
