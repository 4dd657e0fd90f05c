"""Stand-in for `wfm.i18n.localized` until the translation layer is on this branch (then this module goes).

The reader's language here is the request's `Accept-Language` (Chinese when it prefers `zh`); outside a
request (commands, jobs) it is English.
"""

from __future__ import annotations

from flask import has_request_context, request


def localized(english: str, chinese: str | None) -> str:
    """The Chinese text when the reader reads Chinese and there is one, else the English."""
    if chinese and has_request_context():
        best = request.accept_languages.best_match(["en", "zh", "zh-CN"]) or "en"
        if best.startswith("zh"):
            return chinese
    return english
