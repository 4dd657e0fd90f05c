"""Charts drawn on the server as SVG: no JavaScript library, readable in a PDF and without scripts.

A chart is a time axis of evenly spaced intervals, lines (with gaps where a value is missing), an
optional shaded band (a prediction interval) and optional bars (short or over against a requirement).
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape


@dataclass
class Line:
    label: str
    values: Sequence[float | None]
    css: str  # class in app.css: history, forecast, required, planned, actual...
    step: bool = False


@dataclass
class Band:
    label: str
    lower: Sequence[float | None]
    upper: Sequence[float | None]
    css: str = "band"


@dataclass
class Marks:
    """Bars drawn from zero (e.g. shortfall below the axis, excess above)."""

    label: str
    values: Sequence[float | None]
    css: str


@dataclass
class TimeChart:
    times: Sequence[dt.datetime]
    lines: list[Line] = field(default_factory=list)
    band: Band | None = None
    marks: list[Marks] = field(default_factory=list)
    title: str = ""
    y_label: str = ""
    width: int = 960
    height: int = 280
    time_format: str = "%a %d %b"  # the x axis's labels ("%b %Y" for months)


LEFT, RIGHT, TOP, BOTTOM = 48, 12, 22, 34


def _finite(values) -> list[float]:
    return [float(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]


def _nice_step(span: float) -> float:
    raw = span / 5 if span > 0 else 1
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def render(chart: TimeChart) -> Markup:
    n = len(chart.times)
    width, height = chart.width, chart.height
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    low, high, step = _value_axis(chart)

    def x(i: float) -> float:
        return LEFT + (plot_w * (i + 0.5) / max(n, 1))

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - low) / (high - low))

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(chart.title)}">'
    ]
    if chart.title:
        parts.append(f"<title>{escape(chart.title)}</title>")
    parts += _grid(low, high, step, y, width)
    if chart.y_label:
        parts.append(f'<text class="axis" x="4" y="{TOP - 8}">{escape(chart.y_label)}</text>')
    parts += _day_boundaries(chart.times, plot_w, plot_h, height, chart.time_format)
    if chart.band:
        parts += _band(chart.band, x, y)
    for mark in chart.marks:
        parts += _bars(mark, x, y, max(1.0, plot_w / max(n, 1) * 0.8))
    for line in chart.lines:
        for path in _paths(line, x, y):
            parts.append(f'<path class="line {line.css}" d="{path}"/>')
    parts.append(_legend(chart, width))
    parts.append("</svg>")
    return Markup("".join(parts))


def _value_axis(chart: TimeChart) -> tuple[float, float, float]:
    """The y axis's lowest and highest value and its tick step: round numbers around every value drawn,
    zero and one always included."""
    values = []
    for line in chart.lines:
        values += _finite(line.values)
    if chart.band:
        values += _finite(chart.band.upper) + _finite(chart.band.lower)
    for mark in chart.marks:
        values += _finite(mark.values)
    low = min([0.0, *values]) if values else 0.0
    high = max([1.0, *values]) if values else 1.0
    step = _nice_step(high - low)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    if high == low:
        high = low + step
    return low, high, step


def _grid(low: float, high: float, step: float, y, width: int) -> list[str]:
    """A grid line and a y-axis label at every tick."""
    parts = []
    tick = low
    while tick <= high + 1e-9:
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{width - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
        )
        parts.append(
            f'<text class="axis" x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:g}</text>'
        )
        tick += step
    return parts


def _day_boundaries(
    times: Sequence[dt.datetime], plot_w: int, plot_h: int, height: int, time_format: str = "%a %d %b"
) -> list[str]:
    """A line where each day starts on the x axis, and its date on as many as fit ~85 px apart."""
    n = len(times)
    label_every = max(1, math.ceil(_days(times) / max(1, plot_w // 85)))
    parts = []
    day_index = 0
    for i, time in enumerate(times):
        if i == 0 or time.date() != times[i - 1].date():
            xpos = LEFT + plot_w * i / max(n, 1)
            parts.append(
                f'<line class="day" x1="{xpos:.1f}" x2="{xpos:.1f}" y1="{TOP}" y2="{TOP + plot_h}"/>'
            )
            if day_index % label_every == 0:
                label = _axis_label(time, time_format)
                parts.append(f'<text class="axis" x="{xpos + 3:.1f}" y="{height - 18}">{label}</text>')
            day_index += 1
    return parts


def _bars(mark: Marks, x, y, bar: float) -> list[str]:
    """One bar of width `bar` from zero to each value; none where the value is missing or zero."""
    parts = []
    for i, v in enumerate(mark.values):
        if v is None or v == 0 or (isinstance(v, float) and math.isnan(v)):
            continue
        top, bottom = sorted((y(v), y(0)))
        parts.append(
            f'<rect class="{mark.css}" x="{x(i) - bar / 2:.1f}" y="{top:.1f}" width="{bar:.1f}" '
            f'height="{max(bottom - top, 0.5):.1f}"/>'
        )
    return parts


def _days(times) -> int:
    return len({t.date() for t in times}) or 1


def _paths(line: Line, x, y) -> list[str]:
    paths, current = [], []
    for i, v in enumerate(line.values):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            if current:
                paths.append(" ".join(current))
            current = []
            continue
        if line.step:
            left, right = x(i - 0.5), x(i + 0.5)
            current.append(f"{'M' if not current else 'L'}{left:.1f},{y(v):.1f} L{right:.1f},{y(v):.1f}")
        else:
            current.append(f"{'M' if not current else 'L'}{x(i):.1f},{y(v):.1f}")
    if current:
        paths.append(" ".join(current))
    return paths


def _band(band: Band, x, y) -> list[str]:
    shapes, run = [], []
    for i, (lo, up) in enumerate(zip(band.lower, band.upper, strict=True)):
        if lo is None or up is None or (isinstance(lo, float) and math.isnan(lo)):
            if run:
                shapes.append(run)
            run = []
            continue
        run.append((i, lo, up))
    if run:
        shapes.append(run)
    out = []
    for run in shapes:
        top = " L".join(f"{x(i):.1f},{y(up):.1f}" for i, _, up in run)
        bottom = " L".join(f"{x(i):.1f},{y(lo):.1f}" for i, lo, _ in reversed(run))
        out.append(f'<path class="{band.css}" d="M{top} L{bottom} Z"/>')
    return out


def _axis_label(time: dt.datetime, time_format: str) -> str:
    """The default day label in the reader's language ("Mon 07 Dec" · "12月7日周一"); others as given."""
    if time_format == "%a %d %b":
        from wfm.i18n.dates import written

        return escape(written(time, "day"))
    return time.strftime(time_format)


def _legend(chart: TimeChart, width: int) -> str:
    items = [(line.label, f"line {line.css}") for line in chart.lines]
    if chart.band:
        items.append((chart.band.label, chart.band.css))
    items += [(mark.label, mark.css) for mark in chart.marks]
    out, xpos = [], width - RIGHT
    for label, css in reversed(items):
        text_w = 7 * sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in label) + 26  # Han: 2
        xpos -= text_w
        out.append(
            f'<rect class="{css} key" x="{xpos:.0f}" y="6" width="14" height="8"/>'
            f'<text class="axis" x="{xpos + 18:.0f}" y="14">{escape(label)}</text>'
        )
    return "".join(out)
