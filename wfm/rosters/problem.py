"""From the database to the roster engine's `RosterProblem`, and back.

Shift types are the distinct shifts of the plan being staffed (template, start time, length); cover is how
many agents the plan starts on each, and, per interval, how many agents its requirement asks for (so
shifts the contracts add beyond the plan go where the requirement is highest); the agents, their
contracts, time off and the site's rules make the staff. Weekends, nights and hours are balanced among
agents on the same contract. Engine ids: agents by their database id (as text), shift types by a
readable label.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field, replace

from sqlalchemy import select

from scheduling.roster import (
    Cover,
    FairnessGroup,
    IntervalCover,
    RosterProblem,
    ShiftRequest,
    ShiftType,
    Staff,
    rest_conflicts,
)
from wfm.calendars import site_calendar
from wfm.extensions import db
from wfm.first_use import get_or_make, stored_or_default
from wfm.models import (
    Agent,
    AgentStatus,
    Availability,
    RosterRules,
    ShiftPlan,
    ShiftTemplate,
    Site,
    TimeOff,
    Wish,
)
from wfm.rosters.shift_types import ShiftTypeRow, ShiftTypes
from wfm.rosters.skill_groups import group_queues, outside_group, queues_by_day
from wfm.site_agents import agents_for

UNDER_WEIGHT = 100  # a planned shift nobody works
OVER_WEIGHT = 10  # an agent on a shift the plan did not ask for
WISH_WEIGHT = 20  # a requested (not yet approved) day off
FAIRNESS_WEIGHT = 5  # per weekend or night away from the mean of agents on the same contract
HOURS_FAIRNESS_WEIGHT = 1  # per hour away from that mean
# Per agent-hour short of (or over) the requirement at work: below a planned shift's weight, so the plan
# leads and the requirement decides between the shifts the plan leaves open.
INTERVAL_UNDER_PER_HOUR = 8
INTERVAL_OVER_PER_HOUR = 2
NIGHT_STARTS_BEFORE = 5 * 60  # a shift running past midnight or starting before 05:00 is a night


@dataclass
class RosterInput:
    problem: RosterProblem
    agents: list[Agent]
    dates: list[dt.date]
    shift_types: list[ShiftTypeRow]
    # (day index, shift id) -> one break placement per agent the plan starts on it, staggered as planned
    break_slots: dict[tuple[int, str], list[list]] = field(default_factory=dict)

    def index_of(self, day: dt.date) -> int:
        return (day - self.dates[0]).days

    def shift_type(self, shift_id: str) -> ShiftTypeRow:
        return next(s for s in self.shift_types if s["id"] == shift_id)


# Countries whose weekend is Friday and Saturday; elsewhere Saturday and Sunday.
FRIDAY_SATURDAY_WEEKEND = frozenset(
    {"IL", "SA", "AE", "QA", "KW", "BH", "OM", "EG", "JO", "IQ", "SY", "YE", "SD"}
)


def _default_weekend(site: Site) -> list[int]:
    return [4, 5] if site.country in FRIDAY_SATURDAY_WEEKEND else [5, 6]


def rules_for(site: Site) -> RosterRules:
    """The site's rules, made with defaults on first use (the weekend follows the site's country): for a
    solve, which stores the rules it used. Pages read `rules_in_force`."""
    return get_or_make(RosterRules, {"site_id": site.id}, {"weekend_days": _default_weekend(site)})


def rules_in_force(site: Site) -> RosterRules:
    """The site's rules, or the defaults `rules_for` would make, without writing them (for pages)."""
    return stored_or_default(RosterRules, {"site_id": site.id}, {"weekend_days": _default_weekend(site)})


def calendar_days(
    site: Site, weekend: list[int], dates: list[dt.date]
) -> tuple[frozenset[int], frozenset[int]]:
    """Indices of `dates` that change the working week, from the site's country: public holidays on working
    weekdays (no working day: a week holding them asks fewer hours), and make-up working days on the weekend
    (China's 调休: working days, not part of a weekend; a week holding one may ask a day more)."""
    if not dates:
        return frozenset(), frozenset()
    calendar = site_calendar(site, dates[0], dates[-1])
    holidays = frozenset(
        d for d, day in enumerate(dates) if day in calendar.holidays and day.weekday() not in weekend
    )
    make_up = frozenset(
        d for d, day in enumerate(dates) if day in calendar.workdays and day.weekday() in weekend
    )
    return holidays, make_up


def week_start_weekday(site: Site) -> int:
    """The weekday the site's week starts (0 = Monday): the day after its weekend (Sunday where the weekend
    is Friday and Saturday, Monday where it is Saturday and Sunday)."""
    return (rules_in_force(site).weekend_days[-1] + 1) % 7


def shift_label(template: str, start_minute: int, minutes: int) -> str:
    hours = f"{minutes // 60}h{minutes % 60:02d}" if minutes % 60 else f"{minutes // 60}h"
    return f"{template} {start_minute // 60:02d}:{start_minute % 60:02d} {hours}"


def _break_offsets(row) -> list[list]:
    return [
        [
            int((dt.datetime.fromisoformat(b["start"]) - row.start).total_seconds() // 60),
            int((dt.datetime.fromisoformat(b["end"]) - row.start).total_seconds() // 60),
            b["name"],
        ]
        for b in row.breaks
    ]


def breaks_of(cell, shift_types: ShiftTypes) -> list[list]:
    """An assignment's (or a published row's) breaks as [from, to, name] minutes from its start."""
    own = cell.get("breaks") if isinstance(cell, dict) else cell.breaks
    if own is not None:
        return own
    shift = cell["shift"] if isinstance(cell, dict) else cell.shift
    return shift_types.get(shift, {}).get("breaks", [])


def _label_of(row) -> str:
    """A plan shift's shift type: template, start and length, and the skill group it is planned for (a
    shift planned for two groups is two shift types, each worked only by its group's agents)."""
    minutes = int((row.end - row.start).total_seconds() // 60)
    label = shift_label(row.template, row.start.hour * 60 + row.start.minute, minutes)
    return f"{label} · {row.skill_group}" if row.skill_group else label


def break_slots_of(plan: ShiftPlan, first: dt.date, last: dt.date) -> dict[tuple[int, str], list[list]]:
    """Per (day index, shift type), the plan's break placements, one per agent it starts."""
    slots: dict[tuple[int, str], list[list]] = {}
    for row in plan.shifts:
        if first <= row.start.date() <= last:
            slots.setdefault(((row.start.date() - first).days, _label_of(row)), []).extend(
                [_break_offsets(row)] * row.agents
            )
    return slots


def shift_types_of(
    plan: ShiftPlan, first: dt.date, last: dt.date
) -> tuple[list[ShiftTypeRow], dict[tuple[int, str], int]]:
    """The plan's distinct shifts as shift types, and how many agents it starts on each (day, type)."""
    templates = {
        t.name: t
        for t in db.session.scalars(select(ShiftTemplate).where(ShiftTemplate.site_id == plan.site_id))
    }
    groups = group_queues(plan)
    types: ShiftTypes = {}
    cover: dict[tuple[int, str], int] = {}
    for row in plan.shifts:
        if not first <= row.start.date() <= last:
            continue
        start_minute = row.start.hour * 60 + row.start.minute
        minutes = int((row.end - row.start).total_seconds() // 60)
        label = _label_of(row)
        if label not in types:
            template = templates.get(row.template)
            skill, proficiency = _skill_of(template)
            unpaid = sum(
                b["minutes"]
                for b in (template.breaks if template else [])
                if not b.get("paid", True) and minutes >= b.get("min_shift_minutes", 0)
            )
            types[label] = {
                "id": label,
                "template": row.template,
                "start_minute": start_minute,
                "minutes": minutes,
                "paid_minutes": minutes - unpaid,
                "skill": skill,
                "min_proficiency": proficiency,
                "breaks": _break_offsets(row),
            }
            if groups and row.skill_group:
                types[label]["skill_group"] = row.skill_group
                types[label]["group_queues"] = sorted(groups.get(row.skill_group, row.queues))
        key = ((row.start.date() - first).days, label)
        cover[key] = cover.get(key, 0) + row.agents
    ordered = sorted(types.values(), key=lambda t: (t["start_minute"], t["minutes"], t["template"]))
    return ordered, cover


def interval_cover_of(plan: ShiftPlan, first: dt.date, last: dt.date) -> tuple[IntervalCover, ...]:
    """The plan's requirement (all queues) over [first, last] as agents wanted at work, per hour: the mean
    of the plan's intervals in it. Per quarter hour the model has four times the rows and each agent's
    placement takes 0.45 s instead of 0.13 (60 agents x 4 weeks); shifts starting on the quarter hour
    count for their share of the hour."""
    step = plan.interval_minutes
    hourly = step < 60 and 60 % step == 0
    bucket = 60 if hourly else step
    required: dict[dt.datetime, int] = defaultdict(int)
    for row in plan.coverage:
        if first <= row.interval_start.date() <= last:
            required[row.interval_start.replace(minute=0) if hourly else row.interval_start] += row.required
    share = bucket / 60
    return tuple(
        IntervalCover(
            (moment.date() - first).days,
            moment.hour * 60 + moment.minute,
            bucket,
            n * step / bucket,
            INTERVAL_UNDER_PER_HOUR * share,
            INTERVAL_OVER_PER_HOUR * share,
        )
        for moment, n in sorted(required.items())
    )


def is_night(shift_type: ShiftTypeRow) -> bool:
    return (
        shift_type["start_minute"] + shift_type["minutes"] > 1440
        or shift_type["start_minute"] < NIGHT_STARTS_BEFORE
    )


def fairness_groups(agents: list[Agent], types: list[ShiftTypeRow]) -> tuple[FairnessGroup, ...]:
    """Agents on the same contracted hours are comparable: their weekends, nights and hours are balanced."""
    groups: dict[float, list[str]] = {}
    for agent in agents:
        groups.setdefault(agent.contracted_hours, []).append(str(agent.id))
    nights = frozenset(t["id"] for t in types if is_night(t))
    fairness = []
    for ids in (tuple(ids) for ids in groups.values() if len(ids) > 1):
        fairness.append(FairnessGroup(ids, "weekends", FAIRNESS_WEIGHT))
        if nights:
            fairness.append(FairnessGroup(ids, "shifts", FAIRNESS_WEIGHT, nights))
        fairness.append(FairnessGroup(ids, "hours", HOURS_FAIRNESS_WEIGHT))
    return tuple(fairness)


def _skill_of(template: ShiftTemplate | None) -> tuple[str | None, int]:
    """The skill a template's shifts need: when every queue it serves asks for the same skill, that skill at
    the highest proficiency any of them asks; a template serving several skills (or all queues) needs none."""
    if template is None or not template.queue_ids:
        return None, 0
    queues = [q for q in template.site.queues if q.id in template.queue_ids]
    skills = {q.skill.name for q in queues}
    if len(skills) != 1:
        return None, 0
    return skills.pop(), max(q.min_proficiency for q in queues)


def skills_by_day(agent: Agent, dates: list[dt.date]) -> list[dict[str, int]]:
    """The agent's skills in force on each day (a skill gained mid-period counts from its effective date)."""
    return [{s.skill.name: s.proficiency for s in agent.skills_on(day)} for day in dates]


def _overlaps(shift_type: ShiftTypeRow, from_minute: int, to_minute: int) -> bool:
    """Does a shift (minutes after its day's midnight) overlap [from_minute, to_minute) of that day?"""
    start = shift_type["start_minute"]
    return start < to_minute and from_minute < start + shift_type["minutes"]


def outside_availability(
    windows: list[Availability], dates: list[dt.date], types: list[ShiftTypeRow]
) -> frozenset:
    """(day, shift) pairs that fall outside the agent's availability on that weekday."""
    by_weekday = {w.weekday: w for w in windows}
    pairs = set()
    for d, day in enumerate(dates):
        window = by_weekday.get(day.weekday())
        if window is None:
            continue
        for t in types:
            start, end = t["start_minute"], t["start_minute"] + t["minutes"]
            inside = (
                window.from_minute < window.to_minute
                and window.from_minute <= start
                and (end <= window.to_minute or window.to_minute == 1440)
            )
            if not inside:
                pairs.add((d, t["id"]))
    return frozenset(pairs)


def wish_requests(
    agent_id: int, wishes: list[Wish], dates: list[dt.date], types: list[ShiftTypeRow]
) -> list[ShiftRequest]:
    requests = []
    for wish in wishes:
        for d, day in enumerate(dates):
            if not wish.applies_to(day):
                continue
            if wish.kind == "avoid":
                requests += [
                    ShiftRequest(str(agent_id), d, t["id"], wish.weight, on=False)
                    for t in types
                    if t["template"] == wish.template
                ]
            elif wish.kind == "prefer":  # if working that day, that template: every other one is unwanted
                requests += [
                    ShiftRequest(str(agent_id), d, t["id"], wish.weight, on=False)
                    for t in types
                    if t["template"] != wish.template
                ]
            elif wish.kind == "unavailable" and wish.from_minute is not None and wish.to_minute is not None:
                requests += [
                    ShiftRequest(str(agent_id), d, t["id"], wish.weight, on=False)
                    for t in types
                    if _overlaps(t, wish.from_minute, wish.to_minute)
                ]
            elif wish.kind == "unavailable":
                requests.append(ShiftRequest(str(agent_id), d, None, wish.weight, on=False))
            else:
                requests.append(ShiftRequest(str(agent_id), d, None, wish.weight, on=wish.kind == "work"))
    return requests


def leave_credit(on_leave: set[int] | frozenset[int], contract_minutes: int, week_start: int) -> int:
    """Minutes the weekly minimum is lowered by for an agent with approved whole days of leave: a contracted
    day (the week's hours over five) per leave day, in the week with the most of them. Leave is worked time
    for the contract, so a week of leave must not force shifts onto the agent's other days; the engine has one
    minimum for every week, so the others are relaxed as much (never asking more of the agent)."""
    if not on_leave:
        return 0
    per_week: dict[int, int] = defaultdict(int)
    for d in on_leave:
        per_week[(d - week_start) // 7] += 1
    return round(max(per_week.values()) * contract_minutes / 5)


def build_input(
    site: Site,
    plan: ShiftPlan,
    first: dt.date,
    days: int,
    pinned: dict[tuple[int, int], str | None] | None = None,
    previous: dict[tuple[int, int], str | None] | None = None,
    change_weight: int = 0,
) -> RosterInput:
    """The engine's problem for staffing `plan` over [first, first + days). Keys of `pinned` and `previous`
    are (agent id, day index)."""
    last = first + dt.timedelta(days=days - 1)
    rules = rules_in_force(site)
    types, cover = shift_types_of(plan, first, last)
    # Paid minutes count towards contracts; rest and interval cover count from the span (breaks included).
    shifts = [
        ShiftType(
            t["id"],
            t["paid_minutes"],
            start_minute=t["start_minute"],
            skill=t["skill"],
            min_proficiency=t["min_proficiency"],
            span_minutes=t["minutes"],
        )
        for t in types
    ]
    conflicts = rest_conflicts(shifts, round(rules.min_rest_hours * 60))
    shifts = tuple(replace(s, cannot_follow=conflicts[s.id]) for s in shifts)
    skilled = [t for t in types if t["skill"]]
    agents = agents_for(site, first, last)
    time_off = db.session.scalars(
        select(TimeOff).where(
            TimeOff.agent_id.in_([a.id for a in agents]), TimeOff.first_day <= last, TimeOff.last_day >= first
        )
    ).all()
    dates = [first + dt.timedelta(days=d) for d in range(days)]
    ids = [a.id for a in agents]
    windows = db.session.scalars(select(Availability).where(Availability.agent_id.in_(ids))).all()
    wishes = db.session.scalars(select(Wish).where(Wish.agent_id.in_(ids))).all()
    from wfm.careers.roster_link import training_blocks  # enrolled training sessions are fixed activities

    in_training = training_blocks(ids, dates, types)
    leave_of, windows_of, wishes_of = defaultdict(list), defaultdict(list), defaultdict(list)
    for rows, by_agent in ((time_off, leave_of), (windows, windows_of), (wishes, wishes_of)):
        for row in rows:
            by_agent[row.agent_id].append(row)
    # A shift planned for a skill group goes only to agents who may answer all its queues that day.
    grouped = {q for t in types for q in t.get("group_queues", ())}
    served = queues_by_day(site, agents, dates, grouped) if grouped else {}
    staff, requests = [], []
    week_start = (week_start_weekday(site) - first.weekday()) % 7
    weekends = max(1, math.ceil(rules.max_weekends_per_4_weeks * days / 28))
    # Public holidays are contracted days not worked; make-up working days are worked days beyond the week's
    # five: the weekly bounds move by a contracted day per such day (in the week with the most of them).
    holidays, make_up = calendar_days(site, rules.weekend_days, dates)
    # A planned shift is worked only on days the plan starts it (the Friday plan has no evening shift).
    not_planned = frozenset((d, t["id"]) for d in range(days) for t in types if (d, t["id"]) not in cover)
    for agent in agents:
        off = {
            d
            for d, day in enumerate(dates)
            if day < agent.hire_date
            or (agent.leaving_date and day > agent.leaving_date)
            or agent.status == AgentStatus.ON_LEAVE
        }
        partly_away, on_leave = set(), set()
        for leave in leave_of[agent.id]:
            for d, day in enumerate(dates):
                if not leave.first_day <= day <= leave.last_day:
                    continue
                if leave.from_minute is not None and leave.to_minute is not None:  # part of the day
                    hit = {(d, t["id"]) for t in types if _overlaps(t, leave.from_minute, leave.to_minute)}
                    if leave.status == "approved":
                        partly_away |= hit
                    elif leave.status == "requested":
                        requests += [ShiftRequest(str(agent.id), d, s, WISH_WEIGHT, on=False) for _, s in hit]
                elif leave.status == "approved":
                    off.add(d)
                    on_leave.add(d)
                elif leave.status == "requested":
                    requests.append(ShiftRequest(str(agent.id), d, None, WISH_WEIGHT, on=False))
        daily = skills_by_day(agent, dates)
        held_ever = dict.fromkeys(name for day_skills in daily for name in day_skills)  # first-seen order
        best = {name: max(day.get(name, 0) for day in daily) for name in held_ever}
        lacking = frozenset(
            (d, t["id"])
            for d, held in enumerate(daily)
            for t in skilled
            if held.get(t["skill"], 0) < t["min_proficiency"]
            and best.get(t["skill"], 0) >= t["min_proficiency"]
        )
        requests += wish_requests(agent.id, wishes_of[agent.id], dates, types)
        contract = round(agent.contracted_hours * 60)
        staff.append(
            Staff(
                id=str(agent.id),
                max_consecutive=rules.max_consecutive_days,
                min_consecutive=rules.min_consecutive_days,
                min_days_off=rules.min_consecutive_days_off,
                max_weekends=weekends,
                days_off=frozenset(off),
                unavailable=not_planned
                | lacking
                | frozenset(partly_away)
                | outside_availability(windows_of[agent.id], dates, types)
                | in_training.get(agent.id, frozenset())
                | (outside_group(served[agent.id], types) if served else frozenset()),
                skills=best,
                max_week_minutes=contract
                + round(rules.hours_above_contract * 60)
                + leave_credit(make_up, contract, week_start),
                min_week_minutes=max(
                    0,
                    contract
                    - round(rules.hours_below_contract * 60)
                    - leave_credit(on_leave | holidays, contract, week_start),
                ),
            )
        )
    problem = RosterProblem(
        horizon=days,
        shifts=shifts,
        staff=tuple(staff),
        requests=tuple(requests),
        cover=tuple(Cover(d, s, n, UNDER_WEIGHT, OVER_WEIGHT) for (d, s), n in sorted(cover.items())),
        interval_cover=interval_cover_of(plan, first, last),
        pinned={(str(a), d): s for (a, d), s in (pinned or {}).items()},
        previous={(str(a), d): s for (a, d), s in (previous or {}).items()},
        change_weight=change_weight,
        fairness=fairness_groups(agents, types),
        name=f"{site.name} {first}",
        weekend_start=(rules.weekend_days[0] - first.weekday()) % 7,
        week_start=week_start,
        weekend_workdays=make_up,
    )
    return RosterInput(problem, agents, dates, types, break_slots_of(plan, first, last))
