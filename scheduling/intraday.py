"""The rest of today in figures: projected service level with the agents rostered now, the gap in agents,
and the actions that would gain the most service, ranked.

Projection is the requirement's model (Erlang C, A or B with the queue's targets, through
`scheduling.staffing`), interval by interval: the re-forecast contacts and handle time against the agents
on the phones then. An action is priced by the contacts it would answer within the target in addition
(the projected service level with one agent more or fewer, times the contacts, summed over the intervals
it touches), so actions on busy and on quiet queues compare on one scale:

- move a training or meeting out of intervals that are short (its agent back on the phones there),
- offer overtime (as many agents as are short, at most five, for the queue's worst run of short
  intervals, up to two hours: one agent more rarely lifts a queue that is far behind),
- offer voluntary time off (one agent fewer for the queue's longest run of spare intervals; it costs
  service, so it ranks last, shown for the hours saved),
- move an agent skilled for both from a queue with agents to spare to a short one (the gain there less
  the loss where they leave).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from scheduling.staffing import evaluate_agents, required_agents
from scheduling.staffing.targets import ServiceTarget
from scheduling.text import Sentence

MAX_RUN_INTERVALS_HOURS = 2.0
MAX_OVERTIME_AGENTS = 5
# An action is suggested only if it answers at least one more contact in time (rounded): fewer is noise.
MIN_GAIN = 0.5


@dataclass
class QueueDay:
    """One queue's remaining intervals: contacts and handle time re-forecast, agents on the phones."""

    name: str
    target: ServiceTarget
    interval_minutes: int
    calls: np.ndarray
    aht_seconds: np.ndarray
    agents: np.ndarray
    # each interval's start in minutes of the day (default, empty: 0, 1, 2...)
    starts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    service_level: np.ndarray = field(init=False)
    required: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.calls = np.asarray(self.calls, dtype=float)
        self.aht_seconds = np.asarray(self.aht_seconds, dtype=float)
        self.agents = np.asarray(self.agents, dtype=int)
        self.starts = np.asarray(self.starts) if len(self.starts) else np.arange(len(self.calls))
        self.service_level = self.level(self.agents)
        self.required = required_agents(self.traffic, self.aht_seconds, self.target).astype(int)
        self.required[self.calls <= 0] = 0

    @property
    def traffic(self) -> np.ndarray:
        return self.calls * self.aht_seconds / (60.0 * self.interval_minutes)

    @property
    def gap(self) -> np.ndarray:
        """Agents short (positive) or to spare (negative) per interval."""
        return self.required - self.agents

    def level(self, agents: np.ndarray) -> np.ndarray:
        agents = np.clip(np.asarray(agents, dtype=int), 0, None)
        if not len(agents):
            return np.zeros(0)
        levels = evaluate_agents(agents, self.traffic, self.aht_seconds, self.target).service_level
        return np.where(self.calls > 0, np.nan_to_num(levels, nan=0.0), np.nan)

    def answered_in_time(self, agents: np.ndarray, where: np.ndarray) -> float:
        return float(np.nansum(self.level(agents)[where] * self.calls[where]))

    def gain(self, where: np.ndarray, change: int) -> float:
        """Contacts answered within the target in addition with `change` agents more in `where`."""
        if not where.any():
            return 0.0
        after = self.agents + np.where(where, change, 0)
        return self.answered_in_time(after, where) - self.answered_in_time(self.agents, where)


@dataclass(frozen=True)
class Activity:
    """An agent's training or meeting ahead today: the remaining intervals it covers."""

    agent: str
    queue: str  # the queue the agent answers
    name: str
    intervals: tuple[int, ...]


@dataclass(frozen=True)
class Mover:
    """An agent on the phones answering `queue` who is skilled for `could_answer` too, per interval."""

    agent: str
    queue: str
    could_answer: tuple[str, ...]
    intervals: tuple[int, ...]


@dataclass(frozen=True)
class Action:
    kind: str  # move_activity | overtime | time_off | move_agent
    text: str  # a sentence for the page
    gained: float  # contacts answered within the target in addition (negative: lost)
    first: int  # the first interval it touches
    last: int  # the last interval it touches
    queue: str = ""  # the queue whose service it changes (the one gaining, for a move)
    minutes: tuple[int, int] = (0, 0)  # the first and last interval's start, in minutes of the day


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) of each run of True."""
    out, start = [], None
    for i, value in enumerate([*list(mask), False]):
        if value and start is None:
            start = i
        elif not value and start is not None:
            out.append((start, i - 1))
            start = None
    return out


def suggest(
    queues: list[QueueDay],
    activities: list[Activity],
    movers: list[Mover],
    label: Callable[[str, int, int], str],
) -> list[Action]:
    """Every action worth taking, best first. `label(queue, first, last)` names a span of a queue's
    intervals in words."""
    by_name = {q.name: q for q in queues}
    actions: list[Action] = []
    for item in activities:
        queue = by_name.get(item.queue)
        if queue is None:
            continue
        where = np.zeros(len(queue.calls), dtype=bool)
        where[list(item.intervals)] = True
        short = where & (queue.gap > 0)
        gained = queue.gain(where, +1)
        if short.any() and gained >= MIN_GAIN:
            first, last = min(item.intervals), max(item.intervals)
            actions.append(
                Action(
                    "move_activity",
                    Sentence(
                        "Move %(agent)s's %(activity)s (%(span)s) out of the short intervals of %(queue)s.",
                        agent=item.agent,
                        activity=item.name,
                        span=label(queue.name, first, last),
                        queue=queue.name,
                    ),
                    gained,
                    first,
                    last,
                    queue.name,
                    (int(queue.starts[first]), int(queue.starts[last])),
                )
            )
    most = max(1, int(MAX_RUN_INTERVALS_HOURS * 60 // (queues[0].interval_minutes if queues else 60)))
    for queue in queues:
        actions.extend(_overtime_and_time_off(queue, most, label))
    actions.extend(_moves(by_name, movers, label))
    return sorted(actions, key=lambda a: (-a.gained, a.first, a.text))


def _overtime_and_time_off(queue: QueueDay, most: int, label: Callable[[str, int, int], str]) -> list[Action]:
    out = []
    short = [r for r in runs(queue.gap > 0) if queue.calls[r[0] : r[1] + 1].sum() > 0]
    if short:
        first, last = max(short, key=lambda r: int(queue.gap[r[0] : r[1] + 1].sum()))
        last = min(last, first + most - 1)
        count = int(min(MAX_OVERTIME_AGENTS, queue.gap[first : last + 1].max()))
        gained = queue.gain(_span(queue, first, last), count)
        if gained >= MIN_GAIN:
            span = label(queue.name, first, last)
            text = (
                Sentence("Offer overtime to one agent of %(queue)s (%(span)s).", queue=queue.name, span=span)
                if count == 1
                else Sentence(
                    "Offer overtime to %(count)s agents of %(queue)s (%(span)s).",
                    count=count,
                    queue=queue.name,
                    span=span,
                )
            )
            out.append(
                Action(
                    "overtime",
                    text,
                    gained,
                    first,
                    last,
                    queue.name,
                    (int(queue.starts[first]), int(queue.starts[last])),
                )
            )
    spare = runs(queue.gap <= -2)
    if spare:
        first, last = max(spare, key=lambda r: r[1] - r[0])
        last = min(last, first + most - 1)
        lost = queue.gain(_span(queue, first, last), -1)
        out.append(
            Action(
                "time_off",
                Sentence(
                    "Offer voluntary time off to one agent of %(queue)s (%(span)s): "
                    "it has agents to spare then.",
                    queue=queue.name,
                    span=label(queue.name, first, last),
                ),
                lost,
                first,
                last,
                queue.name,
                (int(queue.starts[first]), int(queue.starts[last])),
            )
        )
    return out


def _span(queue: QueueDay, first: int, last: int) -> np.ndarray:
    where = np.zeros(len(queue.calls), dtype=bool)
    where[first : last + 1] = True
    return where


def _moves(
    by_name: dict[str, QueueDay], movers: list[Mover], label: Callable[[str, int, int], str]
) -> list[Action]:
    best: dict[tuple[str, str], Action] = {}
    for mover in movers:
        source = by_name.get(mover.queue)
        if source is None:
            continue
        for name in mover.could_answer:
            target = by_name.get(name)
            if target is None or target is source:
                continue
            # the same moments on both queues (their open intervals may differ)
            moments = source.starts[list(mover.intervals)]
            here = np.isin(source.starts, moments) & np.isin(source.starts, target.starts)
            there = np.isin(target.starts, source.starts[here])
            target_gap = np.zeros(len(source.calls), dtype=int)
            target_gap[np.isin(source.starts, target.starts)] = target.gap[
                np.isin(target.starts, source.starts)
            ]
            where = here & (target_gap > 0) & (source.gap < 0)
            if not there.any():
                continue
            for first, last in runs(where):
                span = _span(source, first, last)
                on_target = np.isin(target.starts, source.starts[span])
                gained = target.gain(on_target, +1) + source.gain(span, -1)
                key = (source.name, target.name)
                if gained >= MIN_GAIN and (key not in best or best[key].gained < gained):
                    best[key] = Action(
                        "move_agent",
                        Sentence(
                            "Move %(agent)s from %(source)s to %(target)s (%(span)s).",
                            agent=mover.agent,
                            source=source.name,
                            target=target.name,
                            span=label(source.name, first, last),
                        ),
                        gained,
                        first,
                        last,
                        target.name,
                        (int(source.starts[first]), int(source.starts[last])),
                    )
    return list(best.values())
