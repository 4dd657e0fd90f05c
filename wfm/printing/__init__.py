"""Printed documents (the roster, an agent's schedule, a certificate, a capacity plan) as PDF.

`pdf` writes them with WeasyPrint; `fonts` brings the Simplified Chinese face they print names in.
"""
