"""The plan as CSV rows whose printed figures balance exactly, month after month.

The plan is in expected FTE, so leavers and movers have decimals. Rounding each figure on its own would let
`headcount_end = headcount_start + hires - leavers - moved_out + moved_in` miss by a cent here and there, and
the drift would grow. Instead each flow is rounded cumulatively (this month's printed leavers are the
rounded total of leavers so far less last month's rounded total), all in whole hundredths, and the
headcounts are the printed flows added up: every row balances to the hundredth, each printed headcount is
within a hundredth or two of the plan's, and the next month starts where this one ended.
"""

from __future__ import annotations

from scheduling.capacity.plan import Plan
from scheduling.capacity.scenario import Scenario
from scheduling.csvcells import safe_cell

CSV_COLUMNS = (
    "month",
    "group",
    "headcount_start",
    "hires",
    "in_training",
    "leavers",
    "moved_out",
    "moved_in",
    "headcount_end",
    "productive_fte",
    "required_fte",
    "overtime_fte",
    "short_fte",
    "cost",
)
FLOWS = ("hires", "leavers", "moved_out", "moved_in")


def _cents(value: float) -> int:
    return round(value * 100)


def _text(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def balanced_rows(scenario: Scenario, plan: Plan) -> list[dict[str, str]]:
    rows = []
    totals = {g.name: dict.fromkeys(FLOWS, 0.0) for g in scenario.groups}
    printed = {g.name: dict.fromkeys(FLOWS, 0) for g in scenario.groups}
    headcount = {g.name: _cents(g.headcount) for g in scenario.groups}
    for figures in plan.figures:
        start = headcount[figures.group]
        flows = {}
        for name in FLOWS:
            totals[figures.group][name] += getattr(figures, name)
            cumulative = _cents(totals[figures.group][name])
            flows[name] = cumulative - printed[figures.group][name]
            printed[figures.group][name] = cumulative
        end = start + flows["hires"] - flows["leavers"] - flows["moved_out"] + flows["moved_in"]
        headcount[figures.group] = end
        rows.append(
            {
                "month": figures.month,
                "group": figures.group,
                "headcount_start": _text(start),
                "hires": str(round(figures.hires)),
                "in_training": _text(_cents(figures.in_training)),
                "leavers": _text(flows["leavers"]),
                "moved_out": _text(flows["moved_out"]),
                "moved_in": _text(flows["moved_in"]),
                "headcount_end": _text(end),
                "productive_fte": _text(_cents(figures.productive_fte)),
                "required_fte": _text(_cents(figures.required_fte)),
                "overtime_fte": _text(_cents(figures.overtime_fte)),
                "short_fte": _text(_cents(figures.short_fte)),
                "cost": _text(_cents(figures.cost)),
            }
        )
    return rows


def for_spreadsheet(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows as written to a CSV file: a group named like a formula (`=...`) is written as text."""
    return [{**row, "group": safe_cell(row["group"])} for row in rows]
