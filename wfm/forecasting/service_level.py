"""A service-level estimate for a group of live queues: pooled into one Erlang C queue per interval.

Calls and handle times come from stored requirements; the agents are those on the phones for these
queues. It ignores skills (every agent serves every pooled queue), so pages that show it say it is an
estimate. Used to price decisions that take agents off the phones: time off, training sessions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
from sqlalchemy import select

from scheduling.staffing.erlang import erlang_c_metrics
from wfm.extensions import db
from wfm.models import Requirement, RequirementInterval


def live_requirements(requirement_ids) -> list[Requirement]:
    """The requirements of live queues (with an answer-time target) among `requirement_ids`."""
    ids = list(requirement_ids or [])
    if not ids:
        return []
    return [r for r in db.session.scalars(select(Requirement).where(Requirement.id.in_(ids)))
            if not r.queue.channel.is_deferred and r.queue.answer_seconds]


def pooled_service_level(requirements: list[Requirement], interval_minutes: int, times: list[dt.datetime],
                         agents: list[float]) -> float | None:
    """Share of calls answered in time over `times` (weighted by calls) with `agents[i]` on the phones in
    interval `times[i]`; None without calls."""
    if not requirements or not times:
        return None
    answer = min(r.queue.answer_seconds for r in requirements)
    rows = db.session.scalars(select(RequirementInterval).where(
        RequirementInterval.requirement_id.in_([r.id for r in requirements]),
        RequirementInterval.interval_start >= min(times), RequirementInterval.interval_start <= max(times))).all()
    calls: dict[dt.datetime, float] = defaultdict(float)
    work: dict[dt.datetime, float] = defaultdict(float)
    default_aht = {r.id: r.queue.aht_seconds for r in requirements}
    for row in rows:
        calls[row.interval_start] += row.forecast
        work[row.interval_start] += row.forecast * (row.aht_seconds or default_aht[row.requirement_id])
    index = [i for i, t in enumerate(times) if calls.get(t, 0) > 0]
    if not index:
        return None
    seconds = interval_minutes * 60
    volume = np.array([calls[times[i]] for i in index])
    aht = np.array([work[times[i]] / calls[times[i]] for i in index])
    servers = np.floor(np.array([agents[i] for i in index], dtype=float) + 1e-9)
    traffic = volume * aht / seconds
    level = np.where(servers > traffic,
                     erlang_c_metrics(np.maximum(servers, 1), traffic, aht, answer).service_level, 0.0)
    return float((level * volume).sum() / volume.sum())
