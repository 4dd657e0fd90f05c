"""Cells of every CSV the product writes, safe to open in a spreadsheet.

A cell starting with `=`, `+`, `-` or `@` (or a tab or carriage return before one) is a formula to Excel,
LibreOffice and Google Sheets: an agent named `=HYPERLINK("https://evil.example","x")` or a queue called
`@SUM(...)` would run as one in the scheduler's spreadsheet (CSV or formula injection). Text cells that
start so are written with a leading apostrophe, which spreadsheets show as text and hide; numbers are
numbers and are left alone (a negative number is not a formula). Readers of the product's own files
(`read_solution`) take the apostrophe off again with :func:`restore_cell`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value`, with an apostrophe in front when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(v) for v in values]


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells (and column names) are safe; numeric columns are untouched."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = _safe_column(out[column])
    out.columns = [safe_cell(c) for c in out.columns]
    return out


def _safe_column(column: pd.Series) -> pd.Series:
    """`column` with `safe_cell` applied to the cells whose first character could start a formula (found by
    numpy over the whole column at once: a year of intervals is hundreds of thousands of cells)."""
    values = column.to_numpy(dtype=object)
    first = values.astype("U1")  # each cell's first character (of its text form; `safe_cell` decides)
    suspects = np.flatnonzero(np.isin(first, FORMULA_START))
    if not len(suspects):
        return column
    out = column.astype(object)
    out.iloc[suspects] = [safe_cell(v) for v in values[suspects]]
    return out


def restore_cell(text: str) -> str:
    """The value :func:`safe_cell` was given (for reading back a file the product wrote)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text
