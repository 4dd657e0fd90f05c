"""Reading an input file as text, the same way for every importer: UTF-8 (with or without a BOM), or GB18030.

Why here: each reader used to decode on its own (pandas, `Path.read_text`, the web's upload), and a file in
another encoding came out as a bare `UnicodeDecodeError` — a crash, not a message. This module turns it into
`NotText` carrying the line of the first undecodable byte, which each reader reports in its own error type
(file, line, field), so a scheduler who saved a spreadsheet in an encoding we cannot read is told where.

Chinese Excel and Windows save "CSV" in the system code page: GBK, or its superset GB18030. A file is read
as UTF-8 when it is valid UTF-8 (a GBK file almost never is: its two-byte characters break UTF-8's rules
within a line or two), else as GB18030, which reads GBK and GB2312 too. `ENCODINGS` are the choices a form
or a command offers ("auto" does the above; the others read only that encoding).
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from scheduling.text import Sentence

UTF8_BOM = b"\xef\xbb\xbf"
# CSV files we write for people (downloads, the commands' outputs): UTF-8 with a BOM, which is how Excel,
# above all a Chinese one, knows the file is UTF-8 rather than the system code page; `decode` drops it.
SPREADSHEET_ENCODING = "utf-8-sig"
ENCODINGS = ("auto", "utf-8", "gb18030")
_NUL = Sentence("holds a NUL byte: not a text file")


class NotText(ValueError):
    """Bytes that are not text in the encodings tried; `line`: the 1-based line of the first bad byte."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def decode(data: bytes, encoding: str = "auto") -> str:
    """The text of `data`: UTF-8 (a leading BOM dropped) or, with "auto" when it is not UTF-8, GB18030.

    UTF-16, NUL bytes and bytes that no tried encoding reads are refused naming the line."""
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding: {encoding!r} is not one of {', '.join(ENCODINGS)}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotText(1, Sentence("the file is UTF-16 text; save it as UTF-8"))
    tried = ("utf-8",) if data.startswith(UTF8_BOM) else ("utf-8", "gb18030")
    if encoding != "auto":
        tried = (encoding,)
    skip = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    furthest = -1
    for name in tried:
        try:
            text = data[skip:].decode(name).removeprefix("\ufeff")
            break
        except UnicodeDecodeError as error:
            furthest = max(furthest, skip + error.start)
    else:
        raise NotText(
            data.count(b"\n", 0, furthest) + 1, _not_text(tried, f"0x{data[furthest]:02x}")
        ) from None
    if "\x00" in text:
        raise NotText(text.count("\n", 0, text.index("\x00")) + 1, _NUL)
    return text


def _not_text(tried: tuple[str, ...], byte: str) -> Sentence:
    if tried == ("utf-8",):
        return Sentence("not UTF-8 text (byte %(byte)s); save the file as UTF-8 or GB18030", byte=byte)
    if tried == ("gb18030",):
        return Sentence(
            "not GB18030 (GBK) text (byte %(byte)s); save the file as UTF-8 or GB18030", byte=byte
        )
    return Sentence(
        "not UTF-8 or GB18030 (GBK) text (byte %(byte)s); save the file as UTF-8 or GB18030", byte=byte
    )


def read_text(source: str | Path | bytes | io.IOBase, encoding: str = "auto") -> str:
    """The whole text of a path, bytes, or a text or binary stream (an upload), decoded by `decode`.

    A path ending in `.gz` is decompressed first. `OSError` (a missing or unreadable file) is left to the
    caller, which names the file.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.suffix == ".gz":  # the shipped data files are compressed, as pandas read them before
            with gzip.open(path) as handle:
                try:
                    return decode(handle.read(), encoding)
                except (OSError, EOFError) as error:
                    raise NotText(1, f"not a readable gzip file ({error})") from None
        return decode(path.read_bytes(), encoding)
    if isinstance(source, bytes):
        return decode(source, encoding)
    data = source.read()
    if isinstance(data, str):
        if "\x00" in data:
            raise NotText(data.count("\n", 0, data.index("\x00")) + 1, _NUL)
        return data.removeprefix("\ufeff")
    return decode(data, encoding)


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
