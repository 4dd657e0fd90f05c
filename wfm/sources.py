"""What each planning object was built from, and whether that has changed since.

The chain is forecast → requirement → shift plan → roster. When an object is built it keeps a fingerprint
(a SHA-256 of the content, not a timestamp) of each of its inputs, part by part; reading it recomputes
them and names every part that differs. Content, not clocks: a save that changes nothing does not make
anything out of date, and a change made within the same second as the build is still seen.

Parts per object, and the source changes they catch:
- forecast: the queue's history in the window it reads (imports, re-imports), the site's special days;
  a typed forecast: the history of the queue whose intraday profile it borrowed.
- requirement: the forecast's adjusted volumes and handle times (adjustments), the queue's targets
  (service level, shrinkage, occupancy, model, default handle time).
- shift plan: which requirement is the newest for each queue and period (a recalculated requirement),
  the shift templates it used and the site's opening hours; and, through the chain, its requirements.
- roster: the shift plan's shifts (a deleted or changed plan), the site's agents (hired, left, contracted
  hours, team, skills, availability), the skill each queue needs, and the rostering rules; and, through the
  chain, its plan (so its templates and requirements too).

Not sources, on purpose: approved time off, training sessions and activities (they edit the roster itself,
which then shows them), agents' wishes (soft preferences that change often).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy import func, select

from scheduling.text import Sentence
from wfm.extensions import db
from wfm.forecasting.window import HISTORY_DAYS
from wfm.models import (
    Agent,
    AgentSkill,
    Availability,
    Forecast,
    ForecastInterval,
    HistoryInterval,
    OpeningHours,
    Queue,
    Requirement,
    Roster,
    RosterRules,
    ShiftPlan,
    ShiftTemplate,
    SpecialDay,
)
from wfm.shiftplans.chosen import latest_requirements

PART_SENTENCES = {
    "history": Sentence(
        "The contact history it was made from changed (an import added or replaced intervals)."
    ),
    "special_days": Sentence("The site's special days changed."),
    "profile": Sentence("The history of the queue whose intraday pattern it borrowed changed."),
    "forecast": Sentence("Its forecast was adjusted after it was calculated."),
    "targets": Sentence("The queue's targets (service level, shrinkage, occupancy or handle time) changed."),
    "requirements": Sentence("A newer staffing requirement was calculated for a queue it covers."),
    "templates": Sentence("The shift templates it used or the site's opening hours changed."),
    "plan": Sentence("Its shift plan changed or was deleted."),
    "agents": Sentence(
        "The site's agents changed (joined, left, contracted hours, team, skills or availability)."
    ),
    "rules": Sentence("The site's rostering rules changed."),
    "queue_skills": Sentence("The skill a queue needs, or its minimum proficiency, changed."),
}


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:32]


# Forecast ---------------------------------------------------------------------------------------------


def _history_digest(queue_id: int, start: dt.date) -> str:
    """Count and totals of the queue's history in the window a forecast from `start` reads."""
    until = dt.datetime.combine(start, dt.time())
    count, offered, aht, last = db.session.execute(
        select(
            func.count(HistoryInterval.id),
            func.sum(HistoryInterval.offered),
            func.sum(HistoryInterval.aht_seconds),
            func.max(HistoryInterval.interval_start),
        ).where(
            HistoryInterval.queue_id == queue_id,
            HistoryInterval.interval_start >= until - dt.timedelta(days=HISTORY_DAYS),
            HistoryInterval.interval_start < until,
        )
    ).one()
    return digest([count, round(offered or 0.0, 3), round(aht or 0.0, 1), last])


def _special_days_digest(site_id: int, start: dt.date, end: dt.date) -> str:
    """The site's special days in the history a forecast reads and in its horizon."""
    rows = db.session.scalars(
        select(SpecialDay).where(
            SpecialDay.site_id == site_id,
            SpecialDay.day >= start - dt.timedelta(days=HISTORY_DAYS),
            SpecialDay.day <= end,
        )
    ).all()
    return digest(sorted((r.day, round(r.uplift, 6), r.like_day, r.closed) for r in rows))


def forecast_parts(record: Forecast) -> dict[str, str]:
    if record.typed is not None:
        profile = record.typed.get("profile_queue_id")
        return {"profile": _history_digest(profile, record.start_date)} if profile else {}
    return {
        "history": _history_digest(record.queue_id, record.start_date),
        "special_days": _special_days_digest(record.queue.site_id, record.start_date, record.end_date),
    }


# Requirement ------------------------------------------------------------------------------------------


def _forecast_volumes_digest(record: Forecast) -> str:
    rows = db.session.execute(
        select(ForecastInterval.interval_start, ForecastInterval.adjusted, ForecastInterval.aht_seconds)
        .where(ForecastInterval.forecast_id == record.id)
        .order_by(ForecastInterval.interval_start)
    ).all()  # plain rows, not objects: a plan reads ten forecasts of thousands of intervals
    return digest([(t, round(v, 6), None if a is None else round(a, 3)) for t, v, a in rows])


def _targets_digest(queue) -> str:
    """The queue's settings the requirement's targets are made of (`target_for` reads these and no more)."""
    return digest(
        [
            str(queue.channel),
            queue.staffing_model,
            queue.service_level,
            queue.answer_seconds,
            queue.deadline_hours,
            queue.max_asa_seconds,
            queue.max_abandon,
            queue.max_occupancy,
            queue.shrinkage,
            queue.concurrency,
            queue.patience_seconds,
            queue.aht_seconds,
        ]
    )


def requirement_parts(requirement: Requirement) -> dict[str, str]:
    return {
        "forecast": _forecast_volumes_digest(requirement.forecast),
        "targets": _targets_digest(requirement.queue),
    }


# Shift plan -------------------------------------------------------------------------------------------


def _chosen_requirements(plan: ShiftPlan) -> dict[str, int]:
    chosen = latest_requirements(plan.site, plan.start_date, plan.end_date)
    return {queue.name: requirement.id for queue, requirement in chosen.items()}


def _templates_digest(plan: ShiftPlan) -> str:
    ids = (plan.settings or {}).get("template_ids", [])
    templates = db.session.scalars(select(ShiftTemplate).where(ShiftTemplate.id.in_(ids))).all()
    hours = db.session.scalars(select(OpeningHours).where(OpeningHours.site_id == plan.site_id)).all()
    return digest(
        [
            sorted(
                (
                    t.id,
                    t.name,
                    t.earliest_start,
                    t.latest_start,
                    t.step_minutes,
                    t.lengths,
                    t.days,
                    t.breaks,
                    t.per_hour,
                    t.night_multiplier,
                    t.weekend_multiplier,
                    t.queue_ids,
                )
                for t in templates
            ),
            sorted((h.weekday, h.opens_minute, h.closes_minute) for h in hours),
        ]
    )


def plan_parts(plan: ShiftPlan) -> dict[str, str]:
    parts = {"requirements": digest(_chosen_requirements(plan)), "templates": _templates_digest(plan)}
    if (plan.settings or {}).get("by_skill"):  # its skill groups come from the agents and queue skills
        parts["agents"] = _agents_digest(plan)
        parts["queue_skills"] = _queue_skills_digest(plan.site_id)
    return parts


# Roster -----------------------------------------------------------------------------------------------


def _plan_digest(plan: ShiftPlan | None) -> str:
    if plan is None:
        return "deleted"
    return digest(sorted((s.template, s.start, s.end, s.agents, s.queues) for s in plan.shifts))


def _agents_digest(roster: Roster | ShiftPlan) -> str:
    """The site's agents as rostering reads them: employment, contract, team, skills and availability
    (plain rows in three queries, whatever the number of agents)."""
    agents = db.session.execute(
        select(
            Agent.id,
            Agent.contracted_hours,
            Agent.status,
            Agent.hire_date,
            Agent.leaving_date,
            Agent.team_id,
        ).where(Agent.site_id == roster.site_id)
    ).all()
    skills = db.session.execute(
        select(
            Agent.id,
            AgentSkill.skill_id,
            AgentSkill.proficiency,
            AgentSkill.effective_from,
            AgentSkill.effective_to,
        )
        .join(AgentSkill, AgentSkill.agent_id == Agent.id)
        .where(Agent.site_id == roster.site_id)
    ).all()
    windows = db.session.execute(
        select(Availability.agent_id, Availability.weekday, Availability.from_minute, Availability.to_minute)
        .join(Agent, Agent.id == Availability.agent_id)
        .where(Agent.site_id == roster.site_id)
    ).all()
    return digest(
        [
            sorted((a[0], a[1], str(a[2]), a[3], a[4], a[5]) for a in agents),
            sorted(tuple(s) for s in skills),
            sorted(tuple(w) for w in windows),
        ]
    )


def _queue_skills_digest(site_id: int) -> str:
    """Which skill, at which proficiency, each queue of the site needs (rostering matches agents to it)."""
    rows = db.session.execute(
        select(Queue.id, Queue.skill_id, Queue.min_proficiency, Queue.active).where(Queue.site_id == site_id)
    ).all()
    return digest(sorted(tuple(r) for r in rows))


def _rules_digest(site_id: int) -> str:
    rules = db.session.scalar(select(RosterRules).where(RosterRules.site_id == site_id))
    if rules is None:
        return "defaults"
    return digest({c.name: getattr(rules, c.name) for c in RosterRules.__table__.columns if c.name != "id"})


def roster_parts(roster: Roster) -> dict[str, str]:
    return {
        "plan": _plan_digest(roster.plan),
        "agents": _agents_digest(roster),
        "rules": _rules_digest(roster.site_id),
        "queue_skills": _queue_skills_digest(roster.site_id),
    }


PARTS = {
    Forecast: forecast_parts,
    Requirement: requirement_parts,
    ShiftPlan: plan_parts,
    Roster: roster_parts,
}


def stamp(record) -> None:
    """Keep the fingerprints of what `record` is being built from (call when it is built, before commit)."""
    record.sources = PARTS[type(record)](record)


def changed_parts(record) -> list[str] | None:
    """The parts whose content differs from when `record` was built; None: built before they were kept."""
    if record.sources is None:
        return None
    now = PARTS[type(record)](record)
    return [part for part, value in now.items() if record.sources.get(part) != value]


# What a page and the API show -------------------------------------------------------------------------


def _when(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def _forecast_version(record: Forecast) -> str:
    made = _when(record.created_at)
    if not record.adjustments:
        return Sentence("made %(made)s, not adjusted", made=made)
    last = _when(record.adjustments[-1].created_at)
    count = len(record.adjustments)
    if count == 1:
        return Sentence("made %(made)s, adjusted 1 time (last %(last)s)", made=made, last=last)
    return Sentence(
        "made %(made)s, adjusted %(count)s times (last %(last)s)", made=made, count=count, last=last
    )


def _source(kind: str, name: str, url: str | None, version: str, status: dict | None = None) -> dict:
    return {
        "kind": kind,
        "name": name,
        "url": url,
        "version": version,
        "out_of_date": bool(status and status["out_of_date"]),
    }


def _status(record, built_from: list[dict], rebuild: dict, upstream: list[tuple[str, dict]]) -> dict:
    parts = changed_parts(record)
    reasons = [PART_SENTENCES[p] for p in parts or []]
    stale = [status for _name, status in upstream if status["out_of_date"]]
    reasons += [
        Sentence("%(name)s, which it was built from, is itself out of date.", name=name)
        for name, s in upstream
        if s in stale
    ]
    if stale:  # rebuilding this on a stale source would be stale again: the source comes first
        first = stale[0]["rebuild"]
        rebuild = {
            **first,
            "label": Sentence("%(action)s first", action=first["label"]),
            "then": rebuild["label"],
        }
    return {
        "checked": parts is not None,
        "out_of_date": bool(reasons),
        "reasons": reasons,
        "changed": parts or [],
        "built_from": built_from,
        "rebuild": rebuild,
        "note": (
            ""
            if parts is not None
            else Sentence(
                "It was built before sources were recorded, so whether they changed since cannot be told."
            )
        ),
    }


def forecast_status(record: Forecast) -> dict:
    if record.typed is not None:
        built_from = [
            _source("typed", Sentence("volumes typed by a scheduler"), None, _when(record.created_at))
        ]
    else:
        built_from = [
            _source(
                "history",
                Sentence("history of %(queue)s", queue=record.queue.name),
                "/planning/history",
                Sentence(
                    "%(first)s – %(last)s", first=_when(record.history_from), last=_when(record.history_to)
                ),
            )
        ]
    rebuild = {
        "url": f"/planning/forecasts/{record.id}/rebuild",
        "method": "post",
        "label": Sentence("Forecast again with the same settings"),
    }
    return _status(record, built_from, rebuild, [])


def requirement_status(requirement: Requirement) -> dict:
    record = requirement.forecast
    upstream = forecast_status(record)
    built_from = [
        _source(
            "forecast",
            Sentence("forecast #%(id)s of %(queue)s", id=record.id, queue=record.queue.name),
            f"/planning/forecasts/{record.id}",
            _forecast_version(record),
            upstream,
        ),
        _source(
            "targets",
            Sentence("targets of %(queue)s", queue=requirement.queue.name),
            f"/planning/queues/{requirement.queue_id}/targets",
            Sentence("as on %(when)s", when=_when(requirement.created_at)),
        ),
    ]
    rebuild = {
        "url": f"/planning/forecasts/{record.id}/requirement",
        "method": "post",
        "label": Sentence("Calculate the requirement again"),
    }
    return _status(requirement, built_from, rebuild, [(Sentence("Forecast #%(id)s", id=record.id), upstream)])


def plan_status(plan: ShiftPlan) -> dict:
    built_from, upstream = [], []
    for queue, requirement_id in sorted(((plan.settings or {}).get("requirements") or {}).items()):
        requirement = db.session.get(Requirement, requirement_id)
        if requirement is None:
            built_from.append(
                _source(
                    "requirement",
                    Sentence("requirement #%(id)s of %(queue)s", id=requirement_id, queue=queue),
                    None,
                    Sentence("deleted"),
                )
            )
            continue
        status = requirement_status(requirement)
        upstream.append(
            (Sentence("The requirement of %(queue)s (#%(id)s)", queue=queue, id=requirement_id), status)
        )
        built_from.append(
            _source(
                "requirement",
                Sentence("requirement #%(id)s of %(queue)s", id=requirement_id, queue=queue),
                f"/planning/requirements/{requirement_id}",
                Sentence("calculated %(when)s", when=_when(requirement.created_at)),
                status,
            )
        )
    templates = (plan.settings or {}).get("templates") or []
    built_from.append(
        _source(
            "templates",
            Sentence("shift templates: %(names)s", names=", ".join(templates)),
            "/planning/templates",
            "",
        )
    )
    rebuild = {
        "url": f"/planning/plans/{plan.id}/rebuild",
        "method": "post",
        "label": Sentence("Solve the plan again"),
    }
    return _status(plan, built_from, rebuild, upstream)


def roster_status(roster: Roster) -> dict:
    upstream, built_from = [], []
    if roster.plan is not None:
        status = plan_status(roster.plan)
        upstream.append((Sentence("Shift plan #%(id)s", id=roster.plan.id), status))
        built_from.append(
            _source(
                "plan",
                Sentence("shift plan #%(id)s %(name)s", id=roster.plan.id, name=roster.plan.name),
                f"/planning/plans/{roster.plan.id}",
                Sentence("solved %(when)s", when=_when(roster.plan.created_at)),
                status,
            )
        )
    else:
        built_from.append(_source("plan", Sentence("a shift plan since deleted"), None, ""))
    built_from.append(
        _source("agents", Sentence("the agents and rules of %(site)s", site=roster.site.name), None, "")
    )
    rebuild = {
        "url": f"/rosters/?plan_id={roster.plan_id}" if roster.plan_id else "/rosters/",
        "method": "get",
        "label": Sentence("Roster again from the plan"),
    }
    return _status(roster, built_from, rebuild, upstream)


STATUS = {
    Forecast: forecast_status,
    Requirement: requirement_status,
    ShiftPlan: plan_status,
    Roster: roster_status,
}


def status_of(record) -> dict:
    return STATUS[type(record)](record)
