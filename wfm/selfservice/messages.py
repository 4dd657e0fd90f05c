"""Notifications in the reader's language: a notice is stored as its English sentence template and values
(`scheduling.text.Sentence`), and written out when someone reads it, so a scheduler who reads Chinese can
tell an agent who reads English, and each reads their own language.

Values that read differently per language are kept as what they are: `Day` (a date, written by the
reader's date forms), `Count` (a number with its noun, `counted`) and `Listed` (items joined the reader's
way); a value may itself be a Sentence.
`encode` and `decode` turn a Sentence into JSON for the notification row and back. Rows stored before this
(only their English `message`) are shown through the catalogue as they are."""

from __future__ import annotations

import datetime as dt

from flask_babel import force_locale, gettext

from scheduling.text import Sentence
from wfm.i18n.text import translate


class Day:
    """A date in a sentence, written in the reader's form when the sentence is filled in."""

    def __init__(self, day: dt.date) -> None:
        self.day = day

    def __str__(self) -> str:
        from wfm.i18n.dates import written as dated

        return dated(self.day, "day")


class Count:
    """A number and its noun ("3 days" · "3天"), in the reader's language when filled in."""

    def __init__(self, number: float, singular: str, many: str | None = None) -> None:
        self.number, self.singular, self.many = number, singular, many

    def __str__(self) -> str:
        from wfm.formatting import counted

        return counted(self.number, self.singular, self.many)


class Listed:
    """Items (sentences or data) joined by a separator in the reader's language (", " reads "、")."""

    def __init__(self, items: list, separator: str = ", ") -> None:
        self.items, self.separator = list(items), separator

    def __str__(self) -> str:
        separator = gettext("; ") if self.separator == "; " else gettext(", ")
        return separator.join(
            written(item) if isinstance(item, Sentence) else str(item) for item in self.items
        )


def _encode_value(value: object) -> object:
    if isinstance(value, Sentence):
        return {"sentence": encode(value)}
    if isinstance(value, Day):
        return {"day": value.day.isoformat()}
    if isinstance(value, Count):
        return {"count": value.number, "noun": value.singular, "many": value.many}
    if isinstance(value, Listed):
        return {"list": [_encode_value(item) for item in value.items], "separator": value.separator}
    if isinstance(value, int | float):
        return value
    return str(value)


def _decode_value(value: object) -> object:
    if isinstance(value, dict):
        if "sentence" in value:
            return decode(value["sentence"])
        if "day" in value:
            return Day(dt.date.fromisoformat(value["day"]))
        if "list" in value:
            return Listed([_decode_value(item) for item in value["list"]], value["separator"])
        if "count" in value:
            return Count(value["count"], value["noun"], value.get("many"))
    return value


def encode(sentence: str) -> dict:
    """JSON for a Sentence (a plain string is a template without values)."""
    if isinstance(sentence, Sentence):
        return {
            "template": sentence.template,
            "values": {key: _encode_value(value) for key, value in sentence.values.items()},
        }
    return {"template": str(sentence), "values": {}}


def decode(stored: dict) -> Sentence:
    values = {key: _decode_value(value) for key, value in (stored.get("values") or {}).items()}
    return Sentence(stored["template"], **values)


def written(sentence: str) -> str:
    """A Sentence (or a fixed English sentence) in the reader's language, its values filled in then."""
    return translate(sentence)


def written_in(sentence: str, language: str) -> str:
    """The sentence in `language` ("en", "zh_CN"), whoever is reading now (for e-mails and the stored
    English copy)."""
    with force_locale(language):
        return written(sentence)
