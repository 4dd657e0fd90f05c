"""The notes a check keeps beside its figures (what it assumed), in the reader's language.

A check stores its notes as the English sentences they were when it ran (`SimulationCheck.notes`, plain
text), so the page reads each one back against these templates to find its values again and shows it
through the translation layer; a note no template matches (an older wording) is shown as it was stored.
"""

from __future__ import annotations

import re

from scheduling.text import Sentence


def N_(template: str) -> str:
    """Marks a template for the catalogue (the extraction reads this name)."""
    return template


DEFERRED = N_(
    "Back-office and e-mail work is not simulated: agents take it when no live contact waits, so it "
    "does not delay live contacts in the simulation."
)
ACTUAL = N_(
    "The actual contacts offered per interval are simulated as the expected counts of random "
    "arrivals, so the simulated days vary around the real ones."
)
SHRINKAGE = N_(
    "The plan counts shrinkage in its headcount (%(shares)s): in each interval the check keeps on the "
    "phones the expected number of planned agents left after it, rounded down (10 agents at 30%% "
    "shrinkage: 7), and takes the others off for that interval. Breaks the plan places are taken where "
    "they are and are not counted again."
)
SHARE = N_("%(share)s in %(queue)s")  # one queue's shrinkage, in SHRINKAGE's list
IDLE = N_(
    "%(count)s shifts of agents holding none of the checked queues' skills (at their minimum level) "
    "answer nothing here and are left out."
)
IDLE_ONE = N_(
    "1 shift of agents holding none of the checked queues' skills (at their minimum level) "
    "answer nothing here and are left out."
)
PATIENCE = N_(
    "Customers waiting in %(queues)s never give up in this check: their requirement assumed "
    "they wait (Erlang C). Where agents are too few, the wait grows until the end of the day, so the "
    "simulated service level there falls further than it would with customers who give up."
)
POOL = N_(
    "The plan covers its %(count)s queues as one pool: the check simulates every "
    "planned agent answering every queue, as if all held every skill. A check of a roster made "
    "from this plan counts the agents' own skills."
)
SEVERAL = N_(
    "Some planned shifts answer several queues (%(count)s planned shifts of %(shifts)s): the check "
    "simulates their agents answering all of them, as if they held every skill those queues need."
)
SEVERAL_ONE = N_(
    "Some planned shifts answer several queues (1 planned shift of %(shifts)s): the check "
    "simulates their agents answering all of them, as if they held every skill those queues need."
)
TEMPLATES = (DEFERRED, ACTUAL, SHRINKAGE, IDLE, IDLE_ONE, PATIENCE, POOL, SEVERAL, SEVERAL_ONE)


def _pattern(template: str) -> re.Pattern:
    pieces = re.split(r"%\((\w+)\)s", template.replace("%%", "%"))
    out = "".join(re.escape(piece) if k % 2 == 0 else f"(?P<{piece}>.+?)" for k, piece in enumerate(pieces))
    return re.compile(out + r"\Z", re.DOTALL)


PATTERNS = [(template, _pattern(template)) for template in TEMPLATES]
SHARE_PATTERN = _pattern(SHARE)


def readable(note: str) -> str:
    """The stored note as a `Sentence` with its values found again, else as it is. At request time: a list
    of shares inside a note is written in the reader's language here."""
    for template, pattern in PATTERNS:
        found = pattern.match(note)
        if found:
            values: dict[str, object] = dict(found.groupdict())
            if "shares" in values:
                values["shares"] = _shares(str(values["shares"]))
            if "queues" in values:
                values["queues"] = _listed(str(values["queues"]).split(", "))
            return Sentence(template, **values)
    return note


def _shares(text: str) -> str:
    from wfm.i18n import translate

    parts = [SHARE_PATTERN.match(part) for part in text.split(", ")]
    if not all(parts):
        return text
    return _listed([translate(Sentence(SHARE, **p.groupdict())) for p in parts])


def _listed(items: list[str]) -> str:
    """Items of a list inside a sentence, with the reader's language's separator."""
    from wfm.i18n import is_chinese

    return ("、" if is_chinese() else ", ").join(items)
