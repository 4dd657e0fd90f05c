"""Security headers on every response: a strict Content-Security-Policy and its companions.

The policy allows only this site's own scripts, styles and images (plus data: images), so the templates
carry no inline script, no inline event handler and no style attribute: behaviour lives in
wfm/static/*.js, looks in wfm/static/app.css. Signed-in pages and PDFs are never cached (they hold
people's schedules and records); HSTS is sent when the site runs behind HTTPS (`SECURITY_HSTS`).
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
HSTS = "max-age=31536000; includeSubDomains"
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
}


def secure_response(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("SECURITY_HSTS"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    private = response.mimetype in ("application/pdf", "text/calendar") or (
        request.endpoint != "static" and current_user.is_authenticated
    )
    if private:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def install(app: Flask) -> None:
    app.after_request(secure_response)
