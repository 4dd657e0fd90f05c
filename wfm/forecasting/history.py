"""History in the database: importing files (all or nothing, replacing what they repeat) and loading it
back as the engine's `IntervalHistory`."""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import delete, func, select, tuple_

from scheduling.history import (
    HistoryError,
    IntervalHistory,
    Problem,
    aggregate_calls,
    coarsen,
    queue_by_type_and_priority,
    read_call_records,
    read_interval_csv,
)
from scheduling.textfile import NotText, read_text
from wfm.extensions import db
from wfm.formatting import counted
from wfm.models import HistoryImport, HistoryInterval, Queue, Site

CHUNK = 5000


@dataclass(frozen=True)
class ImportOutcome:
    record: HistoryImport
    adopted: dict[str, dict]  # queue -> handle time / patience the import set on the queue


def queue_lookup(site: Site) -> dict[str, Queue]:
    lookup: dict[str, Queue] = {}
    for queue in site.queues:
        if queue.active:
            for code in queue.codes:
                lookup.setdefault(code.lower(), queue)
    return lookup


def _map_queues(frame: pd.DataFrame, site: Site, filename: str, first_lines: dict[str, int]) -> pd.Series:
    """Queue ids for the frame's queue names (a queue's name or one of its import codes)."""
    lookup = queue_lookup(site)
    names = frame["queue"].astype(str)
    ids = names.str.lower().map({k: q.id for k, q in lookup.items()})
    unknown = ids.isna()
    if unknown.any():
        counts = names[unknown].value_counts()
        raise HistoryError(
            [
                Problem(
                    filename,
                    first_lines.get(name, 0),
                    "queue",
                    f"no active queue of {site.name} is called or coded {name!r} "
                    f"({counted(int(count), 'row')}); "
                    "add it as an import code of a queue",
                )
                for name, count in sorted(counts.items())[:50]
            ]
        )
    ids = ids.astype(int)
    _refuse_one_queue_twice(frame, ids, site, filename, first_lines)
    return ids


def _refuse_one_queue_twice(
    frame: pd.DataFrame, ids: pd.Series, site: Site, filename: str, first_lines: dict[str, int]
) -> None:
    """HistoryError when two names of the file (a queue's name in other capitals, or two of its import codes)
    give the same queue the same interval: the file would say two things of one interval."""
    keyed = pd.DataFrame(
        {
            "queue_id": ids.to_numpy(),
            "start": frame["interval_start"].to_numpy(),
            "name": frame["queue"].astype(str).to_numpy(),
        }
    )
    twice = keyed[keyed.duplicated(["queue_id", "start"], keep=False)]
    if twice.empty:
        return
    queues = {q.id: q.name for q in site.queues}
    problems = []
    for queue_id, rows in twice.groupby("queue_id"):
        names = sorted(set(rows["name"]))
        problems.append(
            Problem(
                filename,
                min(first_lines.get(n, 0) for n in names),
                "queue",
                f"{' and '.join(repr(n) for n in names)} "
                f"are all queue {queues.get(int(queue_id), queue_id)!r}: "
                f"{counted(rows['start'].nunique(), 'interval')} given more than once, first "
                f"{pd.Timestamp(rows['start'].min()):%Y-%m-%d %H:%M}; use one name per queue",
            )
        )
    raise HistoryError(problems)


def import_intervals(
    site: Site,
    stream,
    filename: str,
    interval_minutes: int | None,
    user_id: int | None,
    encoding: str = "auto",
) -> ImportOutcome:
    """An interval CSV (`interval_start,queue,offered[,handled,abandoned,aht_seconds]`), in UTF-8 or
    GB18030/GBK (`encoding`: one of `scheduling.textfile.ENCODINGS`)."""
    try:
        text = read_text(stream, encoding)
    except NotText as exc:
        raise HistoryError([Problem(filename, exc.line, "file", exc.message)]) from None
    history = read_interval_csv(
        io.StringIO(text),
        interval_minutes=interval_minutes,
        name=filename,
        default_interval=_stored_interval(site),
    )
    raw_queues = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, usecols=["queue"])["queue"]
    first_lines = {}
    for position, name in enumerate(raw_queues.str.strip()):
        first_lines.setdefault(name, position + 2)
    frame = history.frame
    queue_ids = _map_queues(frame, site, filename, first_lines)
    record = store_intervals(
        site,
        frame.assign(queue_id=queue_ids.to_numpy()),
        history.interval_minutes,
        filename,
        "intervals",
        user_id,
        summary={},
    )
    return ImportOutcome(record, {})


def import_calls(
    site: Site,
    stream,
    filename: str,
    interval_minutes: int,
    user_id: int | None,
    encoding: str = "auto",
) -> ImportOutcome:
    """Per-call records (the Anonymous Bank layout): aggregated per queue; queue names are the call type,
    with `-priority` for high-value customers (PS, PS-priority, NE ...), matched to import codes."""
    calls = read_call_records(stream, name=filename, encoding=encoding)
    if calls.empty:
        raise HistoryError([Problem(filename, 0, "file", "no offered calls in the file")])
    aggregate = aggregate_calls(calls, interval_minutes=interval_minutes, queue_of=queue_by_type_and_priority)
    frame = aggregate.history.frame
    queue_ids = _map_queues(frame, site, filename, {})
    frame = frame.assign(queue_id=queue_ids.to_numpy())
    names = dict(zip(frame["queue"], frame["queue_id"], strict=False))
    adopted, summary = adopt_call_statistics(aggregate.queues, names)
    record = store_intervals(site, frame, interval_minutes, filename, "calls", user_id, summary=summary)
    return ImportOutcome(record, adopted)


def adopt_call_statistics(stats: pd.DataFrame, queue_ids: dict[str, int]) -> tuple[dict, dict]:
    """Per-call data measures handle time and patience: set them on the queues (mixing codes by volume)."""
    per_queue: dict[int, dict] = {}
    summary = {}
    for row in stats.to_dict("records"):
        name = row["queue"]
        if name not in queue_ids:
            continue
        queue_id = int(queue_ids[name])
        entry = per_queue.setdefault(queue_id, {"handled": 0, "service": 0.0, "abandoned": 0, "wait": 0.0})
        entry["handled"] += int(row["handled"])
        entry["service"] += float(row["aht_seconds"]) * int(row["handled"]) if row["handled"] else 0.0
        entry["abandoned"] += int(row["abandoned"])
        entry["wait"] += float(row["total_wait_seconds"])
        summary[name] = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
    adopted = {}
    for queue_id, entry in per_queue.items():
        queue = db.session.get(Queue, queue_id)
        changes = {}
        if entry["handled"]:
            queue.aht_seconds = round(entry["service"] / entry["handled"], 1)
            changes["aht_seconds"] = queue.aht_seconds
        if entry["abandoned"]:
            queue.patience_seconds = round(entry["wait"] / entry["abandoned"], 1)
            changes["patience_seconds"] = queue.patience_seconds
        adopted[queue.name] = changes
    return adopted, summary


def _stored_interval(site: Site) -> int | None:
    """The one interval length the site's history is kept at (None when there is none, or several): what a
    file of one row per queue is read at."""
    lengths = db.session.scalars(
        select(HistoryInterval.interval_minutes)
        .join(Queue, Queue.id == HistoryInterval.queue_id)
        .where(Queue.site_id == site.id)
        .distinct()
    ).all()
    return int(lengths[0]) if len(lengths) == 1 else None


def refuse_overlaps(frame: pd.DataFrame, interval_minutes: int, filename: str) -> None:
    """HistoryError when an interval of the file overlaps one of another length kept for its queue.

    Replacing works per (queue, start): a 60-minute 09:00 would replace the 15-minute 09:00 and sit over
    09:15 to 09:45, which the forecast would then count twice.
    """
    problems = []
    step = pd.Timedelta(minutes=interval_minutes)
    for queue_id, rows in frame.groupby("queue_id"):
        starts = np.sort(rows["interval_start"].to_numpy())
        first, last = pd.Timestamp(starts[0]), pd.Timestamp(starts[-1]) + step
        stored = db.session.execute(
            select(HistoryInterval.interval_start, HistoryInterval.interval_minutes).where(
                HistoryInterval.queue_id == int(queue_id),
                HistoryInterval.interval_minutes != interval_minutes,
                HistoryInterval.interval_start < last.to_pydatetime(),
                HistoryInterval.interval_start >= (first - pd.Timedelta(days=1)).to_pydatetime(),
            )
        ).all()
        if not stored:
            continue
        begin = pd.to_datetime([s for s, _m in stored]).to_numpy()
        end = begin + pd.to_timedelta([m for _s, m in stored], unit="min").to_numpy()
        # the file's last interval starting before a stored one ends is the only one that can reach into it
        index = np.searchsorted(starts, end, side="left") - 1
        hit = (index >= 0) & (starts[np.clip(index, 0, None)] + step.to_timedelta64() > begin)
        if hit.any():
            lengths = sorted({m for (_s, m), h in zip(stored, hit, strict=True) if h})
            kept = " and ".join(f"{m}-minute" for m in lengths)
            name = rows["queue"].iloc[0]
            problems.append(
                Problem(
                    filename,
                    0,
                    "interval_minutes",
                    f"{name}: {counted(int(hit.sum()), kept + ' interval')} already kept between "
                    f"{pd.Timestamp(begin[hit].min()):%Y-%m-%d %H:%M} and "
                    f"{pd.Timestamp(end[hit].max()):%Y-%m-%d %H:%M} "
                    f"overlap this file's {interval_minutes}-minute intervals; "
                    f"import it at {lengths[0]} minutes",
                )
            )
    if problems:
        raise HistoryError(problems)


def store_intervals(
    site: Site,
    frame: pd.DataFrame,
    interval_minutes: int,
    filename: str,
    kind: str,
    user_id: int | None,
    summary: dict,
) -> HistoryImport:
    """Replace the intervals the file repeats, insert the rest; flush only (the request commits).

    Intervals of another length kept for the same queue over the same times are refused, not mixed.
    """
    refuse_overlaps(frame, interval_minutes, filename)
    shown = "".join(ch for ch in filename if ch.isprintable())[:255] or "upload"  # PostgreSQL refuses NUL
    record = HistoryImport(
        site_id=site.id,
        filename=shown,
        kind=kind,
        interval_minutes=interval_minutes,
        rows=len(frame),
        first_interval=frame["interval_start"].min().to_pydatetime(),
        last_interval=frame["interval_start"].max().to_pydatetime(),
        created_by_id=user_id,
    )
    db.session.add(record)
    db.session.flush()
    replaced = 0
    starts = frame["interval_start"].dt.to_pydatetime()
    keys = list(zip(frame["queue_id"].astype(int).tolist(), starts, strict=True))
    for begin in range(0, len(keys), CHUNK):
        chunk = keys[begin : begin + CHUNK]
        result = db.session.execute(
            delete(HistoryInterval).where(
                tuple_(HistoryInterval.queue_id, HistoryInterval.interval_start).in_(chunk)
            )
        )
        replaced += result.rowcount or 0
    rows = [
        {
            "queue_id": int(q),
            "interval_start": s,
            "interval_minutes": interval_minutes,
            "offered": float(o),
            "handled": _number(h),
            "abandoned": _number(a),
            "aht_seconds": _number(t),
            "import_id": record.id,
        }
        for q, s, o, h, a, t in zip(
            frame["queue_id"],
            starts,
            frame["offered"],
            frame["handled"],
            frame["abandoned"],
            frame["aht_seconds"],
            strict=True,
        )
    ]
    for begin in range(0, len(rows), CHUNK):
        db.session.execute(HistoryInterval.__table__.insert(), rows[begin : begin + CHUNK])
    record.replaced = replaced
    per_queue = frame.groupby("queue")["offered"].agg(["count", "sum"])
    record.summary = {
        "queues": {
            name: {"rows": int(r["count"]), "offered": float(r["sum"])} for name, r in per_queue.iterrows()
        },
        "calls": summary,
    }
    db.session.flush()
    return record


def _number(value) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def load_history(
    queues: list[Queue], before: dt.datetime | None = None, since: dt.datetime | None = None
) -> IntervalHistory | None:
    """The queues' history as the engine reads it (queue names as labels); None when there is none.

    Queues kept at different interval lengths are summed up to the coarsest of them.
    """
    ids = {q.id: q.name for q in queues}
    query = select(
        HistoryInterval.queue_id,
        HistoryInterval.interval_start,
        HistoryInterval.interval_minutes,
        HistoryInterval.offered,
        HistoryInterval.handled,
        HistoryInterval.abandoned,
        HistoryInterval.aht_seconds,
    ).where(HistoryInterval.queue_id.in_(ids))
    if before is not None:
        query = query.where(HistoryInterval.interval_start < before)
    if since is not None:
        query = query.where(HistoryInterval.interval_start >= since)
    rows = db.session.execute(query).all()
    if not rows:
        return None
    frame = pd.DataFrame(
        rows,
        columns=[
            "queue_id",
            "interval_start",
            "interval_minutes",
            "offered",
            "handled",
            "abandoned",
            "aht_seconds",
        ],
    )
    frame["queue"] = frame["queue_id"].map(ids)
    frame["interval_start"] = pd.to_datetime(frame["interval_start"])
    for column in ("offered", "handled", "abandoned", "aht_seconds"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    minutes = int(frame["interval_minutes"].max())
    frame = frame.sort_values(["queue", "interval_start"]).reset_index(drop=True)
    columns = ["interval_start", "queue", "offered", "handled", "abandoned", "aht_seconds"]
    history = IntervalHistory(frame[columns], int(frame["interval_minutes"].min()))
    if frame["interval_minutes"].nunique() > 1 or history.interval_minutes != minutes:
        history = coarsen(history, minutes)
    return history


def coverage_by_queue(site: Site) -> list[dict]:
    """What history each queue of a site has: intervals, first and last, total offered."""
    rows = db.session.execute(
        select(
            HistoryInterval.queue_id,
            func.count(),
            func.min(HistoryInterval.interval_start),
            func.max(HistoryInterval.interval_start),
            func.sum(HistoryInterval.offered),
            func.max(HistoryInterval.interval_minutes),
        )
        .join(Queue, Queue.id == HistoryInterval.queue_id)
        .where(Queue.site_id == site.id)
        .group_by(HistoryInterval.queue_id)
    ).all()
    by_queue = {r[0]: r for r in rows}
    out = []
    for queue in sorted(site.queues, key=lambda q: q.name):
        r = by_queue.get(queue.id)
        out.append(
            {
                "id": queue.id,
                "name": queue.name,
                "codes": queue.import_codes,
                "intervals": r[1] if r else 0,
                "first": r[2] if r else None,
                "last": r[3] if r else None,
                "offered": float(r[4]) if r else 0.0,
                "interval_minutes": r[5] if r else None,
            }
        )
    return out
