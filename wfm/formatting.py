"""How numbers and counts are written for people, in one place.

Templates use these as filters (`|num`, `|pct`, `|band`, `|hours`, `|signed`, `|counted`) and Python
messages call the functions, so a page never formats a figure inline and the translation layer that comes
later replaces one module: the plural rule in `counted` is English (one, else many) and is the part that
changes per language.
"""

from __future__ import annotations

from flask import Flask

# Nouns whose plural is not the singular plus "s".
IRREGULAR_PLURALS = {"person": "people", "activity": "activities", "wish": "wishes", "entry": "entries"}


def num(value: float | None, digits: int = 0) -> str:
    """A figure with thousands separators and a fixed number of decimals; an em dash when unknown."""
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def pct(share: float | None, digits: int = 0, signed: bool = False) -> str:
    """A share (0.25) as a percentage ("25%"); `signed` for a change ("+25%")."""
    if share is None:
        return "—"
    return f"{share * 100:{'+' if signed else ''},.{digits}f}%"


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
    return f"{value:+,.{digits}f}"


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
    noun = singular if figure == "1" else (many or plural(singular))
    return f"{figure} {noun}"


def bound_sentence(objective: float | None, bound: float | None) -> str:
    """How a solved roster's cost stands against the best the solver proved possible, in words."""
    if bound is None or objective is None:
        return "No bound was proved by the solver for this roster."
    said = f"Best possible: {num(bound)} (proved by the solver); this roster"
    if objective <= bound:
        return f"{said} reaches it."
    if bound <= 0:
        return f"{said} costs {num(objective - bound)} more."
    return f"{said} is {pct((objective - bound) / bound, 1)} above it."


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
