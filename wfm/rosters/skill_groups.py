"""Which agents may work a shift planned for a skill group: the roster keeps the plan's promise per queue.

A plan made by skill group starts each shift for one group, counted towards the queues that group serves.
On the roster such a shift may only go to an agent who, on that day, may answer every queue of the group
(by skill and minimum proficiency, with the skills' effective dates): the same test the plan grouped the
agents by (`scheduling.shifts.skill_groups.queues_served`), so a promotion counts from its day here as there.
A pooled plan (no skill groups) restricts nobody.
"""

from __future__ import annotations

import datetime as dt

from scheduling.shifts.skill_groups import SkillPeriod, queues_served, skills_on
from wfm.models import Agent, ShiftPlan, Site
from wfm.rosters.shift_types import ShiftTypeRow


def group_queues(plan: ShiftPlan) -> dict[str, frozenset[str]]:
    """The plan's skill groups by name, each with the queues it serves (empty for a pooled plan)."""
    settings = plan.settings or {}
    if not settings.get("by_skill"):
        return {}
    return {g["name"]: frozenset(g["queues"]) for g in settings.get("skill_groups", [])}


def queues_by_day(
    site: Site, agents: list[Agent], dates: list[dt.date], queue_names: set[str]
) -> dict[int, list[frozenset[str]]]:
    """Per agent id, the queues (of `queue_names`) the agent may answer on each of the dates."""
    from wfm.shiftplans.skill_groups import queue_skills  # it reads agents through wfm.rosters.problem

    asks = queue_skills(site, sorted(queue_names))
    periods = [
        SkillPeriod(str(a.id), s.skill.name, s.proficiency, s.effective_from, s.effective_to)
        for a in agents
        for s in a.skills
    ]
    held = [skills_on(periods, day) for day in dates]
    return {a.id: [queues_served(day.get(str(a.id), {}), asks) for day in held] for a in agents}


def outside_group(served: list[frozenset[str]], types: list[ShiftTypeRow]) -> frozenset[tuple[int, str]]:
    """(day, shift) pairs of shifts planned for a skill group whose queues the agent may not all answer
    that day (`served`: the agent's queues per day)."""
    grouped = [t for t in types if t.get("group_queues")]
    return frozenset(
        (d, t["id"])
        for d, queues in enumerate(served)
        for t in grouped
        if not frozenset(t["group_queues"]) <= queues
    )
