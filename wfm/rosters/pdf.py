"""Rosters on paper: A4 landscape, one week per page, readable in black and white."""

from __future__ import annotations

from flask import render_template
from weasyprint import HTML


def weeks(dates: list) -> list[list[int]]:
    return [list(range(i, min(i + 7, len(dates)))) for i in range(0, len(dates), 7)]


def roster_pdf(grid: dict, team: str | None = None) -> bytes:
    html = render_template("rosters/pdf.html", g=grid, team=team, weeks=weeks(grid["dates"]))
    return HTML(string=html).write_pdf()
