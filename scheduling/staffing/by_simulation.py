"""Staffing by simulation: start from the Erlang answer and correct it interval by interval.

Erlang C and A staff each queue alone, in a steady state; a simulation sees several queues served by
overlapping agent groups, queues carried from one interval into the next, and abandonment. Each round
simulates the current staffing (always from the same seed: common random numbers, so two staffings are
compared on the same simulated days and a change in the figures comes from the change of staffing, not
from the draw), then, per interval:

- where a contact type misses its target (simulated service level below it), one agent is added back to
  the group that lost one there in the last round (that cut was one too many), or else to the first group
  the type is routed to (its specialists); that group's count then is marked as too few;
- where every contact type a group serves holds its target with `margin` to spare, one agent is taken
  from that group (one group per contact type and interval per round),
  unless that count was already seen to be too few. Specialists (groups serving fewest contact types) lose
  agents first, so cross-trained agents, who can take whichever queue is busy, are kept longest.

Stopping rule: a round that changes nothing, or `max_rounds`. As a count once seen too few is never tried
again, each group and interval can go down only until its first miss and then up, so the rounds end; the
answer is the last staffing simulated, every interval of which meets its targets (when `converged`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from scheduling.simulate import simulate_json


@dataclass
class Correction:
    """The corrected staffing per group and period, the simulation of it, and how it was reached."""

    agents: dict[str, list[int]]
    result: dict
    rounds: int
    converged: bool
    history: list[int] = field(default_factory=list)  # total agent-periods after each round
    added: int = 0
    removed: int = 0

    def total(self) -> int:
        return sum(sum(v) for v in self.agents.values())


def _targets(scenario: dict, targets: dict[str, float]) -> dict[str, float]:
    return {t["name"]: targets[t["name"]] for t in scenario["contact_types"] if t["name"] in targets}


def _holds_with_margin(result: dict, kind: str, period: int, floor: float, min_offered: float) -> bool:
    """A type holds when its simulated level reaches `floor`, or it had too little work to measure."""
    level = _level(result, kind, period)
    if level is None:
        return result["by_period"][kind][period]["offered"] <= min_offered
    return level >= floor


def _level(result: dict, kind: str, period: int) -> float | None:
    return result["by_period"][kind][period]["service_level"]


def correct(
    scenario: dict,
    targets: dict[str, float],
    replications: int = 50,
    seed: int = 0,
    margin: float = 0.0,
    max_rounds: int = 30,
    min_offered: float = 0.0,
) -> Correction:
    """Correct the `agents_per_period` of `scenario`'s agent groups until each contact type named in
    `targets` (name -> share to answer in time) meets it in every period with contacts (more than
    `min_offered` simulated on average), and no group could lose an agent in a period where its types
    hold their targets with `margin` to spare."""
    work = copy.deepcopy(scenario)
    groups = {g["name"]: g for g in work["agent_groups"]}
    if any("agents_per_period" not in g for g in groups.values()):
        raise ValueError("agent_groups: staffing by simulation needs agents_per_period for every group")
    periods = int(work["periods"])
    for g in groups.values():
        counts = g["agents_per_period"]
        g["agents_per_period"] = (
            [int(counts)] * periods if isinstance(counts, int | float) else [int(x) for x in counts]
        )
    wanted = _targets(work, targets)
    routed = {t["name"]: list(t.get("groups") or []) for t in work["contact_types"]}
    serves = {name: [t for t in g["serves"] if t in wanted] for name, g in groups.items()}
    too_few: dict[tuple[str, int], int] = {}
    last_cuts: dict[int, list[str]] = {}  # period -> groups that lost an agent in the last round
    history, added, removed = [], 0, 0
    result: dict = {}
    for round_ in range(1, max_rounds + 1):
        result = simulate_json(work, replications=replications, seed=seed)
        changes: list[tuple[str, int, int]] = []
        for p in range(periods):
            missed = set()
            for kind, target in wanted.items():
                cell = result["by_period"][kind][p]
                level = cell["service_level"]
                if cell["offered"] <= min_offered or level is None or level >= target or not routed[kind]:
                    continue
                missed.add(kind)
                # undo last round's cut that may have caused the miss, else add to its specialists
                cut = [g for g in last_cuts.get(p, []) if kind in serves[g]]
                group = cut[0] if cut else routed[kind][0]
                n = groups[group]["agents_per_period"][p]
                too_few[group, p] = max(too_few.get((group, p), -1), n)
                if (group, p, +1) not in changes:
                    changes.append((group, p, +1))
            taken: set[str] = set()
            # specialists first (fewest types served), then larger groups: cross-trained agents stay longest
            by_size = sorted(
                groups, key=lambda name: (len(serves[name]), -groups[name]["agents_per_period"][p])
            )
            for name in by_size:
                n = groups[name]["agents_per_period"][p]
                kinds = serves[name]
                if n == 0 or not kinds or any(k in missed or k in taken for k in kinds):
                    continue
                if n - 1 <= too_few.get((name, p), -1):
                    continue
                holds = all(_holds_with_margin(result, k, p, wanted[k] + margin, min_offered) for k in kinds)
                if holds:
                    changes.append((name, p, -1))
                    taken.update(kinds)
        last_cuts = {}
        for name, p, step in changes:
            if step < 0:
                last_cuts.setdefault(p, []).append(name)
            groups[name]["agents_per_period"][p] += step
            added += step > 0
            removed += step < 0
        history.append(sum(sum(g["agents_per_period"]) for g in groups.values()))
        if not changes:
            return Correction(
                {n: list(g["agents_per_period"]) for n, g in groups.items()},
                result,
                round_,
                True,
                history,
                added,
                removed,
            )
    result = simulate_json(work, replications=replications, seed=seed)
    return Correction(
        {n: list(g["agents_per_period"]) for n, g in groups.items()},
        result,
        max_rounds,
        False,
        history,
        added,
        removed,
    )
