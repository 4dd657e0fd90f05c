"""How numbers and counts are written for people, in one place.

Templates use these as filters (`|num`, `|pct`, `|band`, `|hours`, `|signed`, `|counted`) and Python
messages call the functions, so a page never formats a figure inline. The group and decimal separators and
the percent sign are the reader's locale's, from Babel (CLDR; English and Chinese both write 1,234.5 and
25%, so the figures read the same in both); `counted` looks "%(num)s agent" / "%(num)s agents" up in the
catalogue (Chinese has one form with its measure word: "%(num)s 名坐席"), so every noun it is given must be
in COUNTED_NOUNS (tests/i18n/test_counted_nouns.py checks the code).
"""

from __future__ import annotations

from functools import cache

from babel import Locale
from flask import Flask
from flask_babel import get_locale, get_translations
from flask_babel import gettext as _


def plural_noop(singular: str, many: str) -> tuple[str, str]:
    """Marks a count's two English forms for the catalogue (the extraction reads this name)."""
    return singular, many


# Every noun `counted` is given, with its count, as the catalogue holds it.
COUNTED_NOUNS = [
    plural_noop("%(num)s agent", "%(num)s agents"),
    plural_noop("%(num)s agent-interval", "%(num)s agent-intervals"),
    plural_noop("%(num)s agent-hour", "%(num)s agent-hours"),
    plural_noop("%(num)s agent state", "%(num)s agent states"),
    plural_noop("%(num)s block", "%(num)s blocks"),
    plural_noop("%(num)s cell", "%(num)s cells"),
    plural_noop("%(num)s class", "%(num)s classes"),
    plural_noop("%(num)s day", "%(num)s days"),
    plural_noop("%(num)s earlier one", "%(num)s earlier ones"),
    plural_noop("%(num)s evidence item", "%(num)s evidence items"),
    plural_noop("%(num)s event", "%(num)s events"),
    plural_noop("%(num)s fewer contact", "%(num)s fewer contacts"),
    plural_noop("%(num)s field", "%(num)s fields"),
    plural_noop("%(num)s history row", "%(num)s history rows"),
    plural_noop("%(num)s hour", "%(num)s hours"),
    plural_noop("%(num)s interval", "%(num)s intervals"),
    plural_noop("%(num)s leaver", "%(num)s leavers"),
    plural_noop("%(num)s level", "%(num)s levels"),
    plural_noop("%(num)s minute", "%(num)s minutes"),
    plural_noop("%(num)s month", "%(num)s months"),
    plural_noop("%(num)s more contact", "%(num)s more contacts"),
    plural_noop("%(num)s more day", "%(num)s more days"),
    plural_noop("%(num)s new event", "%(num)s new events"),
    plural_noop("%(num)s new interval", "%(num)s new intervals"),
    plural_noop("%(num)s place", "%(num)s places"),
    plural_noop("%(num)s planned shift", "%(num)s planned shifts"),
    plural_noop("%(num)s point", "%(num)s points"),
    plural_noop("%(num)s promotion", "%(num)s promotions"),
    plural_noop("%(num)s repeat", "%(num)s repeats"),
    plural_noop("%(num)s request", "%(num)s requests"),
    plural_noop("%(num)s round", "%(num)s rounds"),
    plural_noop("%(num)s run", "%(num)s runs"),
    plural_noop("%(num)s second", "%(num)s seconds"),
    plural_noop("%(num)s session", "%(num)s sessions"),
    plural_noop("%(num)s shift", "%(num)s shifts"),
    plural_noop("%(num)s simulated run", "%(num)s simulated runs"),
    plural_noop("%(num)s start", "%(num)s starts"),
    plural_noop("%(num)s swap or offer", "%(num)s swaps and offers"),
    plural_noop("%(num)s training session", "%(num)s training sessions"),
    plural_noop("%(num)s unpublished edit", "%(num)s unpublished edits"),
    plural_noop("%(num)s week", "%(num)s weeks"),
    plural_noop("%(num)s agent-period", "%(num)s agent-periods"),
    plural_noop("%(num)s hard rule", "%(num)s hard rules"),
    plural_noop("%(num)s item", "%(num)s items"),
    plural_noop("%(num)s more interval", "%(num)s more intervals"),
    plural_noop("%(num)s more month", "%(num)s more months"),
    plural_noop("%(num)s more problem", "%(num)s more problems"),
    plural_noop("%(num)s problem", "%(num)s problems"),
    plural_noop("%(num)s queue", "%(num)s queues"),
    plural_noop("%(num)s roster", "%(num)s rosters"),
    plural_noop("%(num)s row", "%(num)s rows"),
    plural_noop("%(num)s skilled agent", "%(num)s skilled agents"),
    plural_noop("%(num)s template", "%(num)s templates"),
]

# Nouns whose plural is not the singular plus "s".
IRREGULAR_PLURALS = {
    "person": "people",
    "activity": "activities",
    "wish": "wishes",
    "entry": "entries",
    "class": "classes",
    "swap or offer": "swaps and offers",
}


@cache
def _symbols(locale: str) -> dict[int, str] | None:
    """How the locale's separators and percent sign differ from Python's (",", ".", "%"); None: they don't."""
    symbols = Locale.parse(locale).number_symbols["latn"]
    mapping = {",": symbols["group"], ".": symbols["decimal"], "%": symbols["percentSign"]}
    changed = {ord(python): written for python, written in mapping.items() if python != written}
    return changed or None


def _localised(figure: str) -> str:
    locale = get_locale()
    table = _symbols(str(locale)) if locale is not None else None
    return figure.translate(table) if table else figure


def num(value: float | None, digits: int = 0) -> str:
    """A figure with thousands separators and a fixed number of decimals; an em dash when unknown."""
    if value is None:
        return "—"
    return _localised(f"{value:,.{digits}f}")


def pct(share: float | None, digits: int = 0, signed: bool = False) -> str:
    """A share (0.25) as a percentage ("25%"); `signed` for a change ("+25%")."""
    if share is None:
        return "—"
    return _localised(f"{share * 100:{'+' if signed else ''},.{digits}f}%")


def band(pair: list[float | None] | tuple | None, digits: int = 1) -> str:
    """A range of shares (a confidence band: [0.89, 0.894]) as "89.0% – 89.4%"; empty when there is none."""
    if not pair or pair[0] is None or pair[1] is None:
        return ""
    return f"{pct(pair[0], digits)} – {pct(pair[1], digits)}"


def hours(value: float | None, digits: int = 1) -> str:
    """Hours as a figure, without the word (pages put the unit in the heading or after it)."""
    return num(value, digits)


def signed(value: float | None, digits: int = 0) -> str:
    """A change, always with its sign ("+3", "-1", "+0")."""
    if value is None:
        return "—"
    return _localised(f"{value:+,.{digits}f}")


def plain(value: float | None) -> str:
    """A figure with as many decimals as it has (2, 2.5), for days and other counts that may be halves."""
    if value is None:
        return "—"
    return f"{value:g}"


def plural(noun: str) -> str:
    if noun in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[noun]
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def counted(value: float, singular: str, many: str | None = None, digits: int | None = None) -> str:
    """A count with its noun in the right number: "1 agent", "3 agents", "0 agents", "1.5 days".

    `digits` fixes the decimals (None: as many as the value has); the noun is singular only when the
    figure as written is exactly 1."""
    figure = plain(value) if digits is None else num(value, digits)
    many = many or plural(singular)
    # The figure as written decides the form; Chinese has one form (a measure word, no plural).
    form = get_translations().ungettext(f"%(num)s {singular}", f"%(num)s {many}", 1 if figure == "1" else 2)
    return form % {"num": figure}


def bound_sentence(objective: float | None, bound: float | None) -> str:
    """How a solved roster's cost stands against the best the solver proved possible, in words."""
    if bound is None or objective is None:
        return _("No bound was proved by the solver for this roster.")
    if objective <= bound:
        return _("Best possible: %(bound)s (proved by the solver); this roster reaches it.", bound=num(bound))
    if bound <= 0:
        return _(
            "Best possible: %(bound)s (proved by the solver); this roster costs %(more)s more.",
            bound=num(bound),
            more=num(objective - bound),
        )
    return _(
        "Best possible: %(bound)s (proved by the solver); this roster is %(above)s above it.",
        bound=num(bound),
        above=pct((objective - bound) / bound, 1),
    )


def install(app: Flask) -> None:
    for name, function in (
        ("num", num),
        ("pct", pct),
        ("band", band),
        ("hours", hours),
        ("signed", signed),
        ("plain", plain),
        ("counted", counted),
        ("bound_sentence", bound_sentence),
    ):
        app.add_template_filter(function, name)
