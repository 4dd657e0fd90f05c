"""The password policy: long enough, not the user's own name, not easy to guess.

Applied wherever a password is set (the administrator's user pages, a user's own "Change password" page);
only the demo loader and the load-test bench set the well-known demo password, and they say so
(`check_policy=False` in `wfm.admin.operations.save_user`).

- At least `PASSWORD_MIN_LENGTH` characters (12 by default; `WFM_PASSWORD_MIN_LENGTH`).
- Not the username, nor a password holding it, nor one made of the user's own names and some digits.
- Hard to guess: zxcvbn (the strength estimator Dropbox made, here its maintained Python port) scores it at
  least `MIN_STRENGTH` out of 4. It knows the common passwords of leaked lists, keyboard patterns, repeats,
  dates and l33t spellings, and is given the user's own name, username and e-mail as words to avoid.
"""

from __future__ import annotations

import re

from flask import current_app, has_app_context
from flask_babel import gettext as _
from zxcvbn import zxcvbn

from wfm.i18n import is_chinese

DEFAULT_MIN_LENGTH = 12
MAX_LENGTH = 256
MAX_ZXCVBN = 72  # the estimator reads this much (its own limit; beyond it, length is strength enough)
MIN_STRENGTH = (
    3  # zxcvbn's score: 0 too guessable ... 4 very unguessable; 3 resists offline guessing for long
)
SITE_WORDS = ("wfm", "workforce", "contact", "centre", "center", "bank", "roster", "schedule")


class PasswordRefused(ValueError):
    """The password breaks the policy; the message says why, in words for the person choosing it."""


def min_length() -> int:
    if has_app_context():
        return int(current_app.config.get("PASSWORD_MIN_LENGTH", DEFAULT_MIN_LENGTH))
    return DEFAULT_MIN_LENGTH


def problem(
    password: str, *, username: str = "", display_name: str = "", email: str | None = None
) -> str | None:
    """Why `password` may not be used by this user, or None when it may."""
    password = password or ""
    shortest = min_length()
    if len(password) < shortest:
        return _(
            "Use at least %(shortest)s characters (a few unrelated words make a long password easy to "
            "remember).",
            shortest=shortest,
        )
    if len(password) > MAX_LENGTH:
        return _("Use at most %(longest)s characters.", longest=MAX_LENGTH)
    name = (username or "").strip().lower()
    if name and (password.lower() == name or (len(name) >= 3 and name in password.lower())):
        return _("Do not use your username in your password.")
    own = [
        w
        for w in {name, *re.split(r"[\s.@_+-]+", f"{display_name or ''} {email or ''}".lower())}
        if len(w) >= 3
    ]
    rest = password.lower()
    for word in sorted(own, key=len, reverse=True):
        rest = rest.replace(word, "")
    if own and len(re.sub(r"[^a-z]", "", rest)) < 4:
        return _("Do not build your password from your name, username or e-mail address.")
    joined = "".join(re.split(r"\s+", (display_name or "").strip().lower()))
    result = zxcvbn(password[:MAX_ZXCVBN], user_inputs=[*own, joined, *SITE_WORDS])
    if result["score"] < MIN_STRENGTH:
        warning = result["feedback"].get("warning") or ""
        if warning and not is_chinese():  # the strength checker explains itself in English only
            return _(
                "This password is too easy to guess. %(reason)s. Add another word or two; uncommon words are "
                "better than changing letters for digits.",
                reason=warning.rstrip("."),
            )
        return _(
            "This password is too easy to guess. Add another word or two; uncommon words are better than "
            "changing letters for digits."
        )
    return None


def check(password: str, **user) -> None:
    """Raise PasswordRefused when `password` breaks the policy."""
    found = problem(password, **user)
    if found:
        raise PasswordRefused(found)
