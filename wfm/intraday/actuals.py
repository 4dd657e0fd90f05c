"""Actuals arriving during the day: interval figures per queue and agent-state events.

The API and the file drop hand rows (dicts of strings or numbers) to `record`, which checks every row
before writing any, so a refused batch writes nothing and names each bad row and field. Intervals are
keyed by queue and start: sending one again replaces it (late or corrected data). Events are keyed by
the sender's event id: a repeat is counted and ignored, never stored twice.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from sqlalchemy import select

from scheduling.text import Sentence
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.intraday.operations import refresh_days
from wfm.models import AGENT_STATES, Agent, AgentStateEvent, Queue, QueueActual

INTERVAL_FIELDS = (
    "interval_start",
    "queue",
    "interval_minutes",
    "offered",
    "answered",
    "abandoned",
    "answered_within_target",
    "aht_seconds",
)
EVENT_FIELDS = ("event_id", "agent", "at", "state", "queue")
MAX_PROBLEMS = 200
MAX_VALUE = 1_000_000  # contacts in an interval, seconds of handle time: more is a typo
MAX_VALUE_WRITTEN = f"{MAX_VALUE:,}"
STATE_WORDS = ", ".join(AGENT_STATES)


@dataclass(frozen=True)
class Problem:
    row: int  # 1-based position in the batch (a file's line 2 is row 1)
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.message}"


def _refusal(kind: str, count: int) -> Sentence:
    if kind == "events":
        if count == 1:
            return Sentence("Nothing was recorded: 1 problem in the events.")
        return Sentence("Nothing was recorded: %(count)s problems in the events.", count=count)
    if count == 1:
        return Sentence("Nothing was recorded: 1 problem in the intervals.")
    return Sentence("Nothing was recorded: %(count)s problems in the intervals.", count=count)


class ActualsRefused(FieldError):
    """A batch with bad rows: nothing of it was written; `problems` names each row and field."""

    def __init__(self, kind: str, problems: list[Problem]):
        count = len(problems)
        super().__init__(kind, _refusal(kind, count))
        self.problems = problems


@dataclass
class Recorded:
    new: int = 0
    replaced: int = 0
    repeated: int = 0
    days: set[dt.date] = field(default_factory=set)

    def as_dict(self) -> dict:
        return {"new": self.new, "replaced": self.replaced, "repeated": self.repeated}


class _Checker:
    """Collects problems of one row while reading its fields."""

    def __init__(self, row: dict, number: int, problems: list[Problem]):
        self.row, self.number, self.problems = row, number, problems

    def flag(self, name: str, message: str) -> None:
        self.problems.append(Problem(self.number, name, message))

    def text(self, name: str, required: bool = True) -> str | None:
        value = self.row.get(name)
        value = "" if value is None else str(value).strip()
        if not value:
            if required:
                self.flag(name, Sentence("is missing."))
            return None
        return value

    def moment(self, name: str) -> dt.datetime | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            self.flag(
                name, Sentence("“%(value)s” is not a date and time like 2026-03-02T08:15.", value=value[:40])
            )
            return None
        if moment.tzinfo is not None:
            self.flag(name, Sentence("give the site's local time without a time zone."))
            return None
        return moment

    def count(self, name: str, required: bool = True) -> int | None:
        number = self.number_of(name, required)
        if number is None:
            return None
        if number != int(number):
            self.flag(name, Sentence("must be a whole number."))
            return None
        return int(number)

    def number_of(self, name: str, required: bool = True) -> float | None:
        value = self.text(name, required)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            self.flag(name, Sentence("“%(value)s” is not a number.", value=value[:40]))
            return None
        if not math.isfinite(number) or number < 0:
            self.flag(name, Sentence("must be a number of at least 0."))
            return None
        if number > MAX_VALUE:
            self.flag(name, Sentence("must be at most %(most)s.", most=MAX_VALUE_WRITTEN))
            return None
        return number


def _queues(rows: list[dict], site_id: int | None) -> dict[str, Queue]:
    query = select(Queue).where(Queue.active.is_(True))
    if site_id is not None:
        query = query.where(Queue.site_id == site_id)
    out: dict[str, Queue] = {}
    ambiguous: set[str] = set()
    for queue in db.session.scalars(query):
        for code in queue.codes:
            key = code.casefold()
            if key in out and out[key].id != queue.id:
                ambiguous.add(key)
            out[key] = queue
    return {k: v for k, v in out.items() if k not in ambiguous}


def _interval_row(check: _Checker, queues: dict[str, Queue]) -> dict | None:
    start = check.moment("interval_start")
    name = check.text("queue")
    queue = queues.get(name.casefold()) if name else None
    if name and queue is None:
        check.flag(
            "queue",
            Sentence("no active queue is called “%(name)s” (a queue's name or import code).", name=name[:60]),
        )
    minutes = check.count("interval_minutes", required=False) or 15
    if 1440 % minutes or minutes > 60:
        check.flag(
            "interval_minutes",
            Sentence("must divide a day and be at most 60 (5, 6, 10, 12, 15, 20, 30, 60)."),
        )
    if start is not None and (start.minute * 60 + start.second) % (minutes * 60) and minutes <= 60:
        check.flag(
            "interval_start", Sentence("must be the start of a %(minutes)s-minute interval.", minutes=minutes)
        )
    offered = check.count("offered")
    answered = check.count("answered")
    abandoned = check.count("abandoned", required=False) or 0
    within = check.count("answered_within_target", required=False)
    aht = check.number_of("aht_seconds", required=False)
    if offered is not None and answered is not None and answered + abandoned > offered:
        check.flag("answered", Sentence("answered and abandoned together exceed offered."))
    if within is not None and answered is not None and within > answered:
        check.flag("answered_within_target", Sentence("cannot exceed answered."))
    if answered and aht == 0:
        check.flag("aht_seconds", Sentence("must be more than 0 when contacts were answered."))
    if None in (start, queue, offered, answered):
        return None
    return {
        "queue": queue,
        "interval_start": start,
        "interval_minutes": minutes,
        "offered": offered,
        "answered": answered,
        "abandoned": abandoned,
        "answered_within_target": answered if within is None else within,
        "aht_seconds": aht if answered else None,
    }


def record_intervals(rows: list[dict], site_id: int | None = None) -> Recorded:
    """Check every row, then write them all: a repeated (queue, start) replaces the stored interval."""
    problems: list[Problem] = []
    queues = _queues(rows, site_id)
    checked, seen = [], {}
    for number, row in enumerate(rows, start=1):
        before = len(problems)
        value = _interval_row(_Checker(row, number, problems), queues)
        if value is None or len(problems) > before:
            continue
        key = (value["queue"].id, value["interval_start"])
        if key in seen:
            problems.append(
                Problem(
                    number,
                    "interval_start",
                    Sentence("the same queue and interval as row %(row)s.", row=seen[key]),
                )
            )
            continue
        seen[key] = number
        checked.append(value)
    if problems:
        raise ActualsRefused("intervals", problems[:MAX_PROBLEMS])
    done = Recorded()
    stored = _stored_intervals(checked)
    for value in checked:
        queue = value.pop("queue")
        old = stored.get((queue.id, value["interval_start"]))
        if old is None:
            db.session.add(QueueActual(queue_id=queue.id, **value))
            done.new += 1
        else:
            for name, item in value.items():
                setattr(old, name, item)
            old.times_sent += 1
            done.replaced += 1
        done.days.add(value["interval_start"].date())
    return done


def _stored_intervals(checked: list[dict]) -> dict[tuple[int, dt.datetime], QueueActual]:
    if not checked:
        return {}
    first = min(v["interval_start"] for v in checked)
    last = max(v["interval_start"] for v in checked)
    ids = {v["queue"].id for v in checked}
    rows = db.session.scalars(
        select(QueueActual).where(
            QueueActual.queue_id.in_(ids),
            QueueActual.interval_start >= first,
            QueueActual.interval_start <= last,
        )
    )
    return {(r.queue_id, r.interval_start): r for r in rows}


def _agents() -> dict[str, Agent]:
    return {a.employee_number.casefold(): a for a in db.session.scalars(select(Agent))}


def record_events(rows: list[dict], site_id: int | None = None) -> Recorded:
    """Check every event, then store the new ones; an event id already stored is a repeat, ignored."""
    problems: list[Problem] = []
    agents, queues = _agents(), _queues(rows, site_id)
    checked, seen, done_in_batch = [], {}, 0
    for number, row in enumerate(rows, start=1):
        check = _Checker(row, number, problems)
        before = len(problems)
        event_id = check.text("event_id")
        if event_id and len(event_id) > 80:
            check.flag("event_id", Sentence("must be at most 80 characters."))
        who = check.text("agent")
        agent = agents.get(who.casefold()) if who else None
        if who and agent is None:
            check.flag("agent", Sentence("no agent has the employee number “%(who)s”.", who=who[:40]))
        at = check.moment("at")
        state = check.text("state")
        if state and state not in AGENT_STATES:
            check.flag(
                "state",
                Sentence(
                    "“%(state)s” is not a state; use one of %(states)s.", state=state[:40], states=STATE_WORDS
                ),
            )
        name = check.text("queue", required=state == "on_contact")
        queue = queues.get(name.casefold()) if name else None
        if name and queue is None:
            check.flag("queue", Sentence("no active queue is called “%(name)s”.", name=name[:60]))
        if len(problems) > before:
            continue
        if event_id in seen:  # the same event twice in one batch: a repeat
            done_in_batch += 1
            continue
        seen[event_id] = number
        checked.append((event_id, agent, at, state, queue))
    if problems:
        raise ActualsRefused("events", problems[:MAX_PROBLEMS])
    done = Recorded(repeated=done_in_batch)
    known = _known_event_ids([c[0] for c in checked])
    touched: dict[dt.date, set[int]] = {}
    for event_id, agent, at, state, queue in checked:
        if event_id in known:
            done.repeated += 1
            continue
        db.session.add(
            AgentStateEvent(
                event_id=event_id, agent_id=agent.id, at=at, state=state, queue_id=queue.id if queue else None
            )
        )
        done.new += 1
        done.days.add(at.date())
        touched.setdefault(at.date(), set()).add(agent.id)
    if touched:
        db.session.flush()
        refresh_days(touched)
    return done


def _known_event_ids(ids: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        known |= set(
            db.session.scalars(select(AgentStateEvent.event_id).where(AgentStateEvent.event_id.in_(chunk)))
        )
    return known


def rows_of_file(text: str, name: str) -> tuple[str, list[dict]]:
    """A dropped file's rows and kind ("intervals" or "events"): a CSV whose header names the columns
    (an `event_id` column makes it events), or JSON `{"intervals": [...]}` / `{"events": [...]}`."""
    import csv
    import io
    import json

    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise FieldError("file", f"{name}: not valid JSON (line {error.lineno}).") from None
        if isinstance(data, dict):
            for kind in ("intervals", "events"):
                if isinstance(data.get(kind), list) and all(isinstance(r, dict) for r in data[kind]):
                    return kind, data[kind]
        raise FieldError("file", f"{name}: JSON must be an object with a list of “intervals” or of “events”.")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    if not header:
        raise FieldError("file", f"{name}: the file is empty.")
    reader.fieldnames = header
    kind = "events" if "event_id" in header else "intervals"
    wanted = EVENT_FIELDS if kind == "events" else INTERVAL_FIELDS
    unknown = [h for h in header if h not in wanted]
    if unknown:
        raise FieldError(
            "file", f"{name}: unknown column “{unknown[0][:40]}”; the columns are {', '.join(wanted)}."
        )
    return kind, list(reader)


def record_file(text: str, name: str, site_id: int | None = None) -> tuple[str, Recorded]:
    kind, rows = rows_of_file(text, name)
    if not rows:
        raise FieldError("file", f"{name}: the file has a header but no rows.")
    recorded = record_events(rows, site_id) if kind == "events" else record_intervals(rows, site_id)
    return kind, recorded
