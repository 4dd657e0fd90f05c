"""Training sessions on the roster: an agent enrolled in a session cannot work a shift overlapping it.

`wfm.rosters.problem.build_input` adds these (day, shift) pairs to each agent's unavailable set, so the
roster engine treats the session as a fixed activity of the enrolled agents.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from wfm.extensions import db
from wfm.models.careers import Enrolment, TrainingSession
from wfm.rosters.shift_types import ShiftTypeRow


def overlaps(shift_start: int, shift_minutes: int, session_start: int, session_end: int) -> bool:
    """Minutes after the shift day's midnight; a session the next day is passed shifted by 1440."""
    return shift_start < session_end and session_start < shift_start + shift_minutes


def training_blocks(
    agent_ids: list[int], dates: list[dt.date], types: list[ShiftTypeRow]
) -> dict[int, frozenset]:
    """Agent id -> (day index, shift id) pairs that overlap a session the agent is enrolled in (absences
    already recorded count too: the agent was booked). Shifts past midnight meet the next day's sessions."""
    if not dates or not agent_ids:
        return {}
    rows = db.session.execute(
        select(
            Enrolment.agent_id, TrainingSession.day, TrainingSession.start_minute, TrainingSession.end_minute
        )
        .join(TrainingSession, Enrolment.session_id == TrainingSession.id)
        .where(
            Enrolment.agent_id.in_(agent_ids),
            TrainingSession.day >= dates[0],
            TrainingSession.day <= dates[-1] + dt.timedelta(days=1),
        )
    ).all()
    index = {day: d for d, day in enumerate(dates)}
    blocked: dict[int, set] = {}
    for agent_id, day, start, end in rows:
        for offset, d in ((0, index.get(day)), (1440, index.get(day - dt.timedelta(days=1)))):
            if d is None:
                continue
            for t in types:
                if overlaps(t["start_minute"], t["minutes"], start + offset, end + offset):
                    blocked.setdefault(agent_id, set()).add((d, t["id"]))
    return {a: frozenset(pairs) for a, pairs in blocked.items()}
