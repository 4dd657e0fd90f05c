"""Service targets per queue: what "enough agents" means, checked when built, not when used.

One `ServiceTarget` per queue. A requirement is the fewest agents meeting every target that is set
(`None` means "no such target"). The model decides how calls behave:

- ``erlang-c``: callers wait as long as it takes (M/M/n). Needs more agents than traffic.
- ``erlang-a``: callers hang up after an exponential patience with mean `patience_seconds` (M/M/n+M);
  `max_abandon` bounds the share who do.
- ``erlang-b``: no queue, a call finding every agent busy is lost. `service_level` is then the share not
  blocked and `max_abandon` the largest share blocked; the answer time plays no part.
- ``back-office``: work items, not calls. The work arriving in an interval must be finished within
  `deadline_hours`; the requirement is the smallest peak headcount that finishes everything on time.

`concurrency` > 1 models chat: an agent holds that many sessions at once, each one a server of the queue
(so the handle time given must be a session's length when the agent multitasks), and occupancy is the
share of sessions in use. This is better than Erlang C with handle time / c on one fast server per agent,
which would make a chat wait for a whole agent when only one of its slots is busy. `shrinkage` is the share of
paid time off the phones (breaks, training, absence): scheduled = ceil(agents / (1 - shrinkage)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

MODELS = ("erlang-c", "erlang-a", "erlang-b", "back-office")
# Bounds that no real queue reaches; past them a value is a typo that would hang or overflow the models.
MAX_VALUE = 1e15
MAX_CONCURRENCY = 100  # sessions one agent holds at once
MAX_DEADLINE_HOURS = 24 * 7 * 8  # eight weeks


class TargetError(ValueError):
    """A service target field holds a value the engine cannot use; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


NOT_NULL = frozenset({"answer_seconds", "concurrency", "shrinkage"})


@dataclass(frozen=True)
class ServiceTarget:
    """The targets and model of one queue (see the module docstring for each field's meaning)."""

    service_level: float | None = 0.8
    answer_seconds: float = 20.0
    max_asa_seconds: float | None = None
    max_abandon: float | None = None
    max_occupancy: float | None = None
    model: str = "erlang-c"
    patience_seconds: float | None = None
    concurrency: int = 1
    deadline_hours: float | None = None
    shrinkage: float = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "model":
                if value not in MODELS:
                    raise TargetError("model", f"must be one of {', '.join(MODELS)}, got {value!r}")
                continue
            if value is None:
                if f.name in NOT_NULL:  # these have no "no target": leave them out for the default
                    raise TargetError(f.name, f"must be a number, not null (leave it out for {f.default!r})")
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TargetError(f.name, f"must be a finite number, got {value!r}")
            if isinstance(value, int) and abs(value) > MAX_VALUE:  # floats of such ints overflow
                raise TargetError(
                    f.name, f"must be at most {MAX_VALUE:g}, got a {len(str(abs(value)))}-digit number"
                )
            if not math.isfinite(value):
                raise TargetError(f.name, f"must be a finite number, got {value!r}")
        self._check_ranges()
        self._check_model()

    def _check_ranges(self) -> None:
        if self.service_level is not None and not 0.0 <= self.service_level <= 1.0:
            raise TargetError("service_level", f"must be between 0 and 1, got {self.service_level}")
        if self.service_level == 1.0:
            raise TargetError(
                "service_level", "must be below 1: no finite headcount answers every call in time"
            )
        if self.answer_seconds < 0:
            raise TargetError("answer_seconds", f"must be >= 0, got {self.answer_seconds}")
        if self.max_asa_seconds is not None and self.max_asa_seconds <= 0:
            raise TargetError("max_asa_seconds", f"must be > 0, got {self.max_asa_seconds}")
        if self.max_abandon is not None and not 0.0 < self.max_abandon <= 1.0:
            raise TargetError("max_abandon", f"must be in (0, 1], got {self.max_abandon}")
        if self.max_occupancy is not None and not 0.0 < self.max_occupancy <= 1.0:
            raise TargetError("max_occupancy", f"must be in (0, 1], got {self.max_occupancy}")
        if self.patience_seconds is not None and self.patience_seconds <= 0:
            raise TargetError("patience_seconds", f"must be > 0, got {self.patience_seconds}")
        if int(self.concurrency) != self.concurrency or not 1 <= self.concurrency <= MAX_CONCURRENCY:
            raise TargetError(
                "concurrency", f"must be a whole number from 1 to {MAX_CONCURRENCY}, got {self.concurrency}"
            )
        if self.deadline_hours is not None and not 0 < self.deadline_hours <= MAX_DEADLINE_HOURS:
            raise TargetError(
                "deadline_hours", f"must be > 0 and at most {MAX_DEADLINE_HOURS}, got {self.deadline_hours}"
            )
        if not 0.0 <= self.shrinkage < 1.0:
            raise TargetError("shrinkage", f"must be in [0, 1), got {self.shrinkage}")

    def _check_model(self) -> None:
        if self.model == "erlang-a" and self.patience_seconds is None:
            raise TargetError("patience_seconds", "is required by the erlang-a model")
        if self.model == "erlang-b" and self.service_level is None and self.max_abandon is None:
            raise TargetError("service_level", "erlang-b needs a service level or max_abandon (blocking)")
        if self.model == "erlang-b" and self.max_asa_seconds is not None:
            raise TargetError("max_asa_seconds", "has no meaning under erlang-b (no one waits)")
        if self.model == "erlang-c" and self.max_abandon is not None:
            raise TargetError("max_abandon", "needs the erlang-a model (erlang-c callers never abandon)")
        if self.model == "back-office" and self.deadline_hours is None:
            raise TargetError("deadline_hours", "is required by the back-office model")
        if self.model != "back-office" and self.deadline_hours is not None:
            raise TargetError("deadline_hours", "only applies to the back-office model")

    def scheduled(self, agents: int) -> int:
        """Headcount to schedule so that `agents` are available after shrinkage."""
        return int(scheduled_agents(agents, self.shrinkage))


def scheduled_agents(agents: np.ndarray | int, shrinkage: float) -> np.ndarray | int:
    """ceil(agents / (1 - shrinkage)), for an int or a numpy array; exact multiples are not rounded up."""
    raw = np.asarray(agents, dtype=float) / (1.0 - shrinkage)
    result = np.ceil(raw - 1e-9).astype(np.int64)
    return int(result) if np.ndim(result) == 0 else result
