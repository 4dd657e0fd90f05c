"""From a plan's or a roster's staffing and a forecast to the simulator's scenario (a plain dict), and back.

Pure: plain values in, the scenario dict out, so it can be tested without a database (`inputs` reads the
database into these values). Time is counted in minutes from the grid's start, as the scenario counts it.

Staffing is given as shifts: one per agent at work (a planned shift starting k agents is k shifts), each
with its off-phone time (breaks, training, meetings, other activities) and the queues it answers, in the
order it takes them. Agents answering the same queues form one agent group; each is a named agent whose
"on" stretches are its shift less its off-phone time, so a break that starts mid-interval takes the agent
off at that minute, not for the whole interval.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from scheduling.text import Sentence
from wfm.formatting import num
from wfm.simcheck import notes as note_texts

LIVE_CHANNELS = ("voice", "chat", "video")


@dataclass(frozen=True)
class Grid:
    """The periods a check covers: `periods` of `period_minutes` from `start`."""

    start: dt.datetime
    period_minutes: int
    periods: int

    @property
    def step(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.period_minutes)

    @property
    def end(self) -> dt.datetime:
        return self.start + self.periods * self.step

    def minute(self, moment: dt.datetime) -> float:
        return (moment - self.start).total_seconds() / 60

    def period_start(self, index: int) -> dt.datetime:
        return self.start + index * self.step

    def index(self, moment: dt.datetime) -> int | None:
        """The period `moment` falls in, or None outside the grid."""
        if moment < self.start or moment >= self.end:
            return None
        return int((moment - self.start) // self.step)


@dataclass(frozen=True)
class QueueDemand:
    """One queue's work in the grid's periods, and its target."""

    name: str
    channel: str  # voice, chat, video (live); email, back_office (deferred)
    arrivals: list[float]  # expected contacts per period
    handle_seconds: list[float]  # mean handle time per period
    answer_seconds: float | None = None
    target: float | None = None  # share to answer within answer_seconds
    patience_seconds: float | None = None  # mean, exponential; None: callers wait
    concurrency: int = 1
    deadline_seconds: float | None = None  # deferred work
    promised: list[float | None] = field(default_factory=list)  # the requirement's service level per period

    @property
    def live(self) -> bool:
        return self.channel in LIVE_CHANNELS


@dataclass(frozen=True)
class Shift:
    """One agent's time at work, the spans of it off the phones, and the queues answered, in order."""

    who: str
    start: dt.datetime
    end: dt.datetime
    away: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
    serves: tuple[str, ...] = ()


def on_stretches(shift: Shift, grid: Grid) -> list[list[float]]:
    """The minutes (from the grid's start) the agent is available: its shift less its off-phone spans,
    clipped to the grid."""
    low, high = (
        max(grid.minute(shift.start), 0.0),
        min(grid.minute(shift.end), grid.periods * grid.period_minutes),
    )
    if high <= low:
        return []
    away = sorted((grid.minute(a), grid.minute(b)) for a, b in shift.away if b > a)
    out, at = [], low
    for a, b in away:
        if b <= at or a >= high:
            continue
        if a > at:
            out.append([at, min(a, high)])
        at = max(at, b)
        if at >= high:
            break
    if at < high:
        out.append([at, high])
    return out


def patience_note(queues: list[QueueDemand]) -> str | None:
    """Which queues' callers never hang up in the check (their requirement assumed they wait, as Erlang C
    does), and what that does where agents are too few; None when every caller may hang up."""
    waiting = [q.name for q in queues if q.live and not q.patience_seconds]
    if not waiting:
        return None
    return Sentence(note_texts.PATIENCE, queues=", ".join(waiting))


def pooling_note(queues: list[QueueDemand], shifts: Iterable[Shift]) -> str | None:
    """What a plan check assumes when planned shifts answer several queues (a plan that pools its queues
    names them all on every shift): its agents answer all of them, as if each held every skill, so the
    simulated service level is what a fully cross-trained staff would give. None when no shift does."""
    names = {q.name for q in queues}
    answered = [set(s.serves) & names for s in shifts]
    several = sum(1 for serves in answered if len(serves) > 1)
    if not several:
        return None
    if all(serves == names for serves in answered):
        return Sentence(note_texts.POOL, count=len(names))
    if several == 1:
        return Sentence(note_texts.SEVERAL_ONE, shifts=num(len(answered)))
    return Sentence(note_texts.SEVERAL, count=several, shifts=num(len(answered)))


def group_name(serves: Iterable[str]) -> str:
    return " + ".join(serves)


def build(
    grid: Grid, queues: list[QueueDemand], shifts: Iterable[Shift], shrinkage: dict[str, float] | None = None
) -> dict:
    """The scenario dict of `scheduling.simulate.simulate_json` for these queues and shifts.

    Agent groups are the distinct sets of queues answered (queues outside the check are left out of a
    set; a shift answering none of the checked queues is left out). A freed agent takes the queues it
    answers rarest first: the queue fewest shifts can answer comes first, so an agent holding a scarce skill
    serves it before the queues many others can take (the `priority` rule of the simulator). Each queue is
    offered first to the groups answering fewest queues (its specialists), then to the wider ones.

    `shrinkage` (per queue, a share) takes agents off the phones as `less_shrinkage` says: a plan that covers
    agents to schedule counts shrinkage in its headcount, and only the agents left after it answer."""
    names = {q.name for q in queues}
    kept = []
    for shift in shifts:
        serves = tuple(dict.fromkeys(q for q in shift.serves if q in names))
        stretches = on_stretches(shift, grid)
        if serves and stretches:
            kept.append((shift.who, serves, stretches))
    answering: dict[str, int] = defaultdict(int)
    for _who, serves, _on in kept:
        for q in serves:
            answering[q] += 1
    order = {q.name: k for k, q in enumerate(queues)}
    members: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for who, serves, stretches in kept:
        counts[who] += 1
        label = who if counts[who] == 1 else f"{who} ({counts[who]})"
        ranked = tuple(sorted(serves, key=lambda q: (answering[q], order[q])))
        members[ranked].append({"name": label, "on": stretches})
    groups = [
        {"name": group_name(serves), "serves": list(serves), "agents": agents}
        for serves, agents in sorted(members.items(), key=lambda item: (len(item[0]), item[0]))
    ]
    for group in groups:
        rates = [float((shrinkage or {}).get(q, 0.0)) for q in group["serves"]]
        less_shrinkage(group["agents"], sum(rates) / len(rates), grid)
    types = []
    for q in queues:
        serving = [g["name"] for g in groups if q.name in g["serves"]]
        kind = {
            "name": q.name,
            "channel": q.channel,
            "arrivals_per_period": [float(x) for x in q.arrivals],
            "handle_time": {
                "distribution": "exponential",
                "mean_seconds": [float(x) for x in q.handle_seconds],
            },
            "patience": (
                {"distribution": "exponential", "mean_seconds": float(q.patience_seconds)}
                if q.patience_seconds
                else None
            ),
            "answer_seconds": float(q.answer_seconds or q.deadline_seconds or 0),
            "groups": serving,
        }
        if q.concurrency > 1:
            kind["concurrency"] = int(q.concurrency)
        if q.deadline_seconds:
            kind["deadline_seconds"] = float(q.deadline_seconds)
        types.append(kind)
    return {
        "period_minutes": grid.period_minutes,
        "periods": grid.periods,
        "agent_selects": "priority",
        "contact_types": types,
        "agent_groups": groups,
    }


def less_shrinkage(agents: list[dict], rate: float, grid: Grid) -> None:
    """Take a group's agents off the phones for shrinkage (absence, training, meetings: the paid time off the
    phones a plan's headcount allows for but does not place), in place.

    In each period, of the n agents on through the whole of it, floor(n * (1 - rate)) stay (the expected
    number on the phones, rounded down); the others, the last listed first so the same agents tend to be
    off all day, are off for that period. Agents on for part of a period (a break placed in it) keep their
    explicit time: breaks are never taken twice."""
    if rate <= 0:
        return
    width = grid.period_minutes
    for k in range(grid.periods):
        low, high = k * width, (k + 1) * width
        through = [a for a in agents if any(s <= low and high <= e for s, e in a["on"])]
        staying = math.floor(len(through) * (1 - rate) + 1e-9)
        for agent in through[staying:]:
            agent["on"] = _cut(agent["on"], low, high)


def _cut(stretches: list[list[float]], low: float, high: float) -> list[list[float]]:
    out = []
    for s, e in stretches:
        if s < low:
            out.append([s, min(e, low)])
        if e > high:
            out.append([max(s, high), e])
    return [[s, e] for s, e in out if e > s]


FIELD_WORDS = {
    "arrivals_per_period": "expected contacts",
    "handle_time": "handle time",
    "mean_seconds": "mean",
    "patience": "customers' patience",
    "answer_seconds": "answer-time target",
    "deadline_seconds": "deadline",
    "concurrency": "contacts at once",
    "channel": "channel",
    "groups": "agents answering it",
    "serves": "queues answered",
    "agents": "agents",
    "on": "time on the phones",
    "agents_per_period": "agents per interval",
    "periods": "number of intervals",
    "period_minutes": "interval length",
    "distribution": "distribution",
    "name": "name",
}
_STEP = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")


def problem_in_words(message: str, scenario: dict) -> str:
    """A simulator refusal ("contact_types[1].handle_time.mean_seconds[3]: must be more than 0") in words
    for a person ("Retail voice, handle time, mean, interval 4: must be more than 0."): queues, agent groups
    and agents by name, fields in words, periods counted from 1."""
    path, sep, rest = message.partition(": ")
    if not sep or " " in path:
        return message
    words, held = [], scenario
    for step in path.split("."):
        found = _STEP.fullmatch(step)
        if found is None:
            return message
        key, index = found.group(1), found.group(2)
        item = held.get(key) if isinstance(held, dict) else None
        if index is not None and isinstance(item, list) and int(index) < len(item):
            item = item[int(index)]
        if key in ("contact_types", "agent_groups", "agents") and isinstance(item, dict) and "name" in item:
            kind = {"contact_types": "queue", "agent_groups": "agents answering", "agents": "agent"}[key]
            words.append(f"{kind} {item['name']}")
        elif index is not None and key.endswith(("per_period", "mean_seconds")):
            words.append(f"{FIELD_WORDS.get(key, key.replace('_', ' '))} in interval {int(index) + 1}")
        else:
            words.append(FIELD_WORDS.get(key, key.replace("_", " ")))
        held = item
    for code, plain_words in FIELD_WORDS.items():
        if "_" in code:
            rest = rest.replace(code, plain_words)
    text = f"{', '.join(words)}: {rest.replace('_', ' ')}"
    return text if text.endswith(".") else text + "."


def agents_on(scenario: dict, period: int) -> dict[str, int]:
    """Per queue: agents of the scenario available through the whole of `period` who answer it (an agent
    answering two queues counts for both)."""
    width = scenario["period_minutes"]
    low, high = period * width, (period + 1) * width
    out: dict[str, int] = {t["name"]: 0 for t in scenario["contact_types"]}
    for group in scenario["agent_groups"]:
        there = sum(any(a <= low and high <= b for a, b in agent["on"]) for agent in group["agents"])
        for queue in group["serves"]:
            out[queue] += there
    return out


@dataclass(frozen=True)
class Record:
    """A volume over a span (a forecast, requirement or history interval): contacts, mean handle time, and
    the service level promised for it."""

    start: dt.datetime
    minutes: int
    volume: float
    handle_seconds: float | None = None
    promised: float | None = None


def spread(grid: Grid, records: Iterable[Record], default_handle: float) -> tuple[list, list, list]:
    """Per period of the grid: contacts, mean handle time and promised service level. A record spanning
    several periods shares its volume among them by overlap; several records in one period add up, their
    handle times and promises weighted by volume. Periods with no volume take `default_handle` and no
    promise."""
    volume = [0.0] * grid.periods
    work = [0.0] * grid.periods
    timed = [0.0] * grid.periods
    promise = [0.0] * grid.periods
    promised_volume = [0.0] * grid.periods
    for r in records:
        begin, finish = grid.minute(r.start), grid.minute(r.start) + r.minutes
        first = max(0, int(begin // grid.period_minutes))
        last = min(grid.periods, -int(-finish // grid.period_minutes))
        for k in range(first, last):
            overlap = min(finish, (k + 1) * grid.period_minutes) - max(begin, k * grid.period_minutes)
            if overlap <= 0:
                continue
            share = r.volume * overlap / r.minutes
            volume[k] += share
            if r.handle_seconds is not None:
                work[k] += share * r.handle_seconds
                timed[k] += share
            if r.promised is not None:
                promise[k] += share * r.promised
                promised_volume[k] += share
    handle = [work[k] / timed[k] if timed[k] > 0 else default_handle for k in range(grid.periods)]
    promised = [
        promise[k] / promised_volume[k] if promised_volume[k] > 0 else None for k in range(grid.periods)
    ]
    return volume, handle, promised
