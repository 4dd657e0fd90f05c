"""The random part of one replication: every contact's arrival, handle time and patience, drawn up front.

Drawing everything before the event loop runs is what gives common random numbers: the contacts of a
replication depend only on the seed, the replication number and the contact type, never on the staffing,
so two plans simulated with one seed meet exactly the same days, callers and handle times. Each contact
type has its own streams (arrivals, handle times, patience), and the day-level busyness factor its own, so
changing one type's handle time leaves the other types' contacts untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scheduling.simulate.scenario import ContactType, Distribution, Scenario

ARRIVALS, HANDLE, PATIENCE, BUSYNESS, AFTER_CALL = 0, 1, 2, 3, 4
DAY_SECONDS = 86_400.0


@dataclass(frozen=True)
class Contacts:
    """One replication's contacts in order of arrival (arrays of one length)."""

    arrival: np.ndarray  # seconds from the start
    kind: np.ndarray  # contact type index
    handle: np.ndarray  # seconds the agent spends on it: handling and the work after it
    gives_up: np.ndarray  # the moment the contact hangs up if still waiting (inf: never)
    period: np.ndarray  # the period it arrives in


def stream(seed: int, replication: int, key: int, purpose: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(replication, key, purpose)))


def busyness_factors(scenario: Scenario, seed: int, replication: int) -> np.ndarray:
    """A factor per period, one Gamma(shape, 1/shape) draw (mean 1) per day shared by every type."""
    if scenario.busyness_shape is None:
        return np.ones(scenario.periods)
    days = int(np.ceil(scenario.horizon_seconds / DAY_SECONDS))
    rng = stream(seed, replication, 0, BUSYNESS)
    per_day = rng.gamma(scenario.busyness_shape, 1.0 / scenario.busyness_shape, size=days)
    day_of_period = (np.arange(scenario.periods) * scenario.period_seconds // DAY_SECONDS).astype(np.int64)
    return per_day[day_of_period]


def draw_contacts(scenario: Scenario, seed: int, replication: int) -> Contacts:
    factors = busyness_factors(scenario, seed, replication)
    parts = [
        _type_contacts(scenario, t, kind, factors, seed, replication) for t, kind in enumerate(scenario.types)
    ]
    arrival = np.concatenate([p[0] for p in parts])
    order = np.argsort(arrival, kind="stable")
    period = np.minimum((arrival // scenario.period_seconds).astype(np.int64), scenario.periods - 1)
    return Contacts(
        arrival=arrival[order],
        kind=np.concatenate([np.full(len(p[0]), t, dtype=np.int64) for t, p in enumerate(parts)])[order],
        handle=np.concatenate([p[1] for p in parts])[order],
        gives_up=np.concatenate([p[2] for p in parts])[order],
        period=period[order],
    )


def _type_contacts(
    scenario: Scenario, t: int, kind: ContactType, factors: np.ndarray, seed: int, replication: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    width = scenario.period_seconds
    if kind.replay_arrivals is not None:
        arrival = kind.replay_arrivals
    else:
        rng = stream(seed, replication, t + 1, ARRIVALS)
        counts = rng.poisson(kind.arrivals_per_period * factors)
        starts = np.repeat(np.arange(scenario.periods) * width, counts)
        arrival = np.sort(starts + rng.random(starts.size) * width)
    period = np.minimum((arrival // width).astype(np.int64), scenario.periods - 1)

    handle = draw_seconds(kind.handle, period, stream(seed, replication, t + 1, HANDLE))
    if kind.replay_handle is not None:
        handle = np.where(np.isnan(kind.replay_handle), handle, kind.replay_handle)
    if kind.after_call is not None:
        handle = handle + draw_seconds(kind.after_call, period, stream(seed, replication, t + 1, AFTER_CALL))
    if kind.replay_patience is not None:
        patience = kind.replay_patience
    elif kind.patience is None:
        patience = np.full(arrival.size, np.inf)
    else:
        patience = draw_seconds(kind.patience, period, stream(seed, replication, t + 1, PATIENCE))
    return arrival, handle, arrival + patience


def draw_seconds(dist: Distribution, period: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One value per contact from `dist`, using the mean of the period each contact arrives in."""
    n = period.size
    if dist.kind == "empirical":
        assert dist.samples is not None
        values = dist.samples[rng.integers(0, dist.samples.size, size=n)]
        if dist.scale_to_means:
            values = values * (dist.means[period] / dist.samples.mean())
        return values
    means = dist.means[period]
    if dist.kind == "lognormal":
        sigma = np.sqrt(np.log1p(dist.cv**2))
        return means * np.exp(sigma * rng.standard_normal(n) - sigma**2 / 2.0)
    return means * rng.standard_exponential(n)
