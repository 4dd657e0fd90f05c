"""Writing a message in the reader's language: a `scheduling.text.Sentence` from the engine or a stored
notice (its template looked up, its values filled in again, each written for the reader), or a literal
English sentence looked up as it is. Apart from the package so modules the web layer's views import (the
notices) can use it without an import circle."""

from __future__ import annotations

from flask_babel import gettext

from scheduling.text import Sentence


def translate(message: object) -> str:
    """A message from the engine (a `scheduling.text.Sentence` keeps its template and values) or a literal
    English sentence, in the reader's language; anything else as it is."""
    if isinstance(message, Sentence):
        values = {
            key: translate(value) if isinstance(value, Sentence) else value
            for key, value in message.values.items()
        }
        translated = gettext(message.template)
        return translated % values if values else translated
    if isinstance(message, str):
        return gettext(message) if message else message
    return str(message)


def label(table: dict, code: object) -> str:
    """A stored code in words from `table` (code -> lazy translation); an unknown code as it is, with its
    underscores as spaces; nothing for None."""
    if code is None:
        return ""
    found = table.get(str(code))
    return str(found) if found is not None else str(code).replace("_", " ")
