"""Skill groups and the plan by skill group, checked against the constraints from the returned rows alone.

Coverage per queue is re-checked with a maximum-flow figure computed independently of the engine: by the
max-flow min-cut theorem, the most of the queues' needs a set of groups can meet in one interval is the
least, over sets S of queues, of (need of the queues outside S) + (agents of the groups serving some queue
in S). Every set is enumerated (the instances have few queues).
"""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime, timedelta

import numpy as np
import pytest

from scheduling.shifts import (
    CostRule,
    ShiftTemplate,
    TemplateError,
    covering,
    plan_shifts,
    requirement_from_records,
)
from scheduling.shifts.flow import share_out
from scheduling.shifts.skill_groups import (
    QueueSkill,
    SkillGroup,
    SkillPeriod,
    fold_small_groups,
    shared_queues,
    skill_groups,
    skill_groups_by_day,
    skills_on,
)

SUNDAY = date(2024, 1, 7)
QUEUE_SKILLS = [
    QueueSkill("voice", "Retail service", 1),
    QueueSkill("priority", "Priority service", 3),
    QueueSkill("chat", "Chat", 1),
    QueueSkill("back office", "Back-office processing", 1),
]


def max_flow(on: dict[frozenset, int], need: dict[str, int]) -> int:
    queues = sorted(need)
    best = None
    for size in range(len(queues) + 1):
        for chosen in itertools.combinations(queues, size):
            inside = set(chosen)
            cut = sum(need[q] for q in queues if q not in inside)
            cut += sum(n for group, n in on.items() if group & inside)
            best = cut if best is None else min(best, cut)
    return best


def feasible_split(on: dict[frozenset, int], served: dict[str, int]) -> bool:
    """Gale: groups can give queue q exactly served[q] when no set of queues takes more than the groups
    serving it have."""
    queues = sorted(served)
    for size in range(1, len(queues) + 1):
        for chosen in itertools.combinations(queues, size):
            if sum(served[q] for q in chosen) > sum(n for g, n in on.items() if g & set(chosen)):
                return False
    return True


# ---- grouping -------------------------------------------------------------------------------------------


def test_groups_follow_skills_and_levels_from_their_effective_dates():
    promotion = SUNDAY + timedelta(days=3)
    periods = [
        SkillPeriod("ann", "Retail service", 2, date(2020, 1, 1)),
        SkillPeriod("ann", "Priority service", 2, date(2021, 1, 1), promotion - timedelta(days=1)),
        SkillPeriod("ann", "Priority service", 3, promotion),  # promoted: now serves priority
        SkillPeriod("bob", "Retail service", 4, date(2019, 1, 1)),
        SkillPeriod("cat", "Retail service", 1, date(2022, 1, 1)),
        SkillPeriod("cat", "Chat", 1, SUNDAY + timedelta(days=5)),  # a new skill
        SkillPeriod("dan", "Stock exchange", 5, date(2019, 1, 1)),  # no queue here asks for it
        SkillPeriod("eve", "Retail service", 1, date(2020, 1, 1), SUNDAY),  # leaves after the first day
    ]
    first = skill_groups(skills_on(periods, SUNDAY), QUEUE_SKILLS)
    assert {g.queues: g.members for g in first} == {frozenset({"voice"}): ("ann", "bob", "cat", "eve")}
    later = skill_groups(skills_on(periods, SUNDAY + timedelta(days=6)), QUEUE_SKILLS)
    assert {g.queues: g.members for g in later} == {
        frozenset({"voice"}): ("bob",),
        frozenset({"voice", "priority"}): ("ann",),
        frozenset({"voice", "chat"}): ("cat",),
    }
    days = [SUNDAY + timedelta(days=d) for d in range(7)]
    by_day = {g.queues: g.agents_by_day for g in skill_groups_by_day(periods, QUEUE_SKILLS, days)}
    assert by_day[frozenset({"voice"})] == (4, 3, 3, 2, 2, 1, 1)
    assert by_day[frozenset({"voice", "priority"})] == (0, 0, 0, 1, 1, 1, 1)
    assert by_day[frozenset({"voice", "chat"})] == (0, 0, 0, 0, 0, 1, 1)


def test_pooling_is_allowed_where_groups_join_queues():
    groups = [
        SkillGroup("a", frozenset({"voice", "chat"}), 3),
        SkillGroup("b", frozenset({"chat"}), 2),
        SkillGroup("c", frozenset({"back office"}), 2),
    ]
    assert shared_queues(groups) == [frozenset({"chat", "voice"})]


def test_small_groups_fold_into_groups_serving_part_of_their_queues_keeping_scarce_skills():
    groups = [
        SkillGroup("a", frozenset({"voice", "chat"}), 5, ("a1", "a2", "a3", "a4", "a5"), (5, 4)),
        SkillGroup("b", frozenset({"voice"}), 4, ("b1", "b2", "b3", "b4"), (4, 4)),
        SkillGroup("c", frozenset({"voice", "chat", "back office"}), 1, ("c1",), (1, 1)),
        SkillGroup("d", frozenset({"back office", "priority"}), 1, ("d1",), (0, 1)),
    ]
    original = {m: g.queues for g in groups for m in g.members}
    three = fold_small_groups(groups, 3)
    # c joins a (it loses only back office, which d still has); d, the only one for priority, stays
    assert {g.queues: g.members for g in three} == {
        frozenset({"voice", "chat"}): ("a1", "a2", "a3", "a4", "a5", "c1"),
        frozenset({"voice"}): ("b1", "b2", "b3", "b4"),
        frozenset({"back office", "priority"}): ("d1",),
    }
    assert next(g for g in three if g.queues == {"voice", "chat"}).agents_by_day == (6, 5)
    for most in (1, 2, 3, 4):
        folded = fold_small_groups(groups, most)
        assert sum(len(g.members) for g in folded) == 11  # nobody lost
        for g in folded:
            assert g.agents == max(g.agents_by_day)
            for member in g.members:
                assert g.queues <= original[member]  # never counted on a queue they cannot serve
        assert len(folded) == max(most, 2)  # d shares no queue with what the rest become


# ---- sharing one interval's agents ----------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(40))
def test_share_out_meets_as_much_need_as_any_split_could(seed):
    rng = random.Random(seed)
    queues = ["a", "b", "c", "d"][: rng.randint(1, 4)]
    groups = [frozenset(rng.sample(queues, rng.randint(1, len(queues)))) for _ in range(rng.randint(1, 4))]
    on = [rng.randint(0, 5) for _ in groups]
    need = [rng.randint(0, 6) for _ in queues]
    serves = [[queues.index(q) for q in sorted(g)] for g in groups]
    start = {(g, q): rng.randint(0, 3) for g in range(len(groups)) for q in serves[g]}  # any start
    given = share_out(on, need, serves, start)
    for g in range(len(groups)):
        assert sum(v for (gg, _), v in given.items() if gg == g) <= on[g]
    for q in range(len(queues)):
        assert sum(v for (_, qq), v in given.items() if qq == q) <= need[q]
    assert all(q in serves[g] and v > 0 for (g, q), v in given.items())
    pooled_on: dict[frozenset, int] = {}
    for group, n in zip(groups, on, strict=True):
        pooled_on[group] = pooled_on.get(group, 0) + n
    assert sum(given.values()) == max_flow(pooled_on, dict(zip(queues, need, strict=True)))


# ---- the plan by skill group ----------------------------------------------------------------------------

HOURS = range(7, 21)
NEED = {  # agents per hour of day, Sunday and Monday
    "voice": [2, 3, 4, 4, 3, 3, 4, 4, 3, 2, 2, 1, 1, 1],
    "priority": [0, 1, 1, 2, 2, 1, 1, 1, 1, 1, 0, 0, 0, 0],
    "chat": [0, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0],
    "back office": [0, 1, 3, 3, 3, 3, 3, 3, 2, 0, 0, 0, 0, 0],
}
GROUPS = [
    SkillGroup("voice", frozenset({"voice"}), 5, shifts_per_week=9),
    SkillGroup("voice + chat", frozenset({"voice", "chat"}), 3),
    SkillGroup("priority", frozenset({"voice", "priority"}), 2, agents_by_day=(1, 2)),
    SkillGroup("back office", frozenset({"back office"}), 1),  # with "everything", fewer than it needs
    SkillGroup("everything", frozenset(NEED), 1),
]
TEMPLATES = [
    ShiftTemplate(
        "day", starts=tuple(range(7 * 60, 13 * 60 + 1, 60)), lengths=(480,), cost=CostRule(fixed=8)
    ),
    ShiftTemplate(
        "short", starts=tuple(range(7 * 60, 17 * 60 + 1, 60)), lengths=(240,), cost=CostRule(fixed=5)
    ),
    ShiftTemplate(
        "office",
        starts=(8 * 60, 9 * 60),
        lengths=(480,),
        cost=CostRule(fixed=7),
        queues=frozenset({"back office"}),
    ),
]


def _requirement():
    records = []
    for day in (SUNDAY, SUNDAY + timedelta(days=1)):
        for queue, values in NEED.items():
            for hour, value in zip(HOURS, values, strict=True):
                records.append(
                    (datetime.combine(day, datetime.min.time()) + timedelta(hours=hour), queue, value)
                )
    return requirement_from_records(records, interval_minutes=60)


def _on_by_queues(plan, requirement):
    """Agents on per interval by the queues they may serve, from the rows (no breaks in these templates)."""
    counts: dict[frozenset, np.ndarray] = {}
    for row in plan.rows:
        array = counts.setdefault(row.queues, np.zeros(requirement.n_intervals, dtype=int))
        first = int((row.start - requirement.start) / timedelta(hours=1))
        last = int((row.end - requirement.start) / timedelta(hours=1))
        for t in range(first, min(last, requirement.n_intervals)):
            array[t] += row.agents
    return counts


@pytest.mark.parametrize("day_by_day", [False, True])
def test_plan_by_skill_group_keeps_head_counts_and_covers_each_queue_through_the_groups(
    day_by_day, monkeypatch
):
    requirement = _requirement()
    if day_by_day:  # as a large plan is solved: one day at a time, the weekly limit shared out
        monkeypatch.setattr(covering, "DAY_BY_DAY_ABOVE_VARIANTS", 0)
    plan = plan_shifts(requirement, TEMPLATES, skill_groups=GROUPS, time_limit=30)
    assert plan.report.status == ("feasible" if day_by_day else "optimal")
    assert bool(plan.stats.get("day_by_day")) == day_by_day
    by_name = {g.name: g for g in GROUPS}
    templates = {t.name: t for t in TEMPLATES}
    for row in plan.rows:  # each row: one template worked by one group, serving what both allow
        allowed = templates[row.template].queues or frozenset(NEED)
        assert row.queues == by_name[row.skill_group].queues & allowed
    for g in GROUPS:  # never more shifts a day than the group has agents that day
        for d, day in enumerate(requirement.days):
            started = sum(r.agents for r in plan.rows if r.skill_group == g.name and r.date == day)
            assert started <= g.agents_on(d)
        if g.shifts_per_week is not None:
            assert sum(r.agents for r in plan.rows if r.skill_group == g.name) <= g.shifts_per_week
    on = _on_by_queues(plan, requirement)
    coverage = {(c.interval_start, c.queue): c for c in plan.coverage}
    total_short = 0
    for t in range(requirement.n_intervals):
        stamp = requirement.interval_start(t)
        need = {q: int(requirement.values[i, t]) for i, q in enumerate(requirement.queues)}
        on_t = {queues: int(counts[t]) for queues, counts in on.items()}
        cells = [coverage[(stamp, q)] for q in requirement.queues]
        assert [c.required for c in cells] == [need[q] for q in requirement.queues]
        assert sum(c.on_phones for c in cells) == sum(on_t.values())  # an agent counted once
        served = {c.queue: c.required - c.short for c in cells}
        assert feasible_split(on_t, served)  # the split reported is one the groups can make
        assert sum(served.values()) == max_flow(on_t, need)  # and none could meet more of the need
        assert all(c.on_phones - c.over == c.required - c.short for c in cells)
        total_short += sum(c.short for c in cells)
    assert total_short == plan.unmet_agent_intervals
    bo = plan.by_queue()["back office"]
    # one back-office agent and one who does everything at most: the 3-agent hours cannot all be met
    assert bo["short"] >= sum(max(0, v - 2) for v in NEED["back office"]) * 2
    assert bo["required"] == sum(NEED["back office"]) * 2
    assert set(plan.by_queue()) == set(NEED)
    assert sum(v["short"] for v in plan.by_queue().values()) == plan.unmet_agent_intervals


def test_the_same_agents_planned_pooled_would_hide_the_back_office_shortfall():
    requirement = _requirement()
    pooled = plan_shifts(requirement, TEMPLATES[:2], time_limit=30)
    assert pooled.unmet_agent_intervals == 0  # anyone may serve anything: nothing short
    by_group = plan_shifts(requirement, TEMPLATES, skill_groups=GROUPS, time_limit=30)
    assert by_group.by_queue()["back office"]["short"] > 0


def test_skill_groups_are_checked_by_name():
    requirement = _requirement()
    with pytest.raises(TemplateError, match="agents_by_day"):
        plan_shifts(
            requirement,
            TEMPLATES,
            skill_groups=[SkillGroup("x", frozenset({"voice"}), 2, agents_by_day=(1, 2, 3))],
        )
    with pytest.raises(TemplateError, match="name"):
        plan_shifts(
            requirement,
            TEMPLATES,
            skill_groups=[SkillGroup("x", frozenset({"voice"}), 2), SkillGroup("x", frozenset({"chat"}), 1)],
        )


def test_planned_day_by_day_a_shift_past_midnight_covers_the_next_morning(monkeypatch):
    monkeypatch.setattr(covering, "DAY_BY_DAY_ABOVE_VARIANTS", 0)
    night = [
        (datetime.combine(SUNDAY, datetime.min.time()) + timedelta(hours=h), "voice", 1)
        for h in range(20, 28)
    ]
    quiet = [
        (datetime.combine(SUNDAY, datetime.min.time()) + timedelta(hours=h), "voice", 0)
        for h in range(28, 48)
    ]
    early = [
        (datetime.combine(SUNDAY, datetime.min.time()) + timedelta(hours=h), "voice", 0) for h in range(0, 20)
    ]
    requirement = requirement_from_records(early + night + quiet, interval_minutes=60)
    templates = [
        ShiftTemplate("night", starts=(20 * 60,), lengths=(480,), cost=CostRule(fixed=8)),
        ShiftTemplate("small hours", starts=(0,), lengths=(240,), cost=CostRule(fixed=6)),
    ]
    groups = [
        SkillGroup("voice", frozenset({"voice"}), 2),
        SkillGroup("voice + chat", frozenset({"voice", "chat"}), 1),
    ]
    plan = plan_shifts(requirement, templates, skill_groups=groups, time_limit=10)
    assert plan.stats.get("day_by_day")
    # Sunday's night shift covers Monday's first four hours: Monday starts nothing more
    assert [(r.date, r.template, r.agents) for r in plan.rows] == [(SUNDAY, "night", 1)]
    assert plan.unmet_agent_intervals == 0
    assert sum(c.on_phones for c in plan.coverage) == 8
