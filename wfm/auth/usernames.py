"""What a username may be: letters (of any language), digits, dot, dash and underscore; no spaces.

A username is typed at every sign-in, read in the change log and in links: a space, a look-alike
invisible character or markup in it makes two accounts look the same or breaks where it is shown.
`normalise` folds compatibility forms (NFKC: full-width "\uff4a\uff4f" is "jo") and trims the ends; `problem`
says in words what is wrong with the normalised name, or None. Uniqueness regardless of case is
`wfm.names`' job.
"""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _

SHORTEST, LONGEST = 2, 64
PUNCTUATION = "._-"


def normalise(username: str) -> str:
    return unicodedata.normalize("NFKC", username or "").strip()


def _allowed(char: str) -> bool:
    category = unicodedata.category(char)
    return char in PUNCTUATION or category[0] == "L" or category == "Nd"


def problem(username: str) -> str | None:
    name = normalise(username)
    if len(name) < SHORTEST:
        return _("A username has at least %(shortest)s characters.", shortest=SHORTEST)
    if len(name) > LONGEST:
        return _("A username has at most %(longest)s characters.", longest=LONGEST)
    if any(c.isspace() or unicodedata.category(c) in ("Cf", "Zs") for c in name):
        return _("A username has no spaces: use a dot, a dash or an underscore between words (jo.smith).")
    if not all(_allowed(c) for c in name):
        return _("A username holds only letters, digits, dots, dashes and underscores.")
    if not (_allowed(name[0]) and name[0] not in PUNCTUATION and name[-1] not in PUNCTUATION):
        return _("A username starts and ends with a letter or a digit.")
    return None
