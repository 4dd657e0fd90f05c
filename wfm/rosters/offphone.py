"""Breaks and activities of a roster cell, typed, with the codecs of their stored JSON.

A cell stores them as short lists, minutes from the shift's start: a break `[from, to, name]`, an activity
`[from, to, kind, title]` (the rows of `roster_assignment`, published versions and shift types hold these,
and the JSON API's `breaks` and `activities` fields give them as they are). The stored form and the API
form stay as they were, so old rows and API clients read on unchanged; code reads them only through
`Break.decode` / `Activity.decode` and writes them through `encode`, never by position."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Break:
    start: int  # minutes from the shift's start
    end: int
    name: str

    @classmethod
    def decode(cls, stored: list | tuple) -> Break:
        return cls(int(stored[0]), int(stored[1]), str(stored[2]))

    def encode(self) -> list:
        return [self.start, self.end, self.name]

    def at(self, shift_start: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        return shift_start + dt.timedelta(minutes=self.start), shift_start + dt.timedelta(minutes=self.end)


@dataclass(frozen=True)
class Activity:
    start: int  # minutes from the shift's start
    end: int
    kind: str  # meeting, coaching, offline work...
    title: str = ""

    @classmethod
    def decode(cls, stored: list | tuple) -> Activity:
        return cls(int(stored[0]), int(stored[1]), str(stored[2]), str(stored[3]) if len(stored) > 3 else "")

    def encode(self) -> list:
        return [self.start, self.end, self.kind, self.title]

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def name(self) -> str:
        """ "coaching Call review", or the kind alone when it has no title."""
        return f"{self.kind} {self.title}".strip()

    def at(self, shift_start: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        return shift_start + dt.timedelta(minutes=self.start), shift_start + dt.timedelta(minutes=self.end)

    def moved_to(self, start: int) -> Activity:
        return Activity(start, start + self.minutes, self.kind, self.title)


def breaks(stored: Iterable | None) -> list[Break]:
    return [Break.decode(b) for b in stored or []]


def activities(stored: Iterable | None) -> list[Activity]:
    return [Activity.decode(a) for a in stored or []]


def encoded(items: Iterable[Break | Activity]) -> list[list]:
    return [item.encode() for item in items]


def spans(stored: Iterable | None) -> list[tuple[int, int]]:
    """(from, to) minutes of stored breaks or activities, without building objects (the grid and the
    coverage counts read thousands of cells)."""
    return [(int(item[0]), int(item[1])) for item in stored or []]


def activities_of(cell) -> list[Activity]:
    """The activities of an assignment or of a published row (a dict)."""
    return activities(cell.get("activities") if isinstance(cell, dict) else cell.activities)


def activity_key(row: dict) -> tuple:
    """A published row's activities, comparable between versions (older versions have none)."""
    return tuple(tuple(a) for a in row.get("activities") or [])
