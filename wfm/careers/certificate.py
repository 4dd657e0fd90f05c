"""A course certificate on paper: A4 portrait, from plain values (never live ORM objects)."""

from __future__ import annotations

from flask import render_template
from weasyprint import HTML


def certificate_pdf(values: dict) -> bytes:
    return HTML(string=render_template("careers/certificate.html", certificate=values)).write_pdf()
