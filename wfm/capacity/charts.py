"""The capacity pages' charts (server-side SVG through `wfm.charts`): required against productive FTE per
group, hires per month, cost per month; and the same figures of two or three scenarios on one axis."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from markupsafe import Markup

from wfm.charts import Line, Marks, TimeChart, render

SCENARIO_STYLES = ("forecast", "planned", "history")  # blue, green, grey
# The PDF renderer does not apply the page's stylesheet inside SVG: the same colours, written on each shape.
COLOURS = {
    "required": "#b3261e",
    "planned": "#1e7b45",
    "forecast": "#1f5fa8",
    "history": "#6b7785",
    "short": "rgba(179, 38, 30, .55)",
    "over": "rgba(30, 123, 69, .35)",
}


def with_inline_colours(svg: Markup) -> Markup:
    text = str(svg)
    for css, colour in COLOURS.items():
        text = text.replace(
            f'class="line {css}"', f'class="line {css}" style="fill:none;stroke:{colour};stroke-width:2"'
        )
        text = text.replace(f'<rect class="{css}"', f'<rect class="{css}" style="fill:{colour}"')
        text = text.replace(f'<rect class="{css} key"', f'<rect class="{css} key" style="fill:{colour}"')
        text = text.replace(
            f'<rect class="line {css} key"', f'<rect class="line {css} key" style="fill:{colour}"'
        )
    return Markup(text)  # the chart was escaped when rendered; only style attributes were added


def _month(label: str) -> dt.datetime:
    year, month = label.split("-")
    return dt.datetime(int(year), int(month), 1)


def group_figures(rows: list[dict]) -> dict[str, dict[str, list[float]]]:
    """group -> column -> values per month, in the plan's order."""
    groups: dict[str, dict[str, list[float]]] = {}
    for row in rows:
        figures = groups.setdefault(row["group"], {"months": []})  # type: ignore[dict-item]
        figures["months"].append(row["month"])  # type: ignore[arg-type]
        for key in ("required_fte", "productive_fte", "overtime_fte", "short_fte", "hires", "cost"):
            figures.setdefault(key, []).append(float(row[key]))
    return groups


def _months(rows: list[dict]) -> list[str]:
    return list(dict.fromkeys(row["month"] for row in rows))


def _per_month(rows: list[dict], key: str, months: list[str] | None = None) -> list[float | None]:
    """The column summed over groups per month; None for a month the plan does not cover."""
    totals: dict[str, float] = {}
    for row in rows:
        totals[row["month"]] = totals.get(row["month"], 0.0) + float(row[key])
    return [totals.get(m) for m in (months or _months(rows))]


def _chart(months: list[str], title: str, y_label: str, **parts) -> Markup:
    return render(
        TimeChart(
            times=[_month(m) for m in months],
            title=title,
            y_label=y_label,
            time_format="%b %Y",
            height=220,
            **parts,
        )
    )


def group_totals(rows: list[dict]) -> list[dict]:
    """One line per group over the whole plan (the PDF's table; the CSV holds every month)."""
    totals: dict[str, dict] = {}
    for row in rows:
        entry = totals.setdefault(
            row["group"],
            {"group": row["group"], "start": float(row["headcount_start"]), "hires": 0.0, "leavers": 0.0},
        )
        entry["end"] = float(row["headcount_end"])
        entry["hires"] += float(row["hires"])
        entry["leavers"] += float(row["leavers"])
        entry.setdefault("required_first", float(row["required_fte"]))
        entry["required_last"] = float(row["required_fte"])
        entry["short"] = entry.get("short", 0.0) + float(row["short_fte"])
        entry["cost"] = entry.get("cost", 0.0) + float(row["cost"])
    return list(totals.values())


def plan_charts(rows: list[dict], inline_colours: bool = False, compact: bool = False) -> dict:
    """The plan's charts; `compact` (the PDF) draws the centre's total instead of one chart per group."""
    months = _months(rows)
    per_group = []
    figures_by_group = group_figures(rows)
    if compact:
        figures_by_group = {
            _("All groups together"): {
                key: [float(sum(v)) for v in zip(*(f[key] for f in figures_by_group.values()), strict=True)]
                for key in ("required_fte", "productive_fte", "short_fte")
            }
        }
    for group, figures in figures_by_group.items():
        per_group.append(
            (
                group,
                _chart(
                    months,
                    _("%(group)s: required against productive FTE", group=group),
                    "FTE",
                    lines=[
                        Line(_("required"), figures["required_fte"], "required", step=True),
                        Line(_("productive"), figures["productive_fte"], "planned", step=True),
                    ],
                    marks=[Marks(_("short"), figures["short_fte"], "short")],
                ),
            )
        )
    result = {
        "groups": per_group,
        "hires": _chart(
            months,
            _("Hires per month"),
            _("people"),
            marks=[Marks(_("hires"), _per_month(rows, "hires"), "over")],
        ),
        "cost": _chart(
            months, _("Cost per month"), _("thousands"), lines=[Line(_("cost"), _thousands(rows), "forecast")]
        ),
    }
    if inline_colours:
        result["hires"] = with_inline_colours(result["hires"])
        result["cost"] = with_inline_colours(result["cost"])
        result["groups"] = [(group, with_inline_colours(chart)) for group, chart in result["groups"]]
    return result


def _thousands(rows: list[dict], months: list[str] | None = None) -> list[float | None]:
    return [None if v is None else v / 1000 for v in _per_month(rows, "cost", months)]


def comparison_charts(pages: list[dict]) -> dict:
    months = sorted({m for p in pages for m in _months(p["rows"])})
    styles = dict(zip(range(len(pages)), SCENARIO_STYLES, strict=False))
    lines_cost = [
        Line(p["scenario"]["name"], _thousands(p["rows"], months), styles[i]) for i, p in enumerate(pages)
    ]
    lines_hires = [
        Line(p["scenario"]["name"], _per_month(p["rows"], "hires", months), styles[i], step=True)
        for i, p in enumerate(pages)
    ]
    lines_short = [
        Line(p["scenario"]["name"], _per_month(p["rows"], "short_fte", months), styles[i], step=True)
        for i, p in enumerate(pages)
    ]
    lines_productive = [
        Line(
            _("%(scenario)s: productive", scenario=p["scenario"]["name"]),
            _per_month(p["rows"], "productive_fte", months),
            styles[i],
            step=True,
        )
        for i, p in enumerate(pages)
    ]
    required = Line(
        _("required"), _per_month(pages[0]["rows"], "required_fte", months), "required", step=True
    )
    return {
        "cost": _chart(months, _("Cost per month"), _("thousands"), lines=lines_cost),
        "hires": _chart(months, _("Hires per month"), _("people"), lines=lines_hires),
        "short": _chart(months, _("FTE short per month, all groups"), "FTE", lines=lines_short),
        "fte": _chart(
            months,
            _("Required (first scenario) and productive FTE, all groups"),
            "FTE",
            lines=[required, *lines_productive],
        ),
    }
