"""Writing a result frame as CSV column by column: the same bytes as `DataFrame.to_csv`, several times faster.

Why: `to_csv` with a `float_format` formats every float through a Python lambda wrapped in per-value
missing-value checks; on a year of 15-minute intervals for 20 queues (700,800 rows) writing took most of
`wfm staffing`'s time. Here each column is turned into strings once (`float_format % value` for floats,
`str` for whole numbers and text, "" for missing values, CSV quoting only where a field holds a comma, a
quote or a line break) and the lines are joined. Column types this module does not know (dates, booleans,
mixed objects) and the corner cases of the csv module (a one-column frame) go to `to_csv` itself, so the
output never differs.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd


def _needs_quotes_pattern() -> str:
    """Which characters make the csv module quote a field under pandas' line terminator "\n" (a carriage
    return does on some Python versions and not on others: ask the module)."""
    probe = io.StringIO()
    csv.writer(probe, lineterminator="\n").writerow(["a\rb", "c"])
    return r'[,"\r\n]' if probe.getvalue().startswith('"') else r'[,"\n]'


_NEEDS_QUOTES = re.compile(_needs_quotes_pattern())


def write_csv(
    frame: pd.DataFrame, path: str | Path, float_format: str | None = None, encoding: str = "utf-8"
) -> None:
    """`frame.to_csv(path, index=False, float_format=float_format, encoding=encoding)`, byte for byte
    (`scheduling.textfile.SPREADSHEET_ENCODING` for a file people open in a spreadsheet)."""
    columns = _formatted(frame, float_format)
    if columns is None:
        frame.to_csv(path, index=False, float_format=float_format, encoding=encoding)
        return
    header = ",".join(_quoted([str(name) for name in frame.columns]))
    with Path(path).open("w", encoding=encoding, newline="") as handle:
        handle.write(header + "\n")
        handle.write("\n".join(map(",".join, zip(*columns, strict=True))))
        handle.write("\n")


def _formatted(frame: pd.DataFrame, float_format: str | None) -> list[list[str]] | None:
    if frame.shape[1] < 2 or len(frame) == 0 or not frame.columns.is_unique:
        return None
    out = []
    for name in frame.columns:
        column = frame[name]
        text = _column_text(column, float_format)
        if text is None:
            return None
        out.append(text)
    return out


def _column_text(column: pd.Series, float_format: str | None) -> list[str] | None:
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return None
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return list(map(str, column.to_numpy().tolist()))
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        if float_format is None:
            return None  # pandas' own shortest-float formatting: left to it
        values = column.to_numpy()
        if not (np.signbit(values) & (values == 0)).any():  # -0.0 and 0.0 would share one key
            codes, uniques = pd.factorize(values)  # NaN gets code -1: the "" at the end
            if (
                len(uniques) <= len(values) // 2
            ):  # repeated figures (service levels of quiet hours): format once
                return np.array([float_format % v for v in uniques.tolist()] + [""], dtype=object)[
                    codes
                ].tolist()
        text = [float_format % value for value in values.tolist()]
        for index in np.flatnonzero(np.isnan(values)).tolist():
            text[index] = ""
        return text
    if pd.api.types.is_string_dtype(dtype):
        values = column.to_numpy(dtype=object)
        missing = pd.isna(values)
        if missing.any():
            values = values.copy()
            values[missing] = ""
        if pd.api.types.infer_dtype(values, skipna=False) != "string":
            return None
        return _quoted(values.tolist())
    return None


def _quoted(values: list[str]) -> list[str]:
    """The csv module's minimal quoting: fields with a comma, quote or line break in double quotes."""
    if not _NEEDS_QUOTES.search("\x00".join(values)):  # the usual case, one scan in C
        return values
    return [
        '"' + value.replace('"', '""') + '"' if _NEEDS_QUOTES.search(value) else value for value in values
    ]
