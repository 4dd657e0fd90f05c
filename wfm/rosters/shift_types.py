"""The shift types of a roster: one per distinct shift its plan starts (template, start, length).

They are made from the plan when a roster is generated, stored with the roster (`roster.shift_types`, JSON)
and read by the grid, the coverage counts, the PDFs, the agent's pages and the API, so their shape is
written down once here. A TypedDict, not a class: the stored JSON rows are used as they are, and rosters
stored before skills were checked have no `skill` or `min_proficiency`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NotRequired, TypedDict


class ShiftTypeRow(TypedDict):
    id: str  # the label: "Day 08:00 8h"
    template: str  # the shift template's name
    start_minute: int  # after the day's midnight
    minutes: int  # from start to end, breaks included
    paid_minutes: int  # counted towards contracts (unpaid breaks left out)
    breaks: list[list]  # the plan's placements: [from, to, name] minutes from the start (see offphone.Break)
    skill: NotRequired[str | None]  # the one skill every queue it serves needs, if there is one
    min_proficiency: NotRequired[int]
    skill_group: NotRequired[str]  # the skill group the plan starts it for ("" or missing: pooled)
    group_queues: NotRequired[list[str]]  # that group's queues: its agent must be able to answer them all


ShiftTypes = dict[str, ShiftTypeRow]  # by id


def by_id(types: Iterable[ShiftTypeRow]) -> ShiftTypes:
    return {t["id"]: t for t in types}
