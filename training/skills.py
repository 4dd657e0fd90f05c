"""From careers to the roster: validated competencies (and levels held) become queue skills.

The roster engine knows skills with proficiencies (`scheduling.roster.model.Staff.skills`); HR knows
competencies and ladders. A `SkillRule` says which competencies at which proficiency, and optionally
which level in a field, give a queue skill at a proficiency. Because competencies and levels are dated,
so are skills: an agent promoted on the 1st is rosterable on the new queue from the 1st, not the 31st.
`skill_history` gives the periods to store as the agent's skill rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from training.records import AgentRecord

# The demo centre's queue skills (wfm/demo/organisation.py); the default rules use these names.
CENTRE_SKILLS = (
    "Retail service",
    "Priority service",
    "Stock exchange",
    "Internet support",
    "English",
    "Sales",
    "Chat",
    "Video advisory",
    "Back-office processing",
)


@dataclass(frozen=True)
class SkillRule:
    """Grants `skill` at `proficiency` when every listed competency is at least its proficiency and every
    listed field level is held. `proficiency` None: the lowest of the listed competencies' proficiencies
    (so "English" at 4 gives skill English at 4)."""

    skill: str
    competencies: Mapping[str, int] = field(default_factory=dict)
    levels: Mapping[str, int] = field(default_factory=dict)  # field code -> minimum level
    proficiency: int | None = None

    def __post_init__(self) -> None:
        if not self.competencies and not self.levels:
            raise ValueError(f"skill rule {self.skill!r}: needs a competency or a level")
        if self.proficiency is None and not self.competencies:
            raise ValueError(f"skill rule {self.skill!r}: proficiency: needed when no competency is listed")
        if self.proficiency is not None and not 1 <= self.proficiency <= 5:
            raise ValueError(f"skill rule {self.skill!r}: proficiency {self.proficiency} outside 1..5")

    def grants(self, record: AgentRecord, on: dt.date) -> int:
        """The proficiency this rule grants on `on` (0: the rule does not apply)."""
        held = {c: record.proficiency_on(c, on) for c in self.competencies}
        if any(held[c] < need for c, need in self.competencies.items()):
            return 0
        if any(record.level_on(f, on) < need for f, need in self.levels.items()):
            return 0
        return self.proficiency if self.proficiency is not None else min(held.values())


@dataclass(frozen=True)
class SkillChange:
    skill: str
    from_proficiency: int  # 0: the agent did not have the skill
    to_proficiency: int  # 0: the agent loses it
    effective_from: dt.date


@dataclass(frozen=True)
class SkillPeriod:
    """A skill at a proficiency over [effective_from, effective_to] (None: open), like a stored skill row."""

    skill: str
    proficiency: int
    effective_from: dt.date
    effective_to: dt.date | None


def default_skill_rules() -> list[SkillRule]:
    """How the seeded competencies and ladders open the demo centre's queues (see their minimum
    proficiencies: Priority service and Video advisory at 3, Stock exchange and English at 2)."""
    return [
        SkillRule("Retail service", {"product_knowledge": 1, "customer_communication": 1}),
        SkillRule("Priority service", {"investment_advice": 2}, {"high_end_service": 1}, 3),
        SkillRule("Priority service", {"investment_advice": 3}, {"high_end_service": 2}, 4),
        SkillRule("Priority service", {"investment_advice": 3}, {"wealth_manager": 1}, 3),
        SkillRule("Stock exchange", {"securities_trading": 1}),
        SkillRule("Internet support", {"digital_banking": 1}),
        SkillRule("English", {"english": 1}),
        SkillRule("Sales", {"sales": 1}),
        SkillRule("Chat", {"written_service": 1}),
        SkillRule(
            "Video advisory", {"investment_advice": 3, "video_consultation": 2}, {"wealth_manager": 2}, 3
        ),
        SkillRule(
            "Video advisory", {"investment_advice": 4, "video_consultation": 3}, {"wealth_manager": 3}, 4
        ),
        SkillRule("Back-office processing", {"back_office_processing": 1}),
    ]


def roster_skills(record: AgentRecord, on: dt.date, rules: Iterable[SkillRule]) -> dict[str, int]:
    """Queue skill -> proficiency for the roster on `on` (the best any rule grants); none when not
    employed."""
    if not record.employed_on(on):
        return {}
    skills: dict[str, int] = {}
    for rule in rules:
        granted = rule.grants(record, on)
        if granted > skills.get(rule.skill, 0):
            skills[rule.skill] = granted
    return dict(sorted(skills.items()))


def rosterable(
    record: AgentRecord, skill: str, min_proficiency: int, on: dt.date, rules: Iterable[SkillRule]
) -> bool:
    """May the roster put the agent on a queue needing `skill` at `min_proficiency` on `on`?"""
    return roster_skills(record, on, rules).get(skill, 0) >= max(min_proficiency, 1)


def skill_changes(
    before: AgentRecord, after: AgentRecord, on: dt.date, rules: Iterable[SkillRule]
) -> list[SkillChange]:
    """Skills that differ on `on` between two versions of a record (say before and after a promotion)."""
    rules = list(rules)
    old, new = roster_skills(before, on, rules), roster_skills(after, on, rules)
    return [
        SkillChange(s, old.get(s, 0), new.get(s, 0), on)
        for s in sorted(set(old) | set(new))
        if old.get(s, 0) != new.get(s, 0)
    ]


def _change_days(record: AgentRecord) -> list[dt.date]:
    days = {record.hire_date}
    days |= {a.effective_from for a in record.assessments}
    days |= {lv.since for lv in record.levels}
    if record.leaving_date is not None:
        days.add(record.leaving_date + dt.timedelta(days=1))
    return sorted(d for d in days if d >= record.hire_date)


def skill_history(record: AgentRecord, rules: Iterable[SkillRule]) -> list[SkillPeriod]:
    """The agent's skills as dated periods, evaluated wherever the record changes; what to store as the
    agent's skill rows (a change closes one period the day before and opens the next)."""
    rules = list(rules)
    periods: list[SkillPeriod] = []
    open_periods: dict[str, tuple[int, dt.date]] = {}
    for day in _change_days(record):
        skills = roster_skills(record, day, rules)
        for skill in sorted(set(open_periods) | set(skills)):
            current = open_periods.get(skill)
            wanted = skills.get(skill, 0)
            if current is not None and current[0] == wanted:
                continue
            if current is not None:
                periods.append(SkillPeriod(skill, current[0], current[1], day - dt.timedelta(days=1)))
                del open_periods[skill]
            if wanted:
                open_periods[skill] = (wanted, day)
    periods += [SkillPeriod(s, p, since, None) for s, (p, since) in sorted(open_periods.items())]
    return sorted(periods, key=lambda p: (p.skill, p.effective_from))
