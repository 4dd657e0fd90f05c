"""The one error a state change raises when the person can fix the input: the field to mark and a sentence.

Operations (`*/operations.py` and the feature modules they use) raise `FieldError` or a subclass naming the
form field or JSON key at fault; `wfm.unit_of_work.committed` rolls the session back, puts the message next
to that field (or answers 400/422 in the API) and never commits half a change. Subclasses only give the
refusal a name that says where it comes from (a swap, a token, a plan…); they add no state.
"""

from __future__ import annotations


class FieldError(ValueError):
    """`field`: the input at fault (a form field name or a JSON key); `message`: what to do, in words."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message
