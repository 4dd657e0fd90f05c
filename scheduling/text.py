"""A sentence for a person, written by the engine, that the web layer can still translate.

The engine may not import the web layer's translation functions, yet some of its messages reach pages
(validation errors in an uploaded file, why a solve failed). `Sentence` is an ordinary English `str`, so
everything that prints it keeps working, and it keeps its template and values, so the web layer can look
the template up in the catalogue and fill the values in again (`wfm.i18n.translate`).
"""

from __future__ import annotations


class Sentence(str):
    """`Sentence("line %(line)s: %(field)s is not a number", line=3, field="volume")`."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, **values: object) -> Sentence:
        made = super().__new__(cls, template % values if values else template)
        made.template = template
        made.values = values
        return made

    def __reduce__(self):  # pickles (job results, caches) keep the template and values
        return (_rebuild, (self.template, self.values))


def _rebuild(template: str, values: dict[str, object]) -> Sentence:
    return Sentence(template, **values)
