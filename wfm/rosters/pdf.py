"""Rosters on paper: A4 landscape, one table per week, readable in black and white.

An agent's row is never split across pages (the header repeats on every page). WeasyPrint's time goes on
laying out lines of text: each cell's details are one block of lines (`white-space: pre-line`), not nested
inline elements with line breaks, and only the classes the print style uses are written.
"""

from __future__ import annotations

from flask import render_template

from wfm.printing.pdf import write_pdf


def weeks(dates: list) -> list[list[int]]:
    return [list(range(i, min(i + 7, len(dates)))) for i in range(0, len(dates), 7)]


def roster_pdf(grid: dict, team: str | None = None) -> bytes:
    html = render_template("rosters/pdf.html", grid=grid, team=team, weeks=weeks(grid["dates"]))
    return write_pdf(html)
