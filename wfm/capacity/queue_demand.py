"""Required FTE per workforce group and month, from the live centre's queues: the engine's demand path.

Each active queue's interval history gives a daily volume series (forecast month by month with trend and
yearly seasonality, `scheduling.capacity.demand`), an hour-of-week profile and a handle time; its targets
and shrinkage (the same `target_for` the requirement and the shift plan use) turn the monthly volume into
FTE (`scheduling.capacity.fte`). A queue's FTE goes to the groups whose agents serve it today: the agents
holding the queue's skill at its least proficiency, split by each group's share of those heads. Groups
that serve no queue (off the phones) keep today's headcount as their requirement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import select

from scheduling.capacity.demand import ChannelShift, complete_months, forecast_months, shift_channels
from scheduling.capacity.fte import FTE_HOURS_PER_WEEK, hour_of_week_profile, required_fte
from wfm.extensions import db
from wfm.forecasting.requirements import target_for
from wfm.models import AgentSkill, Channel, HistoryInterval, Queue

GroupKey = tuple[str, int]


@dataclass
class QueueDemand:
    """Required FTE per month for each group, with the queues' figures behind them."""

    months: tuple[str, ...]
    by_group: dict[GroupKey, np.ndarray] = field(default_factory=dict)
    unserved: np.ndarray | None = None  # queues nobody holds the skill for: the entry group hires for them
    queues: list[dict] = field(default_factory=list)


def _history(queue: Queue) -> pd.DataFrame:
    rows = db.session.execute(
        select(HistoryInterval.interval_start, HistoryInterval.offered, HistoryInterval.aht_seconds).where(
            HistoryInterval.queue_id == queue.id
        )
    ).all()
    return pd.DataFrame(rows, columns=["start", "offered", "aht"])


def _handle_time(frame: pd.DataFrame, default: float) -> float:
    known = frame.dropna(subset=["aht"])
    weight = float(known["offered"].sum())
    return float((known["aht"] * known["offered"]).sum() / weight) if weight > 0 else float(default)


def _servers(queue: Queue, group_of: dict[int, GroupKey], today: dt.date) -> dict[GroupKey, int]:
    """Heads per group holding the queue's skill today at its least proficiency."""
    rows = db.session.scalars(
        select(AgentSkill).where(
            AgentSkill.skill_id == queue.skill_id, AgentSkill.proficiency >= queue.min_proficiency
        )
    ).all()
    agents = {r.agent_id for r in rows if r.in_force(today) and r.agent_id in group_of}
    heads: dict[GroupKey, int] = {}
    for agent_id in agents:
        heads[group_of[agent_id]] = heads.get(group_of[agent_id], 0) + 1
    return heads


def queue_demand(
    start: str, months: int, today: dt.date, group_of: dict[int, GroupKey], channel_shift: float = 0.0
) -> QueueDemand:
    """FTE per group for `months` months from `start` (the month after the history if that is later)."""
    queues = list(db.session.scalars(select(Queue).where(Queue.active.is_(True)).order_by(Queue.id)).all())
    first = pd.Period(start, freq="M")
    histories = {}
    for queue in queues:
        frame = _history(queue)
        if frame.empty or float(frame["offered"].sum()) <= 0:
            continue
        frame["start"] = pd.to_datetime(frame["start"])
        daily = frame.groupby(frame["start"].dt.normalize())["offered"].sum().asfreq("D", fill_value=0.0)
        if complete_months(daily).empty:
            continue
        histories[queue.id] = (queue, frame, daily)
        first = max(first, complete_months(daily).index[-1] + 1)
    labels = tuple(str(first + i) for i in range(months))
    result = QueueDemand(months=labels)
    volumes, methods = {}, {}
    for queue_id, (_queue, _frame, daily) in histories.items():
        forecast = forecast_months(daily, months, start=labels[0])
        volumes[queue_id], methods[queue_id] = forecast.volume, forecast
    if channel_shift > 0:
        voice = [q.id for q, *_ in histories.values() if q.channel == Channel.VOICE]
        text = [q.id for q, *_ in histories.values() if q.channel == Channel.CHAT]
        if voice and text:
            totals = {t: float(volumes[t].sum()) or 1.0 for t in text}
            shares = {t: totals[t] / sum(totals.values()) for t in text}
            volumes = shift_channels(volumes, [ChannelShift(v, shares, channel_shift) for v in voice])
    for queue_id, (queue, frame, _daily) in histories.items():
        profile = hour_of_week_profile(frame.set_index("start")["offered"])
        target = target_for(queue)
        aht = _handle_time(frame, queue.aht_seconds)
        fte = required_fte(volumes[queue_id], labels, profile, aht, target, FTE_HOURS_PER_WEEK)
        heads = _servers(queue, group_of, today)
        total = sum(heads.values())
        if total == 0:
            result.unserved = fte if result.unserved is None else result.unserved + fte
        for key, count in heads.items():
            result.by_group[key] = result.by_group.get(key, np.zeros(months)) + fte * count / total
        result.queues.append(
            {
                "queue": queue.name,
                "channel": queue.channel.label,
                "method": methods[queue_id].method,
                "backtest_error": methods[queue_id].backtest_error,
                "shrinkage": target.shrinkage,
                "aht_seconds": round(aht, 1),
                "first_month_fte": round(float(fte[0]), 2),
                "groups": sorted(heads),
                "served": total > 0,
            }
        )
    return result
