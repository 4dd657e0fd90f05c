"""One demo centre: where it is, what it calls things and who works there (see `wfm.demo.centres`)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Centre:
    """One demo centre: where it is, what it calls things and who works there."""

    key: str  # the `wfm demo --centre` value
    site: dict  # name, time_zone, country
    names: Callable[[random.Random], Iterator[str]]  # agents' names, unique, in a seeded order
    display_names: dict[str, str]  # demo username -> display name, for the users without an agent
    days_later: int = 0  # the structure's weekdays (hours, templates, history) moved this many days
    # kind ("queue", "skill", "team", "template", "break", "text") -> structure's word -> this centre's word
    words: dict[str, dict[str, str]] = field(default_factory=dict)
    history_source: str = "demo: Anonymous Bank 1999 (moved to recent weeks)"

    def say(self, kind: str, word: str) -> str:
        """This centre's word for one of the structure's (the structure's own word where it has none)."""
        return self.words.get(kind, {}).get(word, word)

    def weekday(self, day: int) -> int:
        """The centre's weekday (0 = Monday) for one of the structure's."""
        return (day + self.days_later) % 7

    def per_weekday(self, values: tuple) -> tuple:
        """Values given Monday..Sunday for the structure, moved to this centre's weekdays."""
        return tuple(values[(day - self.days_later) % 7] for day in range(7))
