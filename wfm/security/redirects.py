"""Where a redirect or a link may go when its target comes from the request (`next`, `back`).

One rule everywhere: a path on this site. Anything with a scheme (`https:`, `javascript:`), a host
(`//evil.example`), a backslash (browsers read `/\\evil.example` as `//evil.example`), a control character or
whitespace around it is not a path of ours, and the caller's own default is used instead.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_path(target: str | None, default: str | None = None) -> str | None:
    """`target` when it is a same-site path (`/people?x=1`), else `default`."""
    if not target or not isinstance(target, str) or len(target) > 2048:
        return default
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if any(ord(ch) < 32 or ord(ch) == 127 or ch.isspace() for ch in target):
        return default
    try:
        parts = urlsplit(target)
    except ValueError:
        return default
    if parts.scheme or parts.netloc:
        return default
    return target
