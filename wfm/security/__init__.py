"""Hardening of the web application: sign-in rate limits, session cookies, response headers, change log.

`configure_security(app)` installs all of it; `create_app` calls it once the blueprints are registered
(the login limit wraps the registered login view).
"""

from __future__ import annotations

from flask import Flask


def configure_security(app: Flask) -> None:
    from wfm.security.changelog import install as install_changelog
    from wfm.security.headers import install as install_headers
    from wfm.security.limiter import install as install_limiter
    from wfm.security.sessions import install as install_sessions

    install_sessions(app)
    install_headers(app)
    install_limiter(app)
    install_changelog(app)
