"""A simulation scenario read from its JSON form and checked field by field.

The JSON layout is the one `wfm simulate` documents (README, "Simulating a plan"): periods of equal length,
contact types with their arrivals, handle times, patience and answer-time target, and agent groups with
the ordered contact types they serve and either a headcount per period or named agents with the minutes
they are available. Every refusal is a `ScenarioError` whose message starts with the field's path
(``contact_types[1].handle_time.mean_seconds: ...``), so a person can find the mistake in the file.

Reading turns the scenario into plain arrays (`Scenario`), the form the random draws and the event loop
use; nothing here draws a random number.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy as np

CHANNELS = ("voice", "chat", "video", "email", "back_office")
DEFERRED_CHANNELS = ("email", "back_office")
POLICIES = ("priority", "longest_waiting")
HANDLE_DISTRIBUTIONS = ("exponential", "lognormal", "empirical")
PATIENCE_DISTRIBUTIONS = ("exponential", "empirical", "none")
MAX_CONCURRENCY = 12
MAX_PERIODS = 100_000
MAX_REPLAY_CONTACTS = 5_000_000
MAX_CONTACTS = 10_000_000  # expected contacts per replication, all types together
MAX_AGENTS = 100_000
MAX_STRETCHES = 5_000_000  # agents' on-stretches, all together


class ScenarioError(ValueError):
    """A scenario the simulator cannot run; the message names the field (``agent_groups[0].serves: ...``)."""


@dataclass(frozen=True)
class Distribution:
    """Seconds drawn per contact: exponential or lognormal around a mean per period, or resampled records.

    `means` has one entry per period (the mean of the period a contact arrives in); `cv` is the lognormal's
    coefficient of variation; `samples` are the recorded values an empirical distribution resamples, scaled
    to the period's mean when one is given (`scale_to_means`).
    """

    kind: str
    means: np.ndarray
    cv: float = 0.0
    samples: np.ndarray | None = None
    scale_to_means: bool = False


@dataclass(frozen=True)
class ContactType:
    name: str
    channel: str
    arrivals_per_period: np.ndarray  # expected count per period (zeros when replayed)
    handle: Distribution
    patience: Distribution | None  # None: nobody hangs up
    answer_seconds: float
    groups: tuple[int, ...]  # indices of agent groups, in the order a contact tries them
    concurrency: int = 1
    deadline_seconds: float | None = None  # deferred work only
    replay_arrivals: np.ndarray | None = None  # seconds from the start, sorted
    replay_handle: np.ndarray | None = None  # NaN: draw from `handle`
    replay_patience: np.ndarray | None = None  # inf: never hangs up
    after_call: Distribution | None = None  # the agent's work after the contact ends (wrap-up)

    @property
    def deferred(self) -> bool:
        return self.channel in DEFERRED_CHANNELS


@dataclass(frozen=True)
class AgentGroup:
    name: str
    serves: tuple[int, ...]  # contact type indices, in the group's order of priority
    # Available stretches per agent, seconds from the start: one (k, 2) array per agent.
    stretches: tuple[np.ndarray, ...]
    agent_names: tuple[str, ...]


@dataclass(frozen=True)
class Scenario:
    period_seconds: float
    periods: int
    busyness_shape: float | None
    policy: str
    types: tuple[ContactType, ...]
    groups: tuple[AgentGroup, ...]
    extra: dict = field(default_factory=dict)

    @property
    def horizon_seconds(self) -> float:
        return self.period_seconds * self.periods


def read_scenario(data: object) -> Scenario:
    """Check a scenario's JSON object and return it as arrays; `ScenarioError` names the first bad field."""
    if not isinstance(data, dict):
        raise ScenarioError("scenario: must be a JSON object")
    period_minutes = _number(data.get("period_minutes"), "period_minutes", positive=True)
    periods = _integer(data.get("periods"), "periods", least=1)
    if periods > MAX_PERIODS:
        raise ScenarioError(f"periods: at most {MAX_PERIODS}")
    shape = data.get("busyness_gamma_shape")
    busyness = None if shape is None else _number(shape, "busyness_gamma_shape", least=1.0)
    policy = data.get("agent_selects", "priority")
    if policy not in POLICIES:
        raise ScenarioError('agent_selects: must be "priority" or "longest_waiting"')
    raw_types = _list(data.get("contact_types"), "contact_types", nonempty=True)
    raw_groups = _list(data.get("agent_groups"), "agent_groups", nonempty=True)
    type_names = _names(raw_types, "contact_types")
    group_names = _names(raw_groups, "agent_groups")
    period_seconds = period_minutes * 60.0
    horizon = period_seconds * periods

    groups = []
    for g, raw in enumerate(raw_groups):
        groups.append(_group(raw, f"agent_groups[{g}]", type_names, periods, period_seconds, horizon))
    if sum(len(g.stretches) for g in groups) > MAX_AGENTS:
        raise ScenarioError(f"agent_groups: more than {MAX_AGENTS:,} agents in all")
    if sum(sum(len(s) for s in g.stretches) for g in groups) > MAX_STRETCHES:
        raise ScenarioError(f"agent_groups: more than {MAX_STRETCHES:,} stretches on in all")
    types = []
    expected = 0.0
    for t, raw in enumerate(raw_types):
        serving = [g for g, group in enumerate(groups) if t in group.serves]
        kind = _contact_type(raw, f"contact_types[{t}]", periods, horizon, group_names, serving)
        expected += kind.arrivals_per_period.sum() + (
            0 if kind.replay_arrivals is None else kind.replay_arrivals.size
        )
        if expected > MAX_CONTACTS:
            raise ScenarioError(
                f"contact_types[{t}].arrivals_per_period: with the types before it, more than "
                f"{MAX_CONTACTS:,} contacts expected in one replication"
            )
        types.append(kind)
    return Scenario(period_seconds, periods, busyness, policy, tuple(types), tuple(groups))


# Contact types -----------------------------------------------------------------------------------------


def _contact_type(
    raw: dict, where: str, periods: int, horizon: float, group_names: list[str], serving: list[int]
) -> ContactType:
    name = raw["name"]
    channel = raw.get("channel", "voice")
    if channel not in CHANNELS:
        raise ScenarioError(f"{where}.channel: must be one of {', '.join(CHANNELS)}")
    deferred = channel in DEFERRED_CHANNELS
    concurrency = _integer(raw.get("concurrency", 1), f"{where}.concurrency", least=1)
    if concurrency > MAX_CONCURRENCY:
        raise ScenarioError(f"{where}.concurrency: at most {MAX_CONCURRENCY} contacts at once")
    deadline = None
    if deferred:
        deadline = _number(raw.get("deadline_seconds"), f"{where}.deadline_seconds", positive=True)
    elif raw.get("deadline_seconds") is not None:
        raise ScenarioError(f"{where}.deadline_seconds: only email and back_office work has a deadline")
    answer = raw.get("answer_seconds")
    if answer is None:
        answer_seconds = deadline if deadline is not None else 20.0
    else:
        answer_seconds = _number(answer, f"{where}.answer_seconds", least=0.0)

    replay = raw.get("arrival_seconds")
    if replay is None:
        arrivals = _per_period(raw.get("arrivals_per_period"), f"{where}.arrivals_per_period", periods, 0.0)
        replay_arrivals = replay_handle = replay_patience = None
    else:
        arrivals = np.zeros(periods)
        replay_arrivals, replay_handle, replay_patience = _replay(raw, where, horizon)

    handle = _handle(raw.get("handle_time"), f"{where}.handle_time", periods, need=replay_handle is None)
    patience_raw = raw.get("patience")
    if deferred and patience_raw is not None:
        raise ScenarioError(f"{where}.patience: email and back_office work never hangs up; give null")
    patience = _optional_distribution(patience_raw, f"{where}.patience", periods)
    after_call = _optional_distribution(raw.get("after_call"), f"{where}.after_call", periods)

    listed = raw.get("groups")
    if listed is None:
        order = list(serving)
    else:
        order = []
        for i, group_name in enumerate(_list(listed, f"{where}.groups")):
            if group_name not in group_names:
                raise ScenarioError(f"{where}.groups[{i}]: no agent group is named {group_name!r}")
            g = group_names.index(group_name)
            if g not in serving:
                raise ScenarioError(
                    f"{where}.groups[{i}]: the group {group_name!r} does not list {name!r} in its serves"
                )
            if g in order:
                raise ScenarioError(f"{where}.groups[{i}]: {group_name!r} is listed twice")
            order.append(g)
        order += [g for g in serving if g not in order]
    return ContactType(
        name=name,
        channel=channel,
        arrivals_per_period=arrivals,
        handle=handle,
        patience=patience,
        answer_seconds=answer_seconds,
        groups=tuple(order),
        concurrency=concurrency,
        deadline_seconds=deadline,
        replay_arrivals=replay_arrivals,
        replay_handle=replay_handle,
        replay_patience=replay_patience,
        after_call=after_call,
    )


def _replay(raw: dict, where: str, horizon: float) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    times = _number_list(raw.get("arrival_seconds"), f"{where}.arrival_seconds", least=0.0)
    if len(times) > MAX_REPLAY_CONTACTS:
        raise ScenarioError(f"{where}.arrival_seconds: at most {MAX_REPLAY_CONTACTS} contacts")
    late = np.flatnonzero(times >= horizon)
    if late.size:
        raise ScenarioError(
            f"{where}.arrival_seconds[{late[0]}]: {times[late[0]]:g} is after the last period ends "
            f"({horizon:g} seconds)"
        )
    order = np.argsort(times, kind="stable")
    handle = patience = None
    if raw.get("handle_seconds") is not None:
        handle = _number_list(
            raw["handle_seconds"], f"{where}.handle_seconds", least=0.0, nulls=np.nan, size=len(times)
        )[order]
    if raw.get("patience_seconds") is not None:
        patience = _number_list(
            raw["patience_seconds"], f"{where}.patience_seconds", least=0.0, nulls=np.inf, size=len(times)
        )[order]
    return times[order], handle, patience


def _handle(raw: object, where: str, periods: int, need: bool) -> Distribution:
    if raw is None and not need:
        return Distribution("exponential", np.full(periods, np.nan))
    if not isinstance(raw, dict):
        raise ScenarioError(f'{where}: must be an object such as {{"distribution": "exponential", ...}}')
    kind = raw.get("distribution", "exponential")
    if kind not in HANDLE_DISTRIBUTIONS:
        raise ScenarioError(f"{where}.distribution: must be one of {', '.join(HANDLE_DISTRIBUTIONS)}")
    return _distribution(raw, where, kind, periods)


def _optional_distribution(raw: object, where: str, periods: int) -> Distribution | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: must be an object or null")
    kind = raw.get("distribution", "exponential")
    if kind not in PATIENCE_DISTRIBUTIONS:
        raise ScenarioError(f"{where}.distribution: must be one of {', '.join(PATIENCE_DISTRIBUTIONS)}")
    if kind == "none":
        return None
    return _distribution(raw, where, kind, periods)


def _distribution(raw: dict, where: str, kind: str, periods: int) -> Distribution:
    if kind == "empirical":
        samples = _number_list(raw.get("seconds"), f"{where}.seconds", least=0.0)
        if samples.size == 0:
            raise ScenarioError(f"{where}.seconds: give at least one recorded value")
        if raw.get("mean_seconds") is None:
            return Distribution(kind, np.full(periods, samples.mean()), samples=samples)
        means = _per_period(raw["mean_seconds"], f"{where}.mean_seconds", periods, 0.0, positive=True)
        if samples.mean() <= 0:
            raise ScenarioError(f"{where}.seconds: the values average zero, so cannot be scaled to a mean")
        return Distribution(kind, means, samples=samples, scale_to_means=True)
    means = _per_period(raw.get("mean_seconds"), f"{where}.mean_seconds", periods, 0.0, positive=True)
    cv = 0.0
    if kind == "lognormal":
        cv = _number(raw.get("cv"), f"{where}.cv", positive=True)
    return Distribution(kind, means, cv=cv)


# Agent groups ------------------------------------------------------------------------------------------


def _group(
    raw: dict, where: str, type_names: list[str], periods: int, period_seconds: float, horizon: float
) -> AgentGroup:
    serves = []
    for i, type_name in enumerate(_list(raw.get("serves"), f"{where}.serves", nonempty=True)):
        if type_name not in type_names:
            raise ScenarioError(f"{where}.serves[{i}]: no contact type is named {type_name!r}")
        t = type_names.index(type_name)
        if t in serves:
            raise ScenarioError(f"{where}.serves[{i}]: {type_name!r} is listed twice")
        serves.append(t)
    has_counts = raw.get("agents_per_period") is not None
    has_agents = raw.get("agents") is not None
    if has_counts == has_agents:
        raise ScenarioError(f"{where}: give either agents_per_period or agents (named agents), not both")
    if has_counts:
        counts = _per_period(raw["agents_per_period"], f"{where}.agents_per_period", periods, 0.0)
        if counts.max(initial=0) > MAX_AGENTS:
            bad = int(np.argmax(counts))
            raise ScenarioError(f"{where}.agents_per_period[{bad}]: at most {MAX_AGENTS:,} agents")
        if np.any(counts != np.round(counts)):
            bad = int(np.flatnonzero(counts != np.round(counts))[0])
            raise ScenarioError(f"{where}.agents_per_period[{bad}]: must be a whole number of agents")
        stretches = _stretches_from_counts(counts.astype(np.int64), period_seconds)
        numbered = tuple(f"{raw['name']} {k + 1}" for k in range(len(stretches)))
        return AgentGroup(raw["name"], tuple(serves), stretches, numbered)
    agents = _list(raw["agents"], f"{where}.agents")
    stretches_list: list[np.ndarray] = []
    names: list[str] = []
    for a, agent in enumerate(agents):
        spot = f"{where}.agents[{a}]"
        if not isinstance(agent, dict):
            raise ScenarioError(f"{spot}: must be an object with name and on")
        names.append(str(agent.get("name", f"{raw['name']} {a + 1}")))
        on = _list(agent.get("on"), f"{spot}.on")
        pairs = []
        for s, stretch in enumerate(on):
            if not (isinstance(stretch, list | tuple) and len(stretch) == 2):
                raise ScenarioError(f"{spot}.on[{s}]: must be [start_minute, end_minute]")
            start = _number(stretch[0], f"{spot}.on[{s}][0]", least=0.0)
            end = _number(stretch[1], f"{spot}.on[{s}][1]", least=0.0)
            if end < start:
                raise ScenarioError(f"{spot}.on[{s}]: ends before it starts")
            pairs.append((start * 60.0, end * 60.0))
        stretches_list.append(_merged(pairs))
    return AgentGroup(raw["name"], tuple(serves), tuple(stretches_list), tuple(names))


def _stretches_from_counts(counts: np.ndarray, period_seconds: float) -> tuple[np.ndarray, ...]:
    """Agent k of a group is on in every period whose headcount exceeds k (the lowest-numbered stay)."""
    stretches = []
    for k in range(int(counts.max(initial=0))):
        on = counts > k
        edges = np.diff(np.concatenate([[0], on.astype(np.int8), [0]]))
        starts = np.flatnonzero(edges == 1) * period_seconds
        ends = np.flatnonzero(edges == -1) * period_seconds
        stretches.append(np.column_stack([starts, ends]).astype(float))
    return tuple(stretches)


def _merged(pairs: list[tuple[float, float]]) -> np.ndarray:
    pairs = sorted(p for p in pairs if p[1] > p[0])
    merged: list[list[float]] = []
    for start, end in pairs:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return np.array(merged, dtype=float).reshape(-1, 2)


# Field readers -----------------------------------------------------------------------------------------


def _names(items: list, where: str) -> list[str]:
    names = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise ScenarioError(f"{where}[{i}]: must be an object")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ScenarioError(f"{where}[{i}].name: give a name")
        if name in names:
            raise ScenarioError(f"{where}[{i}].name: {name!r} is used twice")
        names.append(name)
    return names


def _list(value: object, where: str, nonempty: bool = False) -> list:
    if not isinstance(value, list):
        raise ScenarioError(f"{where}: must be a list")
    if nonempty and not value:
        raise ScenarioError(f"{where}: must not be empty")
    return value


def _is_number(value: object) -> bool:
    """A finite int or float (numpy's too, for callers building scenarios from arrays); never a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_) and math.isfinite(value)


def _number(value: object, where: str, positive: bool = False, least: float | None = None) -> float:
    if value is None:
        raise ScenarioError(f"{where}: is missing")
    if not _is_number(value):
        raise ScenarioError(f"{where}: must be a number, not {value!r}")
    number = float(value)  # type: ignore[arg-type]
    if positive and number <= 0:
        raise ScenarioError(f"{where}: must be more than 0")
    if least is not None and number < least:
        raise ScenarioError(f"{where}: must be at least {least:g}")
    return number


def _integer(value: object, where: str, least: int) -> int:
    number = _number(value, where)
    if number != int(number):
        raise ScenarioError(f"{where}: must be a whole number")
    if number < least:
        raise ScenarioError(f"{where}: must be at least {least}")
    return int(number)


def _per_period(value: object, where: str, periods: int, least: float, positive: bool = False) -> np.ndarray:
    """A scalar (every period) or a list with one number per period."""
    if value is None:
        raise ScenarioError(f"{where}: is missing")
    if not isinstance(value, list):
        return np.full(periods, _number(value, where, positive=positive, least=least))
    if len(value) != periods:
        raise ScenarioError(f"{where}: {len(value)} values for {periods} periods")
    return np.array(
        [_number(v, f"{where}[{i}]", positive=positive, least=least) for i, v in enumerate(value)]
    )


def _number_list(
    value: object, where: str, least: float, nulls: float | None = None, size: int | None = None
) -> np.ndarray:
    items = _list(value, where)
    if size is not None and len(items) != size:
        raise ScenarioError(f"{where}: {len(items)} values for {size} arrivals")
    out = np.empty(len(items))
    for i, v in enumerate(items):
        if v is None and nulls is not None:
            out[i] = nulls
        else:
            out[i] = _number(v, f"{where}[{i}]", least=least)
    return out
