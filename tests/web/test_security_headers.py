"""Security headers on every response, no caching of private pages, and templates the CSP can allow."""

from __future__ import annotations

import re
from pathlib import Path

from wfm.security.headers import CONTENT_SECURITY_POLICY

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PDF_ONLY = {
    "pdf_base.html",
    "careers/certificate.html",
    "rosters/pdf.html",
    "selfservice/pdf.html",
}  # WeasyPrint, no browser
INLINE = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def test_the_policy_is_strict():
    policy = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert policy == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "object-src": "'none'",
        "frame-ancestors": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
    }


def _assert_secured(response) -> None:
    headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]


def test_every_kind_of_response_carries_the_headers(app, demo, browser):
    for path, status in (("/login", 200), ("/static/app.css", 200), ("/nowhere", 404), ("/planning", 302)):
        response = browser.get(path)
        assert response.status_code == status, path
        _assert_secured(response)
    assert "Strict-Transport-Security" not in browser.get("/login").headers  # plain HTTP here
    browser.login("agent")
    refused = browser.get("/admin/")
    assert refused.status_code == 403
    _assert_secured(refused)


def test_hsts_when_secure(app, demo, browser):
    app.config["SECURITY_HSTS"] = True
    try:
        assert browser.get("/login").headers["Strict-Transport-Security"].startswith("max-age=31536000")
    finally:
        app.config["SECURITY_HSTS"] = False


def test_signed_in_pages_and_pdfs_are_never_cached(app, demo, browser):
    assert "no-store" not in browser.get("/login").headers.get("Cache-Control", "")
    browser.login("agent")
    page = browser.get("/me")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    pdf = browser.get("/my/schedule.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.headers["Cache-Control"] == "no-store"
    assert "no-store" not in browser.get("/static/app.css").headers.get("Cache-Control", "")


def test_no_template_needs_an_inline_script_or_style():
    """The policy refuses inline scripts, event handlers and style attributes: none may be in a page."""
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in PDF_ONLY:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if INLINE.search(line):
                problems.append(f"{name}:{number}: {line.strip()[:100]}")
    assert problems == []


def test_the_check_finds_what_it_looks_for():
    for bad in (
        '<button onclick="go()">',
        '<div style="width:4em">',
        "<style>p{}</style>",
        "<script>x()</script>",
        '<form onsubmit="return false">',
        '<a href="javascript:void(0)">',
    ):
        assert INLINE.search(bad), bad
    for good in (
        '<script src="/static/app.js" defer></script>',
        "<input data-select-on-click>",
        '<svg class="chart"><line class="grid"/></svg>',
    ):
        assert not INLINE.search(good), good


def test_charts_embedded_in_pages_use_no_style_attributes():
    import datetime as dt

    from wfm.charts import Line, TimeChart, render

    start = dt.datetime(2026, 1, 5, 8)
    times = [start + dt.timedelta(minutes=15 * i) for i in range(8)]
    svg = str(
        render(TimeChart(title="t", times=times, lines=[Line("offered", [1, 2, 3, 4, 3, 2, 1, 0], "a")]))
    )
    assert "<svg" in svg
    assert not INLINE.search(svg)
