"""The Chinese catalogue: parts per area merged into one compiled catalogue; extraction and the check.

Parts are `wfm/i18n/zh_CN/*.po`, read in name order; where two parts translate the same message, the first
non-empty translation wins (and `conflicts` lists them). The merged catalogue is compiled into
`wfm/i18n/compiled/zh/LC_MESSAGES/messages.mo`, rebuilt whenever a part is newer than it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parent
PROJECT = PACKAGE.parent.parent
PARTS = PACKAGE / "zh_CN"
COMPILED = PACKAGE / "compiled"
# Under "zh": Babel names the reader's locale zh_Hans_CN, and gettext falls back from it to "zh".
COMPILED_MO = COMPILED / "zh" / "LC_MESSAGES" / "messages.mo"
MANIFEST = COMPILED / "parts.txt"  # the parts the compiled catalogue was made from

# Where messages are written, and how each kind of file is read.
SOURCES = ("wfm", "scheduling", "training", "templates")
METHODS = [
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
    ("templates/**.ics", "jinja2"),
    ("**.py", "python"),
]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "lazy_ngettext": (1, 2),
    "N_": None,
    "plural_noop": (1, 2),
    "Sentence": None,
    "pgettext": ((1, "c"), 2),
}
JINJA_OPTIONS = {"extensions": "jinja2.ext.do,jinja2.ext.loopcontrols", "trimmed": "false"}


def part_files() -> list[Path]:
    return sorted(PARTS.glob("*.po"))


def read_part(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale="zh_CN", domain="messages")


def merged() -> Catalog:
    """Every part in one catalogue: the first non-empty translation of each message wins."""
    catalogue = Catalog(locale="zh_CN", domain="messages", project="WFM")
    for path in part_files():
        for message in read_part(path):
            if not message.id or not _translated(message.string):
                continue
            found = catalogue.get(message.id, context=message.context)
            if found is not None and _translated(found.string):
                continue
            catalogue.add(message.id, message.string, flags=message.flags, context=message.context)
    return catalogue


def conflicts() -> list[tuple[str, list[str]]]:
    """Messages two parts translate differently (the first part's wins)."""
    seen: dict[str, set[str]] = {}
    for path in part_files():
        for message in read_part(path):
            if message.id and _translated(message.string):
                where = f"{message.context} | {_key(message.id)}" if message.context else _key(message.id)
                seen.setdefault(where, set()).add(_key(message.string))
    return [(key, sorted(values)) for key, values in seen.items() if len(values) > 1]


def ensure_compiled() -> Path:
    """Compile the merged catalogue unless it was compiled from exactly the parts there are now (names,
    sizes and times: a part added, changed or deleted recompiles)."""
    if COMPILED_MO.exists() and MANIFEST.exists() and MANIFEST.read_text(encoding="utf-8") == _manifest():
        return COMPILED_MO
    return compile_catalogue()


def _manifest() -> str:
    return "\n".join(f"{path.name} {path.stat().st_size} {path.stat().st_mtime_ns}" for path in part_files())


def compile_catalogue() -> Path:
    COMPILED_MO.parent.mkdir(parents=True, exist_ok=True)
    catalogue = merged()
    # Written aside and moved into place, so a second process starting at the same moment reads either the
    # old file or the new one, never half of one.
    handle, temporary = tempfile.mkstemp(dir=COMPILED_MO.parent, suffix=".mo")
    with os.fdopen(handle, "wb") as out:
        write_mo(out, catalogue, use_fuzzy=False)
    os.chmod(temporary, 0o644)
    os.replace(temporary, COMPILED_MO)
    MANIFEST.write_text(_manifest(), encoding="utf-8")
    return COMPILED_MO


def extracted(paths: Iterable[str | Path] | None = None) -> Iterator[tuple[str | tuple, Path, int]]:
    """(message id, file, line) for every message written in the given files or folders (default: all)."""
    for given in paths or [PROJECT / name for name in SOURCES]:
        path = Path(given).resolve()
        if path.is_dir():
            for filename, lineno, message, _comments, _context in extract_from_dir(
                str(path),
                method_map=_method_map(path),
                options_map={"**.html": JINJA_OPTIONS, "templates/**.html": JINJA_OPTIONS},
                keywords=KEYWORDS,
            ):
                yield message, path / filename, lineno
        elif path.is_file():
            method = "python" if path.suffix == ".py" else "jinja2"
            options = JINJA_OPTIONS if method == "jinja2" else {}
            for lineno, message, _comments, _context in extract_from_file(
                method, str(path), keywords=KEYWORDS, options=options
            ):
                yield message, path, lineno


def _method_map(folder: Path) -> list[tuple[str, str]]:
    if folder.name == "templates" or folder.parent.name == "templates" or "templates" in folder.parts:
        return [("**.html", "jinja2"), ("**.txt", "jinja2"), ("**.ics", "jinja2")]
    return [("**.py", "python")]


def message_ids(message: str | tuple) -> list[str]:
    """A singular and its plural are two messages to translate."""
    if isinstance(message, tuple):
        return [part for part in message if part]
    return [message] if message else []


def missing(paths: Iterable[str | Path] | None = None) -> list[tuple[str, Path, int]]:
    """Messages with no Chinese translation in any part, with where they are written."""
    catalogue = merged()
    translated = {_key(message.id) for message in catalogue if message.id and _translated(message.string)}
    found: dict[str, tuple[str, Path, int]] = {}
    for message, path, line in extracted(paths):
        if (
            isinstance(message, tuple)
            and message[0] in catalogue
            and _translated(catalogue[message[0]].string)
        ):
            continue
        for text in message_ids(message):
            if text not in translated and _key(message) not in translated and text not in found:
                found[text] = (text, path, line)
    return list(found.values())


def add_missing(part: str, paths: Iterable[str | Path]) -> int:
    """Add to the part every message in `paths` that no part translates yet, with an empty translation."""
    target = PARTS / f"{part}.po"
    PARTS.mkdir(parents=True, exist_ok=True)
    catalogue = read_part(target) if target.exists() else Catalog(locale="zh_CN", project="WFM")
    found = merged()
    translated = {_key(message.id) for message in found if message.id and _translated(message.string)}
    added = 0
    for message, path, line in extracted(paths):
        key = _key(message)
        if key in translated or message in catalogue:
            continue
        catalogue.add(
            message, "" if not isinstance(message, tuple) else ("", ""), locations=[(_relative(path), line)]
        )
        added += 1
    with target.open("wb") as out:
        write_po(out, catalogue, width=110, omit_header=False, sort_output=False)
    return added


def _translated(string: str | tuple | None) -> bool:
    if isinstance(string, tuple):
        return any(string)
    return bool(string)


def _key(message: str | tuple) -> str:
    return message[0] if isinstance(message, tuple) else message


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT))
    except ValueError:
        return str(path)
