"""Form validators shared by every feature's forms.

`NumberRange` is WTForms' own, except that a number too large for a float (a 400-digit integer typed into a
field) is refused with the field's own range message instead of raising `OverflowError` (a server error),
and refused as too large where the range has no upper end.
"""

from __future__ import annotations

import math

from flask_babel import gettext as _
from wtforms.validators import NumberRange as _NumberRange
from wtforms.validators import ValidationError


class NumberRange(_NumberRange):
    def __call__(self, form, field):
        try:
            super().__call__(form, field)
        except OverflowError:
            data = field.data
            field.data = math.inf if data > 0 else -math.inf
            try:
                super().__call__(form, field)  # the range's own message, where it has that end
            finally:
                field.data = data
            raise ValidationError(_("Number is too large.")) from None
