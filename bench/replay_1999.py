"""February 1999 replayed through the simulator, against what happened and what the formulas promised.

The Anonymous Bank's call records (reference data, see /work/shared/data/README.md) hold every call with
its arrival, wait, outcome, handle time and the agent who served it. For each day:

- Real: service level, abandonment and ASA read from the records. A call is offered to the agents when it
  leaves the voice-response unit asking for one (served, or hung up after queueing), as in
  scheduling/history/calls.py; PHANTOM records are left out.
- Staffing, two readings of the `server` column:
  "seen": per half hour, the agents seen working (a named server whose service overlaps the half hour),
  each counted as on for the whole half hour;
  "available": each agent on from the start of each of their services to its end, and on through the
  idle gap that follows until the first moment in it that a caller was waiting (an agent idle while a
  caller waits was not available). This reads availability partly from the waits themselves, so it is
  not an independent forecast; and it is still optimistic, because the simulated agent answers the head
  of the queue at each window's start and finishes it even when it outlasts the window, which the real
  agent's time never allowed.
- Simulated: the day's real arrivals with their real handle times (drawn from the served calls' handle
  times for callers who hung up, whose handle time nobody saw); one pool of the agents; the two customer
  classes (priority 2 and the rest) served first come, first served (`longest_waiting`): the records show
  priority customers waiting longer than the others, so they were not put ahead; patience drawn from the
  distribution
  estimated from the whole month, where a served call's wait is a censored observation of its caller's
  patience: the Kaplan-Meier estimate (and, for comparison, the exponential maximum likelihood estimate,
  total waiting time over abandonments).
- Simulated with after-call work (with the "seen" staffing): after each call the agent stays away for a
  time drawn from the gaps the records show between an agent's call ending and their next call starting
  at the moments a caller was already waiting (so the agent could have answered at once): after-call
  work and any other time not ready. Not applied to "available", which already leaves those gaps out.
- "sessions": each named agent on from their first call's start to their last call's end, split where,
  idle, they left a caller waiting longer than a threshold (off from the moment the caller waited to
  their next call). The threshold comes from the distribution of those refusal times over the month: a
  two-component Gaussian mixture on their logarithm, split where the long component becomes the likelier.
  Refusals up to the threshold after a call that ended with a caller waiting are the after-call work,
  drawn after every call. Three routings: one pool first come; by skill, where each call type and
  customer class is a contact type and each agent a group serving the call types they answered at least
  SKILL_CALLS times in the month, first come across them; and the same with priority customers first
  (then the agent's most answered type first): within a call type the records show priority customers
  answered past earlier regular ones far more often than the reverse.
- Erlang C and Erlang A: each half hour on its own with the same staffing (for "available", the agents'
  on-time in the half hour over 30 minutes, rounded), its calls and its mean handle time (Erlang A with
  the exponential patience estimate).

The records also show how far the centre was from one first-come queue: the share of answers given while
a caller who came earlier was still waiting (and, within a call type, which class was answered past the
other).

Service level everywhere is answered within the target / (answered + abandoned after the target), a ratio
of the day's sums. The target is 20 seconds: the common 80/20 convention (and the demo's retail queue);
waits are recorded to the second and half the served calls did not wait at all, so the data resolves any
target of a few seconds or more.

The calls are read from the copy the demo ships (wfm/demo/data, attribution there).
Run: .venv/bin/python bench/replay_1999.py [--replications 20] [--calls PATH]
     [--staffing seen|available|sessions|all] [--threshold SECONDS]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scheduling.simulate import simulate_json  # noqa: E402
from scheduling.staffing.erlang import erlang_c_metrics  # noqa: E402
from scheduling.staffing.erlang_a import erlang_a_metrics  # noqa: E402
from scheduling.staffing.incomplete_gamma import log_gammainc  # noqa: E402
from tests.reference_data import CALLS_FEBRUARY as CALLS  # noqa: E402

ANSWER_SECONDS = 20.0
PERIOD_SECONDS = 1800.0
CLASSES = ("priority", "regular")
KM_SAMPLES = 20_000
SKILL_CALLS = 5


def read_calls(path: Path) -> pd.DataFrame:
    """One row per offered call: day, class, arrival/service start/end in seconds of the day, wait,
    handle time, outcome, server."""
    raw = pd.read_csv(path, sep="\t", dtype=str).apply(lambda c: c.str.strip())
    raw.columns = [c.strip() for c in raw.columns]
    queued = raw["q_start"] != "0:00:00"
    offered = (raw["outcome"] == "AGENT") | ((raw["outcome"] == "HANG") & queued)
    raw = raw[offered]

    def seconds(column: str) -> np.ndarray:
        return pd.to_timedelta(raw[column]).dt.total_seconds().to_numpy()

    entry, arrival = seconds("vru_entry"), seconds("vru_exit")
    arrival = np.where(arrival < entry, arrival + 86_400, arrival)  # crossed midnight in the VRU
    start = seconds("ser_start")
    start = np.where(start < arrival - 3600, start + 86_400, start)  # answered after midnight
    served = (raw["outcome"] == "AGENT").to_numpy()
    # a record whose VRU time or answer time is over an hour off its own figures is corrupt, not a call
    sane = (arrival - entry <= 3600) & (
        ~served | (np.abs(start - arrival) <= 3600 + raw["q_time"].astype(float))
    )
    raw, arrival, start = raw[sane], arrival[sane], start[sane]
    handle = raw["ser_time"].astype(float).to_numpy()
    return pd.DataFrame(
        {
            "day": pd.to_datetime(raw["date"], format="%y%m%d").dt.date.to_numpy(),
            "kind": np.where(raw["priority"].astype(int) == 2, "priority", "regular"),
            "type": raw["type"].to_numpy(),
            "arrival": arrival,
            "start": start,
            "end": start + handle,
            "wait": raw["q_time"].astype(float).to_numpy(),
            "handle": handle,
            "served": (raw["outcome"] == "AGENT").to_numpy(),
            "left": np.where(
                raw["outcome"] == "AGENT", start + handle, arrival + raw["q_time"].astype(float)
            ),
            "server": raw["server"].to_numpy(),
        }
    )


def staffing(day_calls: pd.DataFrame, periods: int) -> np.ndarray:
    """Agents seen serving in each half hour: named servers whose service overlaps it."""
    seen = day_calls[day_calls["served"] & (day_calls["server"] != "NO_SERVER")]
    agents = [set() for _ in range(periods)]
    for start, end, server in zip(seen["start"], seen["end"], seen["server"], strict=True):
        for p in range(int(start // PERIOD_SECONDS), min(int(end // PERIOD_SECONDS), periods - 1) + 1):
            agents[p].add(server)
    return np.array([len(a) for a in agents])


def available_agents(day_calls: pd.DataFrame) -> list[dict]:
    """Named agents on during their services and through each idle gap until a caller was waiting."""
    queued = day_calls[day_calls["wait"] > 0]
    wait_from = queued["arrival"].to_numpy()
    wait_to = wait_from + queued["wait"].to_numpy()
    seen = day_calls[day_calls["served"] & (day_calls["server"] != "NO_SERVER")].sort_values("start")
    agents = []
    for server, own in seen.groupby("server"):
        starts, ends = own["start"].to_numpy(), own["end"].to_numpy()
        stretches = [[starts[0], ends[0]]]
        for start, end in zip(starts[1:], ends[1:], strict=True):
            idle_from = stretches[-1][1]
            if start > idle_from:
                waiting = (wait_from < start) & (wait_to > idle_from)
                busy_from = max(idle_from, wait_from[waiting].min()) if waiting.any() else start
                stretches[-1][1] = busy_from
                if busy_from < start:
                    stretches.append([start, end])
                    continue
            stretches[-1][1] = max(stretches[-1][1], end)
        agents.append({"name": server, "on": [[a / 60.0, b / 60.0] for a, b in stretches]})
    return agents


def refusals(day_calls: pd.DataFrame) -> list[tuple[str, float, float, float]]:
    """Each idle gap of a named agent during which a caller was waiting: (server, gap start, first moment
    in it a caller waited, next call's start). The time from that moment to the next call is how long the
    agent left a caller waiting while idle: after-call work when short, not available when long."""
    queued = day_calls[day_calls["wait"] > 0]
    wait_from = queued["arrival"].to_numpy()
    wait_to = wait_from + queued["wait"].to_numpy()
    seen = day_calls[day_calls["served"] & (day_calls["server"] != "NO_SERVER")].sort_values("start")
    found = []
    for server, own in seen.groupby("server"):
        ends = np.maximum.accumulate(own["end"].to_numpy())[:-1]
        for end, start in zip(ends, own["start"].to_numpy()[1:], strict=True):
            waiting = (wait_from < start) & (wait_to > end)
            if start > end and waiting.any():
                found.append((server, end, max(end, wait_from[waiting].min()), start))
    return found


def refusal_threshold(calls: pd.DataFrame) -> tuple[float, list[float]]:
    """The refusal time that splits the month's refusals into two groups, from their own distribution:
    a two-component Gaussian mixture on log seconds (EM); the threshold is where a refusal becomes more
    likely to belong to the long component than to the short one. Returns (threshold, refusal times)."""
    times = np.array([s - w for _, day in calls.groupby("day") for _, _, w, s in refusals(day)])
    x = np.log(np.maximum(times, 1.0))
    mean, sd, share = np.quantile(x, [0.25, 0.75]), np.array([x.std(), x.std()]), np.array([0.5, 0.5])
    for _ in range(200):
        dens = share * np.exp(-0.5 * ((x[:, None] - mean) / sd) ** 2) / sd
        resp = dens / dens.sum(axis=1, keepdims=True)
        share = resp.mean(axis=0)
        mean = (resp * x[:, None]).sum(axis=0) / resp.sum(axis=0)
        sd = np.sqrt((resp * (x[:, None] - mean) ** 2).sum(axis=0) / resp.sum(axis=0))
    grid = np.linspace(mean.min(), mean.max(), 2000)
    dens = share * np.exp(-0.5 * ((grid[:, None] - mean) / sd) ** 2) / sd
    short = int(np.argmin(mean))
    crossing = grid[np.argmax(dens[:, 1 - short] > dens[:, short])]
    return float(np.exp(crossing)), times.tolist()


def session_agents(day_calls: pd.DataFrame, threshold: float) -> list[dict]:
    """Named agents on from their first call's start to their last call's end, split where the agent left
    a caller waiting while idle for longer than `threshold` seconds (off from the moment a caller waited
    to their next call)."""
    seen = day_calls[day_calls["served"] & (day_calls["server"] != "NO_SERVER")]
    first = seen.groupby("server")["start"].min()
    last = seen.groupby("server")["end"].max()
    off: dict[str, list[tuple[float, float]]] = {}
    for server, _, waited, start in refusals(day_calls):
        if start - waited > threshold:
            off.setdefault(server, []).append((waited, start))
    agents = []
    for server in first.index:
        stretches, at = [], first[server]
        for a, b in off.get(server, []):
            if a > at:
                stretches.append([at, a])
            at = b
        stretches.append([at, last[server]])
        agents.append({"name": server, "on": [[a / 60.0, b / 60.0] for a, b in stretches if b > a]})
    return agents


def waits_with_an_agent_idle(day_calls: pd.DataFrame, agents: list[dict]) -> dict[str, list[float]]:
    """Per class, the waits of answered callers who arrived while some agent in a session was idle: how
    far each class was from being put through at once when the records show an agent free."""
    seen = day_calls[day_calls["served"] & (day_calls["server"] != "NO_SERVER")]
    idle = []
    for agent in agents:
        own = seen[seen["server"] == agent["name"]].sort_values("start")
        for lo, hi in agent["on"]:
            at = lo * 60.0
            for start, end in zip(own["start"], own["end"], strict=True):
                if end <= at or start >= hi * 60.0:
                    continue
                if start > at:
                    idle.append((at, start))
                at = max(at, end)
            if hi * 60.0 > at:
                idle.append((at, hi * 60.0))
    spans = np.array(idle).reshape(-1, 2)
    answered = day_calls[day_calls["served"]]
    found: dict[str, list[float]] = {kind: [] for kind in CLASSES}
    for arrival, wait, kind in zip(answered["arrival"], answered["wait"], answered["kind"], strict=True):
        if ((spans[:, 0] <= arrival) & (spans[:, 1] > arrival + 1)).any():
            found[kind].append(float(wait))
    return found


def skills(calls: pd.DataFrame) -> dict[str, list[str]]:
    """Each agent's call types, most answered first: the types they answered at least SKILL_CALLS times in
    the month (fewer looks like a transfer or a slip, not a skill)."""
    seen = calls[calls["served"] & (calls["server"] != "NO_SERVER")]
    counts = seen.groupby(["server", "type"]).size()
    return {
        server: [t for t, n in own.droplevel(0).sort_values(ascending=False).items() if n >= SKILL_CALLS]
        for server, own in counts.groupby(level=0)
    }


def skill_scenario(
    day_calls: pd.DataFrame,
    agents: list[dict],
    served_types: dict[str, list[str]],
    periods: int,
    handles: dict,
    patience: dict,
    after_call: dict | None,
    policy: str,
) -> dict:
    """One contact type per call type and customer class; one group per agent serving the call types of
    their own history, priority customers first (then their most answered type first) under `priority`;
    a call type no agent on the day holds is served by every agent after their own."""
    present = sorted(day_calls["type"].unique())
    held = {t for a in agents for t in served_types.get(a["name"], ())}
    types, groups = [], []
    for kind in CLASSES:
        for call_type in present:
            calls = day_calls[(day_calls["kind"] == kind) & (day_calls["type"] == call_type)]
            if calls.empty:
                continue
            calls = calls.sort_values("arrival")
            types.append(
                {
                    "name": f"{call_type} {kind}",
                    "channel": "voice",
                    "arrival_seconds": calls["arrival"].tolist(),
                    "handle_seconds": [
                        h if s else None for h, s in zip(calls["handle"], calls["served"], strict=True)
                    ],
                    "handle_time": {"distribution": "empirical", "seconds": handles[kind]},
                    "patience": patience[kind],
                    "after_call": after_call,
                    "answer_seconds": ANSWER_SECONDS,
                }
            )
    names = {t["name"] for t in types}
    for agent in agents:
        own = [t for t in served_types.get(agent["name"], []) if t in present]
        order = own + [t for t in present if t not in held]
        serves = [f"{t} {kind}" for kind in CLASSES for t in order if f"{t} {kind}" in names]
        if serves:
            groups.append({"name": agent["name"], "serves": serves, "agents": [agent]})
    return {
        "period_minutes": PERIOD_SECONDS / 60,
        "periods": periods,
        "agent_selects": policy,
        "contact_types": types,
        "agent_groups": groups,
    }


def headcount(agents: list[dict], periods: int) -> np.ndarray:
    """Agents on per half hour: their on-minutes in it over 30, rounded."""
    minutes = np.zeros(periods)
    width = PERIOD_SECONDS / 60.0
    for agent in agents:
        for a, b in agent["on"]:
            for p in range(int(a // width), min(int(b // width), periods - 1) + 1):
                minutes[p] += max(0.0, min(b, (p + 1) * width) - max(a, p * width))
    return np.round(minutes / width).astype(int)


def answers_out_of_turn(day_calls: pd.DataFrame) -> tuple[int, int]:
    """(answers given while a caller who came earlier was still waiting, answers by named agents): how far
    the real centre was from one first-come queue."""
    seen = day_calls[day_calls["served"] & (day_calls["server"] != "NO_SERVER")]
    queued = day_calls[day_calls["wait"] > 0]
    wait_from = queued["arrival"].to_numpy()
    wait_to = wait_from + queued["wait"].to_numpy()
    jumps = sum(
        bool(((wait_from < arrival - 1) & (wait_to > start + 1)).any())
        for start, arrival in zip(seen["start"], seen["arrival"], strict=True)
    )
    return jumps, len(seen)


def patience_exponential(calls: pd.DataFrame) -> float:
    """MLE of an exponential patience, served waits censored: total wait over abandonments."""
    return float(calls["wait"].sum() / (~calls["served"]).sum())


def patience_kaplan_meier(calls: pd.DataFrame) -> list[float]:
    """Patience values spread evenly over the Kaplan-Meier distribution (abandonments are events, served
    waits censored); beyond the last abandonment the tail is exponential with the MLE mean."""
    waits = calls["wait"].to_numpy()
    gave_up = ~calls["served"].to_numpy()
    times = np.unique(waits[gave_up])
    at_risk = np.array([(waits >= t).sum() for t in times], dtype=float)
    events = np.array([((waits == t) & gave_up).sum() for t in times], dtype=float)
    survival = np.cumprod(1.0 - events / at_risk)
    quantiles = (np.arange(KM_SAMPLES) + 0.5) / KM_SAMPLES  # share of callers more patient than the value
    index = np.searchsorted(-survival, -quantiles, side="left")  # first time S(t) <= q
    values = np.empty(KM_SAMPLES)
    inside = index < times.size
    values[inside] = times[index[inside]]
    tail_mean = patience_exponential(calls)
    values[~inside] = times[-1] + tail_mean * -np.log(quantiles[~inside] / survival[-1])
    return values.tolist()


def after_call_seconds(calls: pd.DataFrame) -> list[float]:
    """The time between an agent's call ending and their next call starting, over the ends at which a
    caller was already waiting (so the agent could have taken one at once): after-call work and any other
    reason the agent was not ready, as the records reveal it. Gaps over an hour are left out."""
    gaps: list[float] = []
    for _, day in calls.groupby("day"):
        queued = day[day["wait"] > 0]
        wait_from = queued["arrival"].to_numpy()
        wait_to = wait_from + queued["wait"].to_numpy()
        seen = day[day["served"] & (day["server"] != "NO_SERVER")].sort_values("start")
        for _, own in seen.groupby("server"):
            for end, start in zip(own["end"].to_numpy()[:-1], own["start"].to_numpy()[1:], strict=True):
                if 0 <= start - end <= 3600 and ((wait_from < end) & (wait_to > end)).any():
                    gaps.append(float(start - end))
    return gaps


def day_scenario(
    day_calls: pd.DataFrame, group: dict, periods: int, handles: dict, patience: dict, after_call: dict | None
) -> dict:
    types = []
    for kind in CLASSES:
        calls = day_calls[day_calls["kind"] == kind].sort_values("arrival")
        types.append(
            {
                "name": kind,
                "channel": "voice",
                "arrival_seconds": calls["arrival"].tolist(),
                "handle_seconds": [
                    h if s else None for h, s in zip(calls["handle"], calls["served"], strict=True)
                ],
                "handle_time": {"distribution": "empirical", "seconds": handles[kind]},
                "patience": patience[kind],
                "after_call": after_call,
                "answer_seconds": ANSWER_SECONDS,
            }
        )
    return {
        "period_minutes": PERIOD_SECONDS / 60,
        "periods": periods,
        "agent_selects": "longest_waiting",
        "contact_types": types,
        "agent_groups": [{"name": "agents", "serves": list(CLASSES), **group}],
    }


def real_figures(calls: pd.DataFrame) -> dict:
    served, wait = calls["served"], calls["wait"]
    within = (served & (wait <= ANSWER_SECONDS)).sum()
    late = (~served & (wait > ANSWER_SECONDS)).sum()
    return {
        "sl": within / (served.sum() + late),
        "abandon": (~served).mean(),
        "asa": wait[served].mean(),
    }


def formula_figures(calls: pd.DataFrame, agents: np.ndarray, patience_mean: float) -> dict:
    """Erlang C and A per half hour, summed over the day as counts (answered in time, denominators)."""
    period = np.minimum((calls["arrival"] // PERIOD_SECONDS).astype(int), len(agents) - 1)
    offered = np.bincount(period, minlength=len(agents)).astype(float)
    served = calls["served"].to_numpy()
    handle_sum = np.bincount(period[served], weights=calls["handle"][served], minlength=len(agents))
    handled = np.bincount(period[served], minlength=len(agents))
    day_aht = calls["handle"][served].mean()
    aht = np.where(handled > 0, handle_sum / np.maximum(handled, 1), day_aht)
    busy = offered > 0
    n, lam, h = agents[busy], offered[busy], aht[busy]
    traffic = lam * h / PERIOD_SECONDS
    c = erlang_c_metrics(n, traffic, h, ANSWER_SECONDS)
    a = erlang_a_metrics(n, traffic, h, patience_mean, ANSWER_SECONDS)
    early = erlang_a_abandon_within(n, traffic, h, patience_mean, ANSWER_SECONDS, a.p_wait)
    return {
        "c_sl": float((c.service_level * lam).sum() / lam.sum()),
        "c_asa": float((c.asa_seconds * lam).sum() / lam.sum())
        if np.isfinite(c.asa_seconds).all()
        else np.inf,
        "a_sl": float((a.service_level * lam).sum() / ((1.0 - early) * lam).sum()),
        "a_abandon": float((a.abandon_rate * lam).sum() / lam.sum()),
    }


def erlang_a_abandon_within(n, traffic, aht, patience, t, p_wait, points: int = 64) -> np.ndarray:
    """P(a caller hangs up within t) under Erlang A: ∫0^t θ e^-θs P(V > s) ds, with the virtual wait's
    tail P(V > s) = P(wait)·P(x, y·e^-θs) / P(x, y) (Mandelbaum and Zeltyn), by the trapezoid rule."""
    n, traffic, aht = (np.asarray(v, dtype=float) for v in (n, traffic, aht))
    theta = 1.0 / patience
    x, y = n * patience / aht, traffic * patience / aht
    s = np.linspace(0.0, t, points)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = n > 0
        tail = np.where(
            ok,
            p_wait
            * np.exp(
                log_gammainc(np.maximum(x, 1e-9), y * np.exp(-theta * s))
                - log_gammainc(np.maximum(x, 1e-9), y)
            ),
            1.0,
        )
    return np.trapezoid(theta * np.exp(-theta * s) * tail, s, axis=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--calls", type=Path, default=CALLS)
    parser.add_argument("--staffing", choices=("seen", "available", "sessions", "all"), default="all")
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="seconds an idle agent may leave a caller waiting and still count as on (sessions); "
        "default: read from the refusal times' distribution",
    )
    args = parser.parse_args()
    calls = read_calls(args.calls)
    handles = {k: calls[(calls["kind"] == k) & calls["served"]]["handle"].tolist() for k in CLASSES}
    exponential = {k: patience_exponential(calls[calls["kind"] == k]) for k in CLASSES}
    km = {
        k: {"distribution": "empirical", "seconds": patience_kaplan_meier(calls[calls["kind"] == k])}
        for k in CLASSES
    }
    expo = {k: {"distribution": "exponential", "mean_seconds": exponential[k]} for k in CLASSES}
    jumps = [answers_out_of_turn(day) for _, day in calls.groupby("day")]
    print(
        f"Answers given while an earlier caller still waited: {sum(j for j, _ in jumps):,} of "
        f"{sum(n for _, n in jumps):,} (the real centre was not one first-come queue)."
    )
    print(overtakes(calls))
    gaps = after_call_seconds(calls)
    after_call = {"distribution": "empirical", "seconds": gaps}
    print(
        f"After-call gaps (an agent's next call when a caller already waited): {len(gaps):,}, median "
        f"{np.median(gaps):.0f} s, mean {np.mean(gaps):.0f} s."
    )
    modes = ("seen", "available", "sessions") if args.staffing == "all" else (args.staffing,)
    for mode in modes:
        if mode == "sessions":
            replay_sessions(calls, args.replications, handles, km, args.threshold)
        else:
            replay_month(calls, mode, args.replications, handles, km, expo, exponential, after_call)
        print()


def overtakes(calls: pd.DataFrame) -> str:
    """Who was answered first when both classes waited for the same call type: answers given while an
    earlier caller of the same type still waited, by the class of the one answered and of the one passed."""
    passed = {(a, b): 0 for a in CLASSES for b in CLASSES}
    for _, day in calls.groupby("day"):
        for _, queued in day[day["wait"] > 0].groupby("type"):
            wait_from = queued["arrival"].to_numpy()
            wait_to = wait_from + queued["wait"].to_numpy()
            kinds = queued["kind"].to_numpy()
            answered = queued[queued["served"]]
            for arrival, start, kind in zip(
                answered["arrival"], answered["start"], answered["kind"], strict=True
            ):
                for other in set(kinds[(wait_from < arrival - 1) & (wait_to > start + 1)]):
                    passed[(kind, other)] += 1
    return (
        "Within a call type, answers past an earlier caller still waiting: "
        + ", ".join(f"{a} past {b} {n:,}" for (a, b), n in passed.items())
        + "."
    )


def replay_sessions(calls, replications, handles, km, threshold) -> None:
    """Named agents' sessions from their own calls, with after-call work up to the threshold and routing
    pooled or by the skills and classes the records show."""
    chosen, times = refusal_threshold(calls)
    times = np.array(times)
    if threshold is None:
        threshold = chosen
    short = [
        s - e
        for _, day in calls.groupby("day")
        for _, e, w, s in refusals(day)
        if w == e and s - e <= threshold
    ]
    after_call = {"distribution": "empirical", "seconds": short}
    served_types = skills(calls)
    overall_patience = patience_exponential(calls)
    per_agent = np.mean([len(v) for v in served_types.values()])
    print(
        f"Staffing: sessions. Refusals (an idle agent's time from a caller waiting to their next call): "
        f"{times.size:,}, median {np.median(times):.0f} s; a two-component log-normal mixture "
        f"puts the split at {chosen:.0f} s; used {threshold:.0f} s (longer: the agent was off). "
        f"After-call work: {len(short):,} gaps up to it, mean {np.mean(short):.1f} s. Skills: call types "
        f"an agent answered at least {SKILL_CALLS} times in the month; {per_agent:.1f} types per agent."
    )
    idle_waits: dict[str, list[float]] = {kind: [] for kind in CLASSES}
    for _, day_calls in calls.groupby("day"):
        for kind, waits in waits_with_an_agent_idle(day_calls, session_agents(day_calls, threshold)).items():
            idle_waits[kind] += waits
    print(
        "Answered callers who arrived while an agent in a session was idle: "
        + "; ".join(
            f"{kind} {len(w):,}, {np.mean(np.array(w) == 0):.0%} answered at once, median wait "
            f"{np.median(w):.0f} s"
            for kind, w in idle_waits.items()
        )
        + "."
    )
    variants = (
        ("sessions, one pool, first come, after-call work", "pool", "pooled", "longest_waiting"),
        ("sessions, skills, first come, after-call work", "skill fc", "skills", "longest_waiting"),
        ("sessions, skills, priority first, after-call work", "skill pr", "skills", "priority"),
    )
    header = f"{'day':<11}{'calls':>6}{'agent-h':>8} | {'SL real':>7}" + "".join(
        f"{v[1]:>9}" for v in variants
    )
    print(header + f"{'Erl C':>7}{'Erl A':>7} | {'aband real':>10}{'skill pr':>9}")
    rows = []
    for day, day_calls in calls.groupby("day"):
        periods = max(48, int(day_calls["left"].max() // PERIOD_SECONDS) + 1)
        named = session_agents(day_calls, threshold)
        agents = headcount(named, periods)
        row = {
            "day": day,
            "calls": len(day_calls),
            "agent_hours": agents.sum() / 2,
            **real_figures(day_calls),
        }
        for _, column, routing, policy in variants:
            if routing == "pooled":
                scenario = day_scenario(day_calls, {"agents": named}, periods, handles, km, after_call)
            else:
                scenario = skill_scenario(
                    day_calls, named, served_types, periods, handles, km, after_call, policy
                )
            total = simulate_json(scenario, replications, seed=1)["total"]
            row[column] = total["service_level"]
            row[column + " abandon"] = total["abandon_rate"]
        row.update(formula_figures(day_calls, agents, overall_patience))
        rows.append(row)
        print(
            f"{day!s:<11}{row['calls']:>6}{row['agent_hours']:>8.1f} | {row['sl']:>7.3f}"
            + "".join(f"{row[v[1]]:>9.3f}" for v in variants)
            + f"{row['c_sl']:>7.3f}{row['a_sl']:>7.3f} | "
            + f"{row['abandon']:>10.3f}{row['skill pr abandon']:>9.3f}"
        )
    summarise(pd.DataFrame(rows), [(v[0], v[1]) for v in variants])


def summarise(table: pd.DataFrame, columns: list[tuple[str, str]]) -> None:
    weights = table["calls"]
    print()
    for label, column in [*columns, ("Erlang C", "c_sl"), ("Erlang A", "a_sl")]:
        gap = (table[column] - table["sl"]) * 100
        print(
            f"{label:<50} service level off by {gap.abs().mean():5.2f} points per day on average "
            f"(mean signed {gap.mean():+5.2f}; "
            f"weighted by calls {np.average(gap.abs(), weights=weights):5.2f})"
        )
    real_month = np.average(table["sl"], weights=weights)
    print(f"Real service level over the month (days weighted by calls): {real_month:.3f}")


def replay_month(calls, staffing_mode, replications, handles, km, expo, exponential, after_call) -> None:
    overall_patience = patience_exponential(calls)
    print(f"Staffing: {staffing_mode}. Routing: first come, first served across the two classes.")
    print(
        f"Answer-time target {ANSWER_SECONDS:g} s. Patience, exponential MLE: "
        + ", ".join(f"{k} {v:.0f} s" for k, v in exponential.items())
        + "; Kaplan-Meier median: "
        + ", ".join(f"{k} {np.median(v['seconds']):.0f} s" for k, v in km.items())
    )
    header = (
        f"{'day':<11}{'calls':>6}{'agent-h':>8} | {'SL real':>7}{'sim':>7}{'sim+acw':>8}"
        f"{'Erl C':>7}{'Erl A':>7}"
        f" | {'aband real':>10}{'sim':>6}{'Erl A':>6} | {'ASA real':>8}{'sim':>6}{'Erl C':>7}"
    )
    print(header)
    rows = []
    for day, day_calls in calls.groupby("day"):
        periods = max(48, int(day_calls["left"].max() // PERIOD_SECONDS) + 1)
        if staffing_mode == "seen":
            agents = staffing(day_calls, periods)
            group: dict = {"agents_per_period": agents.tolist()}
        else:
            named = available_agents(day_calls)
            agents = headcount(named, periods)
            group = {"agents": named}
        real = real_figures(day_calls)
        # the available reading already leaves out the gaps after-call work would fill
        variants = [(km, None), (expo, None), (km, after_call if staffing_mode == "seen" else None)]
        sim, sim_exp, sim_acw = (
            simulate_json(day_scenario(day_calls, group, periods, handles, p, w), replications, seed=1)[
                "total"
            ]
            for p, w in variants
        )
        formulas = formula_figures(day_calls, agents, overall_patience)
        row = {
            "day": day,
            "calls": len(day_calls),
            "agent_hours": agents.sum() / 2,
            **real,
            "sim_sl": sim["service_level"],
            "sim_exp_sl": sim_exp["service_level"],
            "sim_acw_sl": sim_acw["service_level"],
            "sim_abandon": sim["abandon_rate"],
            "sim_asa": sim["asa_seconds"],
            **formulas,
        }
        rows.append(row)
        print(
            f"{day!s:<11}{row['calls']:>6}{row['agent_hours']:>8.1f} | {row['sl']:>7.3f}{row['sim_sl']:>7.3f}"
            f"{row['sim_acw_sl']:>8.3f}{row['c_sl']:>7.3f}{row['a_sl']:>7.3f} | {row['abandon']:>10.3f}"
            f"{row['sim_abandon']:>6.3f}{row['a_abandon']:>6.3f} | {row['asa']:>8.1f}{row['sim_asa']:>6.1f}"
            f"{row['c_asa']:>7.1f}"
        )
    table = pd.DataFrame(rows)
    weights = table["calls"]
    print()
    for label, column in (
        ("simulated (Kaplan-Meier patience)", "sim_sl"),
        ("simulated (exponential patience)", "sim_exp_sl"),
        ("simulated (K-M, after-call work)", "sim_acw_sl"),
        ("Erlang C", "c_sl"),
        ("Erlang A", "a_sl"),
    ):
        gap = (table[column] - table["sl"]) * 100
        print(
            f"{label:<36} service level off by {gap.abs().mean():5.2f} points per day on average "
            f"(mean signed {gap.mean():+5.2f}; "
            f"weighted by calls {np.average(gap.abs(), weights=weights):5.2f})"
        )
    real_month = np.average(table["sl"], weights=weights)
    print(f"Real service level over the month (days weighted by calls): {real_month:.3f}")


if __name__ == "__main__":
    main()
