"""My schedule on paper (A4 portrait): the same plain values as the page, readable in black and white."""

from __future__ import annotations

from flask import render_template

from wfm.printing.pdf import write_pdf


def schedule_pdf(page: dict) -> bytes:
    return write_pdf(render_template("selfservice/pdf.html", schedule=page))
