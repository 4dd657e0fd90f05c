"""Vectorised checks of text columns read as strings, for files of hundreds of thousands of rows.

pandas' string methods call Python once per value (no pyarrow here): stripping six columns of a year of
15-minute intervals for 20 queues (700,800 rows) took 4 of the 11 seconds its reading took. Most files have
no stray spaces and well-formed values, so each helper first scans the column's values joined into one
text with one regular-expression search (in C), and falls back to the per-value method only when that scan
finds something to do, or cannot answer (a value holding a line break).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_EDGE_SPACE = re.compile(r"^\s|\s$", re.MULTILINE)
_ASCII_SPACE = " \t\r\x0b\x0c"
_NOT_PLAIN_NUMBERS = re.compile(r"[^0-9.eE+\-\n]")


def _joined(column: pd.Series) -> str | None:
    """The values joined by line breaks, or None when a value holds one itself (lines would not be values)."""
    values = column.tolist()
    text = "\n".join(values)
    return text if text.count("\n") == max(len(values) - 1, 0) else None


def stripped(column: pd.Series) -> pd.Series:
    """`column.str.strip()`, without a call per value when no value has space at either end."""
    text = _joined(column)
    if text is not None and not _edge_space(text):
        return column
    return column.str.strip()


def _edge_space(text: str) -> bool:
    """Some line of `text` starts or ends with white space (substring tests in C for ASCII text; the
    regular expression, slower, for text that may hold other white space)."""
    if not text:
        return False
    if not text.isascii():
        return _EDGE_SPACE.search(text) is not None
    return (
        text[0] in _ASCII_SPACE
        or text[-1] in _ASCII_SPACE
        or any(f"\n{c}" in text or f"{c}\n" in text for c in _ASCII_SPACE)
    )


def matching(column: pd.Series, pattern: str) -> pd.Series:
    """`column.str.match(pattern)` for a pattern anchored with ^ and $: all True at once when every value
    matches."""
    text = _joined(column)
    if text is not None and len(column) and len(re.findall(pattern, text, re.MULTILINE)) == len(column):
        return pd.Series(True, index=column.index)
    return column.str.match(pattern)


def numbers(column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """`pd.to_numeric(column.str.strip(), errors="coerce")` and where the stripped value is empty, stripping
    only the values that do not read as given (most do: pandas reads spaces around a number). A column of
    plain decimal numbers only (no blank, no other character) is read by numpy at once, as floats."""
    text = _joined(column)
    if text is not None and len(column) and _NOT_PLAIN_NUMBERS.search(text) is None:
        try:
            parsed = np.array(text.split("\n"), dtype=float)
        except ValueError:  # "1e", "+-2", a blank: the general way says which
            pass
        else:
            return pd.Series(parsed, index=column.index), pd.Series(False, index=column.index)
    values = pd.Series(pd.to_numeric(column, errors="coerce"), index=column.index)
    blank = column == ""
    odd = values.isna() & ~blank
    if odd.any():
        again = column[odd].str.strip()
        values[odd] = pd.to_numeric(again, errors="coerce")
        blank[odd] = again == ""
    return values, blank
