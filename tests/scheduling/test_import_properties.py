"""Property tests of the engine's file readers: a file made from a model reads back as exactly that model;
a spoiled file reads either correctly or into the reader's own error naming the file, line and field —
never another exception, never half a result.

The readers: interval history CSV, per-call records, TEMPLATES.json, REQUIREMENT.csv and the Curtois & Qu
instance format. The command-line readers (forecast CSV and TARGETS.json of `wfm staffing`) are in
tests/scheduling/test_import_properties_cli.py; the web uploads in tests/web/test_import_properties.py.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from scheduling.history import HistoryError, read_call_records, read_interval_csv
from scheduling.history.intervals import MAX_AHT_SECONDS, MAX_OFFERED
from scheduling.roster import RosterInputError, parse_curtois, read_curtois
from scheduling.shifts import RequirementError, TemplateError, load_templates, read_requirement_csv
from scheduling.shifts.requirement import _read_clean, _read_rows
from scheduling.textfile import NotText, read_text
from tests.import_inputs import damaged, examples

NAME = st.from_regex(r"[A-Za-z][A-Za-z0-9 _-]{0,8}[A-Za-z0-9]", fullmatch=True)
EPOCH = dt.datetime(2026, 1, 4)


def _write(tmp_path_factory, data: bytes | str, name: str = "input.csv"):
    path = tmp_path_factory.mktemp("prop") / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


# Interval history -------------------------------------------------------------------------------------


@st.composite
def interval_histories(draw):
    """Rows of a valid history: distinct (queue, interval), counts within what a centre produces (handled and
    abandoned together at most offered), handle time optional."""
    minutes = draw(st.sampled_from([5, 10, 15, 30, 60]))
    queues = draw(st.lists(NAME, min_size=1, max_size=3, unique_by=str.lower))
    count = st.one_of(
        st.integers(0, 10_000).map(float), st.floats(0, MAX_OFFERED, allow_nan=False, allow_infinity=False)
    )
    share = st.floats(0, 1, allow_nan=False)
    aht = st.floats(0, MAX_AHT_SECONDS, allow_nan=False, allow_infinity=False)
    rows = []
    for queue in queues:
        slots = draw(st.lists(st.integers(0, 3 * 1440 // minutes - 1), min_size=1, max_size=12, unique=True))
        for slot in slots:
            offered = draw(count)
            handled = draw(st.none() | share.map(lambda f, total=offered: float(int(f * total))))
            rest = offered - (handled or 0.0)
            abandoned = draw(st.none() | share.map(lambda f, total=rest: float(int(f * total))))
            rows.append(
                {
                    "interval_start": EPOCH + dt.timedelta(minutes=slot * minutes),
                    "queue": queue,
                    "offered": offered,
                    "handled": handled,
                    "abandoned": abandoned,
                    "aht_seconds": draw(st.none() | aht),
                }
            )
    return minutes, draw(st.permutations(rows))


def _history_csv(rows: list[dict], separator: str = "T") -> str:
    def cell(value):
        return "" if value is None else repr(value)

    lines = ["interval_start,queue,offered,handled,abandoned,aht_seconds"]
    for r in rows:
        lines.append(
            ",".join(
                [
                    r["interval_start"].isoformat(sep=separator, timespec="minutes"),
                    r["queue"],
                    cell(r["offered"]),
                    cell(r["handled"]),
                    cell(r["abandoned"]),
                    cell(r["aht_seconds"]),
                ]
            )
        )
    return "\n".join(lines) + "\n"


@given(
    history=interval_histories(), separator=st.sampled_from(["T", " "]), crlf=st.booleans(), bom=st.booleans()
)
@examples()
def test_interval_history_round_trips(tmp_path_factory, history, separator, crlf, bom):
    minutes, rows = history
    text = _history_csv(rows, separator)
    text = text.replace("\n", "\r\n") if crlf else text
    path = _write(tmp_path_factory, ("\ufeff" if bom else "") + text)
    read = read_interval_csv(path, interval_minutes=minutes)
    expected = (
        pd.DataFrame(rows).sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True)
    )
    assert read.interval_minutes == minutes
    assert read.frame["queue"].tolist() == expected["queue"].tolist()
    assert read.frame["interval_start"].tolist() == [pd.Timestamp(t) for t in expected["interval_start"]]
    for column in ("offered", "handled", "abandoned", "aht_seconds"):
        want = expected[column].astype(float).to_numpy()
        assert np.array_equal(read.frame[column].to_numpy(), want, equal_nan=True), column


def _check_refusal(error: Exception, kind: type[Exception], pattern: str = "", any_of: tuple[str, ...] = ()):
    """A refusal of damaged input: the reader's own error class exactly (no subclass or stray exception);
    its message matches `pattern` and holds one of `any_of`, when given."""
    assert type(error) is kind
    if pattern:
        assert re.match(pattern, str(error)), str(error)
    if any_of:
        assert any(word in str(error) for word in any_of), str(error)


def _check_history_problems(error: HistoryError, name: str) -> None:
    assert error.problems, "an error without problems"
    for problem in error.problems:
        assert problem.file == name
        assert problem.field
        assert problem.line >= 0
        assert problem.message
        assert str(problem).startswith(name)


def _check_history_frame(frame: pd.DataFrame, minutes: int) -> None:
    assert len(frame)
    assert not frame.duplicated(["queue", "interval_start"]).any()
    assert frame["interval_start"].notna().all()
    assert (frame["queue"].str.strip() != "").all()
    assert ((frame["interval_start"].dt.hour * 60 + frame["interval_start"].dt.minute) % minutes == 0).all()
    assert np.isfinite(frame["offered"]).all()
    assert (frame["offered"] >= 0).all()
    assert (frame["offered"] <= MAX_OFFERED).all()
    assert (frame["aht_seconds"].dropna() <= MAX_AHT_SECONDS).all()
    assert (frame["handled"].fillna(0) + frame["abandoned"].fillna(0) <= frame["offered"] + 1e-6).all()
    for column in ("handled", "abandoned", "aht_seconds"):
        values = frame[column].dropna()
        assert np.isfinite(values).all()
        assert (values >= 0).all()


@given(data=st.data(), history=interval_histories(), explicit=st.booleans())
@examples(2)
@example(data=None, history=(15, []), explicit=False)
def test_interval_history_damaged_is_read_or_refused_by_line_and_field(
    tmp_path_factory, data, history, explicit
):
    minutes, rows = history
    raw = b"" if data is None else data.draw(damaged(_history_csv(rows)))
    path = _write(tmp_path_factory, raw)
    try:
        read = read_interval_csv(path, interval_minutes=minutes if explicit else None)
    except HistoryError as error:
        _check_refusal(error, HistoryError)
        _check_history_problems(error, str(path))
    else:
        _check_history_frame(read.frame, read.interval_minutes)


@pytest.mark.parametrize(
    "text",
    [
        "interval_start,queue,offered\n2026-01-04T08:00,a,1e309\n",
        "interval_start,queue,offered\n2026-01-04T08:00,a,nan\n",
        "interval_start,queue,offered\n2026-01-04T08:00,a,5,extra,cells\n",
        "interval_start,queue,offered\n2026-01-04T08:00\n",
        "\ufeffinterval_start;queue;offered\n2026-01-04T08:00;a;5\n",
        'interval_start,queue,offered\n"2026-01-04T08:00,a,5\n',
    ],
)
def test_interval_history_known_bad_files_are_refused(tmp_path, text):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HistoryError) as caught:
        read_interval_csv(path)
    _check_history_problems(caught.value, str(path))


# Per-call records -------------------------------------------------------------------------------------

CALL_HEADER = (
    "vru+line",
    "call_id",
    "customer_id",
    "priority",
    "type",
    "date",
    "vru_entry",
    "vru_exit",
    "vru_time",
    "q_start",
    "q_exit",
    "q_time",
    "outcome",
    "ser_start",
    "ser_exit",
    "ser_time",
    "server",
)


def _clock(seconds: int) -> str:
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


@st.composite
def call_records(draw):
    calls = []
    for number in range(draw(st.integers(1, 15))):
        day = dt.date(1999, 1, 1) + dt.timedelta(days=draw(st.integers(0, 300)))
        entry = draw(st.integers(0, 86_399))
        exit_ = (entry + draw(st.integers(0, 600))) % 86_400
        queued = draw(st.booleans())
        wait = draw(st.integers(0, 900)) if queued else 0
        calls.append(
            {
                "call_id": number + 1,
                "priority": draw(st.integers(0, 2)),
                "type": draw(st.sampled_from(["PS", "PE", "IN", "NE", "NW", "TT"])),
                "day": day,
                "entry": entry,
                "exit": exit_,
                "q_start": max(exit_, 1) if queued else 0,
                "wait": wait,
                "outcome": draw(st.sampled_from(["AGENT", "HANG", "PHANTOM"])),
                "service": draw(st.integers(0, 3600)),
            }
        )
    return calls


def _calls_tsv(calls: list[dict]) -> str:
    lines = ["\t".join(CALL_HEADER)]
    for c in calls:
        lines.append(
            "\t".join(
                map(
                    str,
                    [
                        "AA0101",
                        c["call_id"],
                        0,
                        c["priority"],
                        c["type"],
                        c["day"].strftime("%y%m%d"),
                        _clock(c["entry"]),
                        _clock(c["exit"]),
                        0,
                        _clock(c["q_start"]),
                        _clock(c["q_start"]),
                        c["wait"],
                        c["outcome"],
                        "0:00:00",
                        "0:00:00",
                        c["service"],
                        "NO_SERVER",
                    ],
                )
            )
        )
    return "\n".join(lines) + "\n"


@given(calls=call_records())
@examples()
def test_call_records_round_trip(tmp_path_factory, calls):
    path = _write(tmp_path_factory, _calls_tsv(calls), "calls.tsv")
    read = read_call_records(path)
    offered = [c for c in calls if c["outcome"] == "AGENT" or (c["outcome"] == "HANG" and c["q_start"] > 0)]
    arrivals = [
        pd.Timestamp(
            dt.datetime.combine(c["day"], dt.time())
            + dt.timedelta(days=1 if c["exit"] < c["entry"] else 0, seconds=c["exit"])
        )
        for c in offered
    ]
    assert read["arrival"].tolist() == arrivals
    assert read["type"].tolist() == [c["type"] for c in offered]
    assert read["priority"].tolist() == [c["priority"] for c in offered]
    assert read["outcome"].tolist() == [c["outcome"] for c in offered]
    assert read["wait_seconds"].tolist() == [float(c["wait"] if c["q_start"] else 0) for c in offered]
    assert read["service_seconds"].tolist() == [float(c["service"]) for c in offered]


@given(data=st.data(), calls=call_records())
@examples(2)
def test_call_records_damaged_are_read_or_refused_by_line_and_field(tmp_path_factory, data, calls):
    path = _write(tmp_path_factory, data.draw(damaged(_calls_tsv(calls), delimiter="\t")), "calls.tsv")
    try:
        read = read_call_records(path)
    except HistoryError as error:
        _check_refusal(error, HistoryError)
        _check_history_problems(error, str(path))
    else:
        assert read["arrival"].notna().all()
        assert read["outcome"].isin(["AGENT", "HANG"]).all()
        assert np.isfinite(read["wait_seconds"]).all()
        assert np.isfinite(read["service_seconds"]).all()
        assert (read["type"].str.strip() != "").all()


# TEMPLATES.json ---------------------------------------------------------------------------------------


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def template_documents(draw):
    """A valid TEMPLATES.json document and, per template, the starts/lengths/days/breaks it must give."""
    templates, expected = [], {}
    for name in draw(st.lists(NAME, min_size=1, max_size=3, unique=True)):
        raw: dict = {"name": name}
        if draw(st.booleans()):
            start = draw(st.integers(0, 1439))
            raw["start"] = _hhmm(start) if draw(st.booleans()) else start
            starts = (start,)
        else:
            earliest, latest = draw(st.integers(0, 1439)), draw(st.integers(0, 1439))
            step = draw(st.integers(5, 240))
            raw["start_window"] = {"earliest": _hhmm(earliest), "latest": _hhmm(latest), "step_minutes": step}
            end = latest if latest >= earliest else latest + 1440
            starts = tuple(sorted({m % 1440 for m in range(earliest, end + 1, step)}))
        lengths = sorted(set(draw(st.lists(st.integers(60, 960), min_size=1, max_size=3))))
        if len(lengths) == 1 and draw(st.booleans()):
            raw["length_minutes"] = lengths[0]
        else:
            raw["lengths_minutes"] = lengths
        days = draw(st.sets(st.integers(0, 6), min_size=1) | st.none())
        if days is not None:
            raw["days"] = [
                ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][d] if draw(st.booleans()) else d
                for d in sorted(days)
            ]
        breaks, at = [], 0
        for index in range(draw(st.integers(0, 2))):
            minutes = draw(st.integers(5, 30))
            begin = at + draw(st.integers(0, 30))
            end = begin + minutes + draw(st.integers(0, 30))
            if end > lengths[0]:
                break
            breaks.append(
                {
                    "name": f"b{index}",
                    "minutes": minutes,
                    "window": [_hhmm(begin), _hhmm(end)],
                    "paid": draw(st.booleans()),
                }
            )
            at = end
        if breaks:
            raw["breaks"] = breaks
        raw["cost"] = draw(
            st.none()
            | st.floats(0, 1e4, allow_nan=False)
            | st.fixed_dictionaries(
                {
                    "per_hour": st.floats(0, 100, allow_nan=False),
                    "night_multiplier": st.floats(0, 3, allow_nan=False),
                }
            )
        )
        if raw["cost"] is None:
            del raw["cost"]
        templates.append(raw)
        expected[name] = (
            starts,
            tuple(lengths),
            frozenset(days if days is not None else range(7)),
            tuple((b["name"], b["minutes"], b["paid"]) for b in breaks),
        )
    document = {"templates": templates}
    if draw(st.booleans()):
        document["sites"] = [{"site": "north", "max_agents": draw(st.integers(0, 500))}]
    return document, expected


@given(case=template_documents(), indent=st.sampled_from([None, 2]))
@examples()
def test_templates_round_trip(tmp_path_factory, case, indent):
    document, expected = case
    path = _write(tmp_path_factory, json.dumps(document, indent=indent), "templates.json")
    templates, limits = load_templates(path)
    got = {
        t.name: (t.starts, t.lengths, t.days, tuple((b.name, b.minutes, b.paid) for b in t.breaks))
        for t in templates
    }
    assert got == expected
    assert [(s.site, s.max_agents) for s in limits] == [
        (s["site"], s["max_agents"]) for s in document.get("sites", [])
    ]


# Each draw is a fresh copy: a shared list put into the document twice could end up inside itself.
JSON_JUNK = st.sampled_from(
    [
        None,
        "",
        "x",
        "25:00",
        "08:60",
        -1,
        0,
        10**30,
        1e308,
        math.nan,
        math.inf,
        -math.inf,
        True,
        [],
        {},
        [None],
        {"a": 1},
        "mon",
        [1, 2, 3],
    ]
).map(copy.deepcopy)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


@st.composite
def spoiled_json(draw, document):
    """The document with a value replaced, a key removed or an unknown key added (then maybe damaged text)."""
    document = json.loads(json.dumps(document))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(document) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(JSON_JUNK)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["colour", "name", "start"]))] = draw(JSON_JUNK)
        else:
            parent.append(draw(JSON_JUNK))
    return json.dumps(document, indent=draw(st.sampled_from([None, 1])))


@given(data=st.data(), case=template_documents(), text_damage=st.booleans())
@examples(2)
def test_templates_spoiled_are_loaded_or_refused_by_file_line_and_field(
    tmp_path_factory, data, case, text_damage
):
    text = data.draw(spoiled_json(case[0]))
    raw = data.draw(damaged(text)) if text_damage else text.encode()
    path = _write(tmp_path_factory, raw, "templates.json")
    try:
        templates, limits = load_templates(path)
    except TemplateError as error:
        _check_refusal(
            error, TemplateError, rf"{re.escape(str(path))}: line \d+: ", ("field", "JSON", "UTF-8")
        )
    else:
        for t in templates:
            assert t.starts
            assert all(0 <= s < 1440 for s in t.starts)
            assert t.lengths
            assert all(isinstance(n, int) and 0 < n <= 1440 for n in t.lengths)
            costs = [t.cost.per_hour, t.cost.night_multiplier, t.cost.weekend_multiplier]
            assert all(math.isfinite(c) and c >= 0 for c in [*costs, t.cost.fixed or 0.0])
        for limit in limits:
            for value in (limit.max_agents, limit.max_starts_per_interval):
                assert value is None or (type(value) is int and value >= 0)


# REQUIREMENT.csv --------------------------------------------------------------------------------------


@st.composite
def requirements(draw):
    minutes = draw(st.sampled_from([15, 30, 60]))
    queues = draw(st.lists(NAME, min_size=1, max_size=3, unique=True))
    days = draw(st.integers(1, 3))
    per_day = 1440 // minutes
    rows = []
    for queue in queues:
        slots = draw(st.lists(st.integers(0, days * per_day - 1), min_size=1, max_size=10, unique=True))
        for slot in slots:
            rows.append(
                (
                    EPOCH + dt.timedelta(minutes=slot * minutes),
                    queue,
                    draw(st.integers(0, 200).map(float) | st.floats(0, 500, allow_nan=False)),
                )
            )
    # the grid is inferred as the coarsest one holding every start: pin it with one row on each step
    rows += (
        [(EPOCH + dt.timedelta(minutes=minutes), queues[0], 0.0)]
        if all(r[0] != EPOCH + dt.timedelta(minutes=minutes) or r[1] != queues[0] for r in rows)
        else []
    )
    rows += [(EPOCH, queues[0], 0.0)] if all(r[0] != EPOCH or r[1] != queues[0] for r in rows) else []
    return minutes, draw(st.permutations(rows))


def _requirement_csv(rows) -> str:
    lines = ["interval_start,queue,agents"]
    lines += [f"{stamp.isoformat()},{queue},{value!r}" for stamp, queue, value in rows]
    return "\n".join(lines) + "\n"


@given(case=requirements(), bom=st.booleans(), crlf=st.booleans())
@examples()
def test_requirement_round_trips(tmp_path_factory, case, bom, crlf):
    minutes, rows = case
    text = _requirement_csv(rows)
    text = text.replace("\n", "\r\n") if crlf else text
    path = _write(tmp_path_factory, ("\ufeff" if bom else "") + text)
    need = read_requirement_csv(path)
    assert need.interval_minutes == minutes
    assert need.start == EPOCH
    assert need.queues == tuple(sorted({q for _, q, _ in rows}))
    expected = np.zeros_like(need.values)
    for stamp, queue, value in rows:
        expected[need.queues.index(queue), int((stamp - EPOCH).total_seconds() // 60) // minutes] = math.ceil(
            value - 1e-9
        )
    assert np.array_equal(need.values, expected)


@given(data=st.data(), case=requirements())
@examples(2)
@example(data=None, case=(15, [(dt.datetime(1, 1, 1), "a", 1.0), (dt.datetime(9999, 12, 31), "a", 1.0)]))
def test_requirement_damaged_is_read_or_refused_by_file_line_and_field(tmp_path_factory, data, case):
    text = _requirement_csv(case[1])
    path = _write(tmp_path_factory, text if data is None else data.draw(damaged(text)))
    try:
        need = read_requirement_csv(path)
    except RequirementError as error:
        _check_refusal(error, RequirementError, rf"{re.escape(str(path))}: line \d+: .*field")
    else:
        assert np.isfinite(need.values).all()
        assert (need.values >= 0).all()
        assert need.values.shape[1] % need.intervals_per_day == 0


@given(data=st.data(), case=requirements(), crlf=st.booleans())
@examples()
def test_requirement_read_column_by_column_is_the_one_read_row_by_row(tmp_path_factory, data, case, crlf):
    """The column-by-column reader of clean files (`_read_clean`) reads every clean file, and where it reads
    a spoiled one at all, reads what the row-by-row reader reads."""
    text = _requirement_csv(case[1])
    clean_path = _write(tmp_path_factory, text.replace("\n", "\r\n") if crlf else text)
    clean = _read_clean(read_text(clean_path), "agents")
    assert clean is not None
    _same_requirement(clean, _read_rows(read_text(clean_path), clean_path, "agents"))
    path = _write(tmp_path_factory, data.draw(damaged(text)))
    try:
        spoiled = read_text(path)
    except NotText:
        return
    fast = _read_clean(spoiled, "agents")
    assert fast is None or _same_requirement(fast, _read_rows(spoiled, path, "agents"))


def _same_requirement(a, b) -> bool:
    assert (a.start, a.interval_minutes, a.queues) == (b.start, b.interval_minutes, b.queues)
    assert np.array_equal(a.values, b.values)
    return True


# Curtois & Qu instances -------------------------------------------------------------------------------


@st.composite
def curtois_instances(draw):
    horizon = draw(st.integers(1, 14))
    shift_ids = draw(
        st.lists(st.from_regex(r"[A-Z][A-Z0-9]{0,2}", fullmatch=True), min_size=1, max_size=3, unique=True)
    )
    shifts = [
        (
            s,
            draw(st.integers(1, 720)),
            sorted(draw(st.sets(st.sampled_from(shift_ids), max_size=len(shift_ids)))),
        )
        for s in shift_ids
    ]
    staff = []
    for number in range(draw(st.integers(1, 4))):
        maxima = {s: draw(st.integers(0, horizon)) for s in shift_ids}
        low = draw(st.integers(0, 5000))
        most_in_a_row = draw(st.integers(1, 7))  # the least in a row is never above it (refused as input)
        staff.append(
            (
                f"E{number}",
                maxima,
                low + draw(st.integers(0, 5000)),
                low,
                most_in_a_row,
                draw(st.integers(1, min(3, most_in_a_row))),
                draw(st.integers(1, 3)),
                draw(st.integers(0, 4)),
            )
        )
    days_off = {e[0]: sorted(draw(st.sets(st.integers(0, horizon - 1), max_size=3))) for e in staff}
    requests = [
        (
            draw(st.sampled_from([e[0] for e in staff])),
            draw(st.integers(0, horizon - 1)),
            draw(st.sampled_from(shift_ids)),
            draw(st.integers(1, 5)),
            draw(st.booleans()),
        )
        for _ in range(draw(st.integers(0, 5)))
    ]
    cover = [
        (d, s, draw(st.integers(0, 5)), draw(st.integers(0, 100)), draw(st.integers(0, 10)))
        for d in range(horizon)
        for s in shift_ids
        if draw(st.booleans())
    ]
    return horizon, shifts, staff, days_off, requests, cover


def _curtois_text(instance) -> str:
    horizon, shifts, staff, days_off, requests, cover = instance
    out = ["# generated", "SECTION_HORIZON", str(horizon), "", "SECTION_SHIFTS"]
    out += [f"{s},{m},{'|'.join(f)}" for s, m, f in shifts]
    out += ["", "SECTION_STAFF"]
    out += [
        f"{e},{'|'.join(f'{k}={v}' for k, v in mx.items())},{hi},{lo},{a},{b},{c},{w}"
        for e, mx, hi, lo, a, b, c, w in staff
    ]
    out += ["", "SECTION_DAYS_OFF"] + [f"{e},{','.join(map(str, d))}" for e, d in days_off.items() if d]
    out += ["", "SECTION_SHIFT_ON_REQUESTS"] + [f"{e},{d},{s},{w}" for e, d, s, w, on in requests if on]
    out += ["", "SECTION_SHIFT_OFF_REQUESTS"] + [f"{e},{d},{s},{w}" for e, d, s, w, on in requests if not on]
    out += ["", "SECTION_COVER"] + [",".join(map(str, c)) for c in cover]
    return "\r\n".join(out) + "\r\n"


@given(instance=curtois_instances())
@examples()
def test_curtois_round_trips(instance):
    horizon, shifts, staff, days_off, requests, cover = instance
    problem = parse_curtois(_curtois_text(instance))
    assert problem.horizon == horizon
    assert [(s.id, s.minutes, sorted(s.cannot_follow)) for s in problem.shifts] == shifts
    assert [
        (
            p.id,
            dict(p.max_shifts),
            p.max_minutes,
            p.min_minutes,
            p.max_consecutive,
            p.min_consecutive,
            p.min_days_off,
            p.max_weekends,
        )
        for p in problem.staff
    ] == [tuple(e) for e in staff]
    assert {p.id: sorted(p.days_off) for p in problem.staff} == days_off
    on = [(r.employee, r.day, r.shift, r.weight) for r in problem.requests if r.on]
    off = [(r.employee, r.day, r.shift, r.weight) for r in problem.requests if not r.on]
    assert on == [r[:4] for r in requests if r[4]]
    assert off == [r[:4] for r in requests if not r[4]]
    assert [(c.day, c.shift, c.requirement, c.under_weight, c.over_weight) for c in problem.cover] == cover


@given(data=st.data(), instance=curtois_instances())
@examples(2)
def test_curtois_damaged_is_read_or_refused_by_file_line_and_field(tmp_path_factory, data, instance):
    path = _write(tmp_path_factory, data.draw(damaged(_curtois_text(instance))), "instance.txt")
    try:
        problem = read_curtois(path)
    except RosterInputError as error:
        _check_refusal(error, RosterInputError, rf"{re.escape(str(path))}(, line \d+, field |: )")
    else:
        assert problem.horizon >= 1
        assert problem.shifts
        assert problem.staff
        ids = [p.id for p in problem.staff]
        assert len(ids) == len(set(ids))
        assert len(problem.shift_ids) == len(set(problem.shift_ids))
        assert all(0 <= c.day < problem.horizon for c in problem.cover)
