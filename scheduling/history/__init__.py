"""Interval history: the observed contact volumes the forecast learns from.

Three sources end in the same plain type, :class:`IntervalHistory`:

- ``read_interval_csv`` reads ``interval_start,queue,offered[,handled,abandoned,aht_seconds]`` files,
  all or nothing, raising :class:`HistoryError` with every (file, line, field, message) problem;
- ``read_call_records`` + ``aggregate_calls`` turn per-call records (the Anonymous Bank layout) into
  intervals per queue, with handle time, abandonment and a patience estimate per queue;
- ``coarsen`` sums finer intervals into coarser ones (6 -> 12 or 30 minutes, 15 -> 60 ...).
"""

from scheduling.history.aggregate import coarsen
from scheduling.history.calls import (
    CallAggregate,
    aggregate_calls,
    queue_by_type,
    queue_by_type_and_priority,
    read_call_records,
)
from scheduling.history.intervals import (
    HISTORY_COLUMNS,
    HistoryError,
    IntervalHistory,
    Problem,
    history_from_frame,
    read_interval_csv,
)

__all__ = [
    "HISTORY_COLUMNS",
    "CallAggregate",
    "HistoryError",
    "IntervalHistory",
    "Problem",
    "aggregate_calls",
    "coarsen",
    "history_from_frame",
    "queue_by_type",
    "queue_by_type_and_priority",
    "read_call_records",
    "read_interval_csv",
]
