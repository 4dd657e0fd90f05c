"""Hypothesis strategies for the importers' property tests: valid files from a model, and ways to spoil them.

Why one module: every importer (interval history, call records, templates, targets, forecasts,
requirements, Curtois instances, the web uploads) is attacked with the same catalogue of damage — wrong
delimiters, BOM, CRLF, other encodings, truncation, missing or extra columns, duplicated lines, junk cells
— so the catalogue lives once and each test only says what a correct import looks like.

Profiles: ``imports`` (the default here) keeps each property to a few dozen examples so the whole addition
runs in about a minute on the shared two-core machine; ``imports-ci`` is the same, derandomized, chosen
when ``CI`` is set, so a red CI run is reproducible byte for byte and a merge cannot turn it red by luck
(new cases are still found by local runs, which stay random); ``imports-deep`` (select with
``HYPOTHESIS_PROFILE=imports-deep``) runs a thousand examples a property when hunting for crashes.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

_COMMON = dict(
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
settings.register_profile("imports", max_examples=40, **_COMMON)
settings.register_profile("imports-ci", max_examples=40, derandomize=True, database=None, **_COMMON)
settings.register_profile("imports-deep", max_examples=1000, **_COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("imports-ci" if os.environ.get("CI") else "imports")


def examples(factor: float = 1.0) -> settings:
    """The chosen profile, with the example count scaled (web properties are slower per example)."""
    base = settings.get_profile(PROFILE)
    return settings(base, max_examples=max(5, int(base.max_examples * factor)))


# Cell values that have broken parsers somewhere: numbers pandas or float() accept but the domain must not
# (nan, inf, huge, negative), dates that look right but are not, and text that is not text.
JUNK_CELLS = (
    "",
    " ",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "-1",
    "-0",
    "1e308",
    "1e309",
    "9" * 400,
    "1_000",
    "0x10",
    "12abc",
    "abc",
    "true",
    "None",
    "null",
    "2026-02-30T08:00",
    "2026-13-01T08:00",
    "2026-01-01T25:00",
    "0001-01-01T00:00",
    "9999-12-31T23:45",
    "2026-01-01T08:00+02:00",
    "2026-01-01",
    "08:00",
    "\x00",
    "\ufeff",
    "é",
    "日本",
    "\u202e",
    '"',
    '"unterminated',
    "a,b",
    "a\tb",
    "\r",
    "=1+1",
    "-",
    "1.5",
    "1e-320",
)


@st.composite
def damaged(draw, text: str, *, delimiter: str = ",") -> bytes:
    """`text` spoiled in one to three ways, as bytes (encodings are part of the damage)."""
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        lines = draw(st.sampled_from(_LINE_DAMAGE))(draw, lines, delimiter)
    joined = "\n".join(lines)
    ending = draw(st.sampled_from(["\n", "\r\n", "\r", ""]))
    joined = joined.replace("\n", ending) if ending else joined
    return draw(st.sampled_from(_ENCODINGS))(draw, joined)


def _cell_junk(draw, lines, delimiter):
    if len(lines) < 2:
        return lines
    row = draw(st.integers(0, len(lines) - 1))
    cells = lines[row].split(delimiter)
    cells[draw(st.integers(0, len(cells) - 1))] = draw(st.sampled_from(JUNK_CELLS) | st.text(max_size=8))
    return [*lines[:row], delimiter.join(cells), *lines[row + 1 :]]


def _drop_column(draw, lines, delimiter):
    if not lines:
        return lines
    index = draw(st.integers(0, max(0, len(lines[0].split(delimiter)) - 1)))
    only_header = draw(st.booleans())
    out = []
    for number, line in enumerate(lines):
        cells = line.split(delimiter)
        if (number == 0 or not only_header) and index < len(cells):
            del cells[index]
        out.append(delimiter.join(cells))
    return out


def _extra_column(draw, lines, delimiter):
    extra = draw(st.sampled_from(["note", "offered", "queue", "", "x y"]))
    return [
        line + delimiter + (extra if number == 0 else draw(st.sampled_from(JUNK_CELLS)))
        for number, line in enumerate(lines)
    ]


def _duplicate_line(draw, lines, delimiter):
    if not lines:
        return lines
    row = draw(st.integers(0, len(lines) - 1))
    return [*lines[: row + 1], lines[row], *lines[row + 1 :]]


def _drop_line(draw, lines, delimiter):
    if not lines:
        return lines
    row = draw(st.integers(0, len(lines) - 1))
    return lines[:row] + lines[row + 1 :]


def _truncate(draw, lines, delimiter):
    text = "\n".join(lines)
    return text[: draw(st.integers(0, len(text)))].split("\n") if text else lines


def _swap_delimiter(draw, lines, delimiter):
    other = draw(st.sampled_from([c for c in (",", ";", "\t", "|") if c != delimiter]))
    return [line.replace(delimiter, other) for line in lines]


def _blank_lines(draw, lines, delimiter):
    row = draw(st.integers(0, len(lines)))
    return [*lines[:row], draw(st.sampled_from(["", "   ", delimiter * 3])), *lines[row:]]


def _empty(draw, lines, delimiter):
    return draw(st.sampled_from([[], [""], lines[:1]]))


def _garbage(draw, lines, delimiter):
    return [draw(st.text(max_size=60))]


_LINE_DAMAGE: tuple[Callable, ...] = (
    _cell_junk,
    _cell_junk,
    _cell_junk,
    _drop_column,
    _extra_column,
    _duplicate_line,
    _drop_line,
    _truncate,
    _swap_delimiter,
    _blank_lines,
    _empty,
    _garbage,
)


def _utf8(draw, text):
    return text.encode("utf-8", "surrogatepass")


def _utf8_bom(draw, text):
    return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")


def _latin1(draw, text):
    return text.encode("latin-1", "replace") + draw(st.sampled_from([b"", b"\xe9\xff"]))


def _utf16(draw, text):
    return text.encode("utf-16")


def _binary(draw, text):
    return draw(st.binary(max_size=80))


_ENCODINGS = (_utf8, _utf8, _utf8, _utf8_bom, _latin1, _utf16, _binary)
