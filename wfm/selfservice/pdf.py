"""My schedule on paper (A4 portrait): the same plain values as the page, readable in black and white."""

from __future__ import annotations

from flask import render_template
from weasyprint import HTML


def schedule_pdf(page: dict) -> bytes:
    return HTML(string=render_template("selfservice/pdf.html", schedule=page)).write_pdf()
