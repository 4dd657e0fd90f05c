"""A service-level estimate from the agents actually on the phones, or the reason it cannot be made.

Per interval of the forecast behind the plan: the agents of the published roster at work through the
interval and not on a break or an activity, who hold the queue's skill at its minimum proficiency, against
the forecast calls and handle time, through Erlang C; the day's figure is weighted by calls. Used to price
decisions that take agents off the phones: time off, training sessions.

It is made only where it can be right. It says why not, instead of showing 0% or 100%, when: the plan was
not built from a forecast (no calls or handle times), no calls are forecast then, a queue has no handle
time, several queues have work and agents at work hold the skills of more than one (the roster does not
say who answers which), or a chat queue's agents hold several conversations at once (Erlang C does not
model that).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from scheduling.staffing.erlang import erlang_c_metrics
from wfm.extensions import db
from wfm.models import AgentSkill, Queue, Requirement, RequirementInterval


@dataclass(frozen=True)
class Estimate:
    """A share of calls answered in time (0..1), or None with the reason it cannot be estimated."""

    level: float | None = None
    reason: str | None = None

    @property
    def text(self) -> str:
        if self.level is not None:
            return f"{100 * self.level:.0f}%"
        return _("cannot be estimated: %(reason)s", reason=self.reason)


NO_FORECAST = _l(
    "the shift plan was not built from a forecast, so there are no calls or handle times to estimate with"
)


def plan_requirements(requirement_ids: Iterable[int] | None) -> list[Requirement]:
    """The requirements a plan was built from (its settings keep their ids)."""
    ids = list(requirement_ids or [])
    if not ids:
        return []
    return list(
        db.session.scalars(select(Requirement).where(Requirement.id.in_(ids)).order_by(Requirement.id))
    )


class PhoneTime:
    """Who is on the phones when: roster rows (published dicts or assignments) less their breaks and
    activities. `away` lists (from, to) minutes from the start of a shift off the phones."""

    def __init__(self, rows: Iterable, away_of: Callable[[object], list]) -> None:
        self.spans: list[tuple[int, dt.datetime, dt.datetime, list[tuple[dt.datetime, dt.datetime]]]] = []
        for r in rows:
            get = r.get if isinstance(r, dict) else lambda k, r=r: getattr(r, k)
            start, end = get("start"), get("end")
            start = dt.datetime.fromisoformat(start) if isinstance(start, str) else start
            end = dt.datetime.fromisoformat(end) if isinstance(end, str) else end
            off = [
                (start + dt.timedelta(minutes=b[0]), start + dt.timedelta(minutes=b[1])) for b in away_of(r)
            ]
            self.spans.append((get("agent_id"), start, end, off))
        self.by_day: dict[dt.date, list] = defaultdict(list)  # shifts by the day they start
        for span in self.spans:
            self.by_day[span[1].date()].append(span)
        self.seen: dict[tuple[dt.datetime, dt.timedelta], frozenset[int]] = {}

    def at(self, moment: dt.datetime, step: dt.timedelta) -> frozenset[int]:
        """Agents on the phones through the whole of [moment, moment + step)."""
        if (moment, step) not in self.seen:
            end = moment + step
            spans = self.by_day.get(moment.date(), []) + self.by_day.get(
                moment.date() - dt.timedelta(days=1), []
            )
            self.seen[moment, step] = frozenset(
                agent
                for agent, start, finish, off in spans
                if start <= moment and end <= finish and not any(s < end and moment < e for s, e in off)
            )
        return self.seen[moment, step]


def skills_of(agent_ids: Iterable[int], day: dt.date) -> dict[int, dict[int, int]]:
    """agent id -> skill id -> proficiency in force on `day`."""
    return skills_by_day(agent_ids, [day])[day]


def skills_by_day(agent_ids: Iterable[int], days: list[dt.date]) -> dict[dt.date, dict[int, dict[int, int]]]:
    """day -> agent id -> skill id -> proficiency in force that day (one query for all the days)."""
    ids = list(set(agent_ids))
    return held_by_day(
        db.session.scalars(select(AgentSkill).where(AgentSkill.agent_id.in_(ids))) if ids else [], days
    )


def held_by_day(rows: Iterable[AgentSkill], days: list[dt.date]) -> dict[dt.date, dict[int, dict[int, int]]]:
    """day -> agent id -> skill id -> proficiency in force that day, from agents' skill rows."""
    out: dict[dt.date, dict[int, dict[int, int]]] = {day: defaultdict(dict) for day in days}
    for s in rows:
        for day in days:
            if s.in_force(day):
                held = out[day][s.agent_id]
                held[s.skill_id] = max(held.get(s.skill_id, 0), s.proficiency)
    return out


class CannotEstimate(Exception):
    """The agents per queue cannot be known: the message says why, in plain words."""


# busy queues, interval start, interval length -> agents answering each busy queue then
Agents = Callable[[list[Queue], dt.datetime, dt.timedelta], dict[Queue, int]]


def from_roster(
    on_phones: Callable[[dt.datetime, dt.timedelta], set[int]], day: dt.date, agent_ids: Iterable[int]
) -> Agents:
    """Agents per queue from a roster: those on the phones who hold the queue's skill at its minimum
    proficiency. With several busy queues, only when no agent on the phones holds the skills of two."""
    skills = skills_of(agent_ids, day)

    def skilled(agent: int, queue: Queue) -> bool:
        return skills.get(agent, {}).get(queue.skill_id, 0) >= queue.min_proficiency

    def agents(busy: list[Queue], moment: dt.datetime, step: dt.timedelta) -> dict[Queue, int]:
        here = on_phones(moment, step)
        if len(busy) > 1 and any(sum(skilled(a, q) for q in busy) > 1 for a in here):
            listed = sorted(q.name for q in busy)
            names = ", ".join(listed[:3])
            if len(listed) > 3:
                names = _("%(names)s and %(more)s more", names=names, more=len(listed) - 3)
            raise CannotEstimate(
                _(
                    "several queues have work (%(names)s) and agents at work hold the skills of more "
                    "than one: the roster does not say who answers which",
                    names=names,
                )
            )
        return {q: sum(skilled(a, q) for a in here) for q in busy}

    return agents


def from_plan(coverage: dict[tuple[dt.datetime, str], int], interval_minutes: int) -> Agents:
    """Agents per queue from a shift plan's coverage ((interval start, queue name) -> on the phones): when
    the plan splits its agents by queue, or pools them while one queue alone has work."""
    width = dt.timedelta(minutes=interval_minutes)

    def agents(busy: list[Queue], moment: dt.datetime, step: dt.timedelta) -> dict[Queue, int]:
        # the plan interval the forecast interval falls in (a plan's grid may be coarser than the forecast's)
        slot = dt.datetime.min + ((moment - dt.datetime.min) // width) * width
        out = {}
        for q in busy:
            if (slot, q.name) in coverage:
                out[q] = coverage[slot, q.name]
            elif len(busy) == 1 and (slot, "*") in coverage:
                out[q] = coverage[slot, "*"]
            elif (slot, "*") in coverage:
                raise CannotEstimate(
                    _("the shift plan pools the queues, so it does not say how many agents answer each")
                )
            else:
                raise CannotEstimate(_("the shift plan has no agents for %(queue)s then", queue=q.name))
        return out

    return agents


def estimate(
    requirements: list[Requirement],
    first: dt.datetime,
    last: dt.datetime,
    agents: Agents,
    fewer: int = 0,
    when: Callable[[dt.datetime, dt.timedelta], bool] | None = None,
) -> Estimate:
    """The estimate over the forecast intervals starting in [first, last) (those `when(t, step)` accepts),
    with `agents` answering each queue; `fewer` agents are taken off the phones throughout (a training
    session whose attendees are not chosen yet: only priced when one queue has work)."""
    if not requirements:
        return Estimate(reason=str(NO_FORECAST))
    by_id = {r.id: r for r in requirements}
    steps = {r.id: dt.timedelta(minutes=r.forecast.interval_minutes) for r in requirements}
    rows = db.session.scalars(
        select(RequirementInterval).where(
            RequirementInterval.requirement_id.in_(list(by_id)),
            RequirementInterval.interval_start >= first,
            RequirementInterval.interval_start < last,
        )
    ).all()
    if when is not None:
        rows = [r for r in rows if when(r.interval_start, steps[r.requirement_id])]
    # queues with work per slot of the finest grid (forecasts of different queues may differ in interval)
    fine = dt.timedelta(minutes=math.gcd(*(r.forecast.interval_minutes for r in requirements)))
    busy_slots: dict[dt.datetime, set[Queue]] = defaultdict(set)
    calls = []
    for row in rows:
        queue = by_id[row.requirement_id].queue
        if row.forecast > 0 or row.agents > 0:
            for k in range(steps[row.requirement_id] // fine):
                busy_slots[row.interval_start + k * fine].add(queue)
        if row.forecast > 0 and not queue.channel.is_deferred and queue.answer_seconds:
            calls.append((row, queue))

    def busy(moment: dt.datetime, step: dt.timedelta) -> list[Queue]:
        found = set().union(*(busy_slots.get(moment + k * fine, set()) for k in range(step // fine)))
        return sorted(found, key=lambda q: q.id)

    reason = _why_no_estimate(requirements, first, calls, busy_slots, fewer)
    if reason:
        return Estimate(reason=reason)
    try:
        return _erlang_c_level(calls, steps, lambda key: agents(busy(*key), *key), fewer)
    except CannotEstimate as why:
        return Estimate(reason=str(why))


def _why_no_estimate(
    requirements: list[Requirement],
    first: dt.datetime,
    calls: list[tuple[RequirementInterval, Queue]],
    busy_slots: dict[dt.datetime, set[Queue]],
    fewer: int,
) -> str | None:
    """Why Erlang C cannot price these calls, in words; None when it can."""
    if not calls:
        covered = {
            r.forecast.start_date + dt.timedelta(days=d) for r in requirements for d in range(r.forecast.days)
        }
        if first.date() not in covered:
            return _("the forecast the plan was built from does not cover these days")
        return _("no calls are forecast for these hours")
    for row, queue in calls:
        if not (row.aht_seconds or queue.aht_seconds):
            return _("%(queue)s has no handle time", queue=queue.name)
        if (queue.concurrency or 1) > 1:
            return _(
                "%(queue)s agents hold several conversations at once, which Erlang C does not model",
                queue=queue.name,
            )
    if fewer and any(len(b) > 1 for b in busy_slots.values()):
        return _("several queues have work and it is not known yet which of them the attendees would leave")
    return None


def _erlang_c_level(
    calls: list[tuple[RequirementInterval, Queue]],
    steps: dict[int, dt.timedelta],
    answering_at: Callable[[tuple[dt.datetime, dt.timedelta]], dict[Queue, int]],
    fewer: int,
) -> Estimate:
    """The call-weighted Erlang C service level of `calls`, with the agents `answering_at` (interval
    start, length) gives each queue, less `fewer`; raises CannotEstimate when that cannot say."""
    volume, aht, servers, answer, seconds = [], [], [], [], []
    answering: dict[tuple[dt.datetime, dt.timedelta], dict[Queue, int]] = {}
    for row, queue in calls:
        key = (row.interval_start, steps[row.requirement_id])
        if key not in answering:
            answering[key] = answering_at(key)
        volume.append(row.forecast)
        aht.append(row.aht_seconds or queue.aht_seconds)
        servers.append(max(0, answering[key][queue] - fewer))
        answer.append(queue.answer_seconds)
        seconds.append(key[1].total_seconds())
    volume_a, aht_a, n = np.array(volume), np.array(aht, dtype=float), np.array(servers, dtype=float)
    traffic = volume_a * aht_a / np.array(seconds)
    level = np.where(
        n > traffic,
        erlang_c_metrics(np.maximum(n, 1), traffic, aht_a, np.array(answer, dtype=float)).service_level,
        0.0,
    )
    return Estimate(level=float((level * volume_a).sum() / volume_a.sum()))
