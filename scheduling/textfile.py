"""Reading an input file as text, the same way for every importer: UTF-8, with or without a BOM.

Why here: each reader used to decode on its own (pandas, `Path.read_text`, the web's upload), and a file in
another encoding came out as a bare `UnicodeDecodeError` — a crash, not a message. This module turns it into
`NotText` carrying the line of the first undecodable byte, which each reader reports in its own error type
(file, line, field), so a scheduler who saved a spreadsheet as UTF-16 or Latin-1 is told where and what.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path


class NotText(ValueError):
    """The bytes are not UTF-8 text; `line` is the 1-based line holding the first bad byte."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def decode(data: bytes) -> str:
    """UTF-8 (a leading BOM dropped); UTF-16 and NUL bytes are named, not half-read."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotText(1, "the file is UTF-16 text; save it as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise NotText(
            line, f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8"
        ) from None
    if "\x00" in text:
        raise NotText(text.count("\n", 0, text.index("\x00")) + 1, "holds a NUL byte: not a text file")
    return text


def read_text(source: str | Path | bytes | io.IOBase) -> str:
    """The whole text of a path, bytes, or a text or binary stream (an upload), decoded by `decode`.

    A path ending in `.gz` is decompressed first. `OSError` (a missing or unreadable file) is left to the
    caller, which names the file.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.suffix == ".gz":  # the shipped data files are compressed, as pandas read them before
            with gzip.open(path) as handle:
                try:
                    return decode(handle.read())
                except (OSError, EOFError) as error:
                    raise NotText(1, f"not a readable gzip file ({error})") from None
        return decode(path.read_bytes())
    if isinstance(source, bytes):
        return decode(source)
    data = source.read()
    if isinstance(data, str):
        if "\x00" in data:
            raise NotText(data.count("\n", 0, data.index("\x00")) + 1, "holds a NUL byte: not a text file")
        return data.removeprefix("\ufeff")
    return decode(data)


class NotJSON(ValueError):
    """A file that is not text, or whose text is not JSON; the words say where and why."""


def read_json(source: str | Path | bytes | io.IOBase) -> object:
    """The JSON document of a file, read as `read_text` reads it. Every way it can fail (not UTF-8, a
    syntax error, nesting Python cannot follow, a number with too many digits) is a `NotJSON` saying
    where, so each command reports it the same way. `OSError` is left to the caller, as in `read_text`."""
    try:
        return json.loads(read_text(source))
    except NotText as error:
        raise NotJSON(str(error)) from None
    except json.JSONDecodeError as error:
        raise NotJSON(
            f"line {error.lineno}, column {error.colno}: this is not valid JSON ({error.msg})."
        ) from None
    except RecursionError:
        raise NotJSON("this is not valid JSON here: it is nested too deeply.") from None
    except ValueError:  # an integer longer than Python converts
        raise NotJSON("this is not valid JSON here: a number has too many digits.") from None


def read_json_object(source: str | Path | bytes | io.IOBase, what: str = "scenario") -> dict:
    """`read_json` of a document that must be one JSON object (`what` names it in the refusal)."""
    document = read_json(source)
    if not isinstance(document, dict):
        raise NotJSON(f"{what}: must be a JSON object.")
    return document
