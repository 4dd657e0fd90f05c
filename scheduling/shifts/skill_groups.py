"""Skill groups: agents who may serve the same queues on a day, counted together by the shift plan.

A queue needs one skill at a least proficiency; an agent holds skills at proficiencies that change on
effective dates (a promotion, a course passed, a new skill learnt). On a given day an agent may serve the
queues whose skill they hold at the queue's level or above; agents with the same set of queues form one
skill group (holding Retail at 4 or at 5 makes no difference when no queue asks for more than 3). The shift
plan counts agents per group: how many start each template, never more than the group has, and each
group's agents on in an interval are shared among the queues the group may serve.

Plain data in, plain data out: the web layer reads agents' skill periods from the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class QueueSkill:
    """What a queue asks of its agents: one skill, at `min_proficiency` or above."""

    queue: str
    skill: str
    min_proficiency: int = 1


@dataclass(frozen=True)
class SkillPeriod:
    """An agent's proficiency in a skill from `effective_from` to `effective_to` (inclusive; None: open)."""

    agent: str
    skill: str
    proficiency: int
    effective_from: dt.date
    effective_to: dt.date | None = None

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


@dataclass(frozen=True)
class SkillGroup:
    """Agents who may serve exactly `queues`; `agents` is how many (and `members` who) on the day.

    `agents_by_day`, when given, is the group's head count on each day of a plan (groups follow
    promotions and new skills from their effective dates, so a group may grow or shrink within a plan).
    """

    name: str
    queues: frozenset[str]
    agents: int
    members: tuple[str, ...] = ()
    agents_by_day: tuple[int, ...] | None = None
    shifts_per_week: float | None = None  # the most shifts its agents work in seven days (None: no limit)

    def agents_on(self, day_index: int) -> int:
        if self.agents_by_day is None:
            return self.agents
        return self.agents_by_day[day_index]


def skills_on(periods: Iterable[SkillPeriod], day: dt.date) -> dict[str, dict[str, int]]:
    """agent -> skill -> proficiency in force on `day` (the highest when periods overlap)."""
    held: dict[str, dict[str, int]] = {}
    for period in periods:
        if period.in_force(day):
            skills = held.setdefault(period.agent, {})
            skills[period.skill] = max(skills.get(period.skill, 0), period.proficiency)
    return held


def queues_served(skills: dict[str, int], queue_skills: Iterable[QueueSkill]) -> frozenset[str]:
    """The queues an agent with these skills (skill -> proficiency) may serve."""
    return frozenset(q.queue for q in queue_skills if skills.get(q.skill, 0) >= q.min_proficiency)


def group_name(queues: frozenset[str], all_queues: frozenset[str]) -> str:
    """A group's name from the queues it serves: 'All queues' or the queue names joined by '+'."""
    if queues == all_queues and len(all_queues) > 1:
        return "All queues"
    return " + ".join(sorted(queues))


def skill_groups(
    agent_skills: dict[str, dict[str, int]], queue_skills: Iterable[QueueSkill]
) -> list[SkillGroup]:
    """Agents grouped by the set of queues their skills let them serve (agents serving none are left out),
    largest group first, then by name."""
    queue_skills = list(queue_skills)
    every = frozenset(q.queue for q in queue_skills)
    members: dict[frozenset[str], list[str]] = {}
    for agent, skills in agent_skills.items():
        served = queues_served(skills, queue_skills)
        if served:
            members.setdefault(served, []).append(agent)
    groups = [
        SkillGroup(group_name(queues, every), queues, len(names), tuple(sorted(names)))
        for queues, names in members.items()
    ]
    return sorted(groups, key=lambda g: (-g.agents, g.name))


def skill_groups_by_day(
    periods: Iterable[SkillPeriod],
    queue_skills: Iterable[QueueSkill],
    days: list[dt.date],
    agents_on_day: dict[dt.date, set[str]] | None = None,
) -> list[SkillGroup]:
    """The groups of a plan's days: one group per set of queues served on any day, with its head count on
    each day (`agents_by_day`) following the skills' effective dates; `agents`/`members` are the most it
    has on a day and everyone who belongs to it on some day. `agents_on_day` limits each day to the agents
    employed then (hired, not yet left); by default everyone holding skills that day counts."""
    periods, queue_skills = list(periods), list(queue_skills)
    every = frozenset(q.queue for q in queue_skills)
    counts: dict[frozenset[str], list[int]] = {}
    members: dict[frozenset[str], set[str]] = {}
    for index, day in enumerate(days):
        held = skills_on(periods, day)
        if agents_on_day is not None:
            held = {a: s for a, s in held.items() if a in agents_on_day.get(day, set())}
        for group in skill_groups(held, queue_skills):
            counts.setdefault(group.queues, [0] * len(days))[index] = group.agents
            members.setdefault(group.queues, set()).update(group.members)
    groups = [
        SkillGroup(
            group_name(queues, every), queues, max(by_day), tuple(sorted(members[queues])), tuple(by_day)
        )
        for queues, by_day in counts.items()
    ]
    return sorted(groups, key=lambda g: (-g.agents, g.name))


def shared_queues(groups: Iterable[SkillGroup]) -> list[frozenset[str]]:
    """Sets of queues that share agents (joined through groups serving several of them): within each,
    the plan may pool agents across the queues interval by interval; queues in no such set are covered
    only by agents serving them alone. Only sets of two or more queues are returned, largest first."""
    parent: dict[str, str] = {}

    def root(queue: str) -> str:
        while parent.setdefault(queue, queue) != queue:
            queue = parent[queue]
        return queue

    for group in groups:
        if group.agents <= 0:
            continue
        first, *rest = sorted(group.queues)
        for queue in rest:
            parent[root(queue)] = root(first)
        root(first)
    sets: dict[str, set[str]] = {}
    for queue in parent:
        sets.setdefault(root(queue), set()).add(queue)
    joined = [frozenset(s) for s in sets.values() if len(s) > 1]
    return sorted(joined, key=lambda s: (-len(s), sorted(s)))


def fold_small_groups(groups: list[SkillGroup], most: int) -> list[SkillGroup]:
    """At most `most` groups (where it can be done safely): two groups at a time become one serving the
    queues both serve, so each agent is still counted only on queues they may serve, losing some reach and
    never gaining any. Each step joins the pair losing the least reach, a queue weighing more the fewer
    agents may serve it (agents × the weight of the queues they no longer count on): a scarce skill such as
    priority service is kept where it can be. Groups sharing no queue are never joined, so more than
    `most` may remain. Fewer groups make a smaller covering model (each template counted once per group)."""
    if most < 1:
        raise ValueError("most: at least one group must be kept")
    every = frozenset().union(*(g.queues for g in groups)) if groups else frozenset()
    able: dict[str, int] = {}
    for g in groups:
        for queue in g.queues:
            able[queue] = able.get(queue, 0) + g.agents
    weight = {q: 1.0 / n if n else 1.0 for q, n in able.items()}
    current = {g.queues: g for g in groups}
    while len(current) > most:
        best = None
        ranked = sorted(current.values(), key=lambda g: sorted(g.queues))
        for i, a in enumerate(ranked):
            for b in ranked[i + 1 :]:
                common = a.queues & b.queues
                if not common:
                    continue
                loss = sum(g.agents * sum(weight[q] for q in g.queues - common) for g in (a, b))
                if best is None or loss < best[0] - 1e-12:
                    best = (loss, a, b, common)
        if best is None:
            break
        _, a, b, common = best
        del current[a.queues], current[b.queues]
        joined = _joined(_joined(a, b), current.pop(common)) if common in current else _joined(a, b)
        current[common] = SkillGroup(
            group_name(common, every),
            common,
            joined.agents,
            joined.members,
            joined.agents_by_day,
            joined.shifts_per_week,
        )
    return sorted(current.values(), key=lambda g: (-g.agents, g.name))


def _joined(into: SkillGroup, group: SkillGroup) -> SkillGroup:
    by_day = None
    if into.agents_by_day is not None and group.agents_by_day is not None:
        by_day = tuple(a + b for a, b in zip(into.agents_by_day, group.agents_by_day, strict=True))
    weekly = None
    if into.shifts_per_week is not None and group.shifts_per_week is not None:
        weekly = into.shifts_per_week + group.shifts_per_week
    return SkillGroup(
        into.name,
        into.queues,
        max(by_day) if by_day else into.agents + group.agents,
        tuple(sorted({*into.members, *group.members})),
        by_day,
        weekly,
    )
