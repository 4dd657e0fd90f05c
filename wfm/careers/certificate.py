"""A course certificate on paper: A4 portrait, from plain values (never live ORM objects)."""

from __future__ import annotations

from flask import render_template

from wfm.printing.pdf import write_pdf


def certificate_pdf(values: dict) -> bytes:
    return write_pdf(render_template("careers/certificate.html", certificate=values))
