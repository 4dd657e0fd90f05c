"""Every noun a page counts with `counted` has its two forms in the catalogue's list (COUNTED_NOUNS), so the
Chinese page shows its measure word instead of the English noun."""

import re
from pathlib import Path

from wfm.formatting import COUNTED_NOUNS, plural

ROOT = Path(__file__).resolve().parents[2]
# x|counted('agent'), counted(x, "agent"), counted(len(rows), 'class', 'classes')
CALL = re.compile(
    r"counted\((?:[^'\"()\[\]]|\([^()]*\)|\[[^\]]*\])*?['\"]([^'\"]+)['\"](?:\s*,\s*['\"]([^'\"]+)['\"])?"
)


def _nouns_used():
    for folder in ("templates", "wfm"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".html", ".py") and path.name != "formatting.py":
                for match in CALL.finditer(path.read_text(encoding="utf-8")):
                    yield path.relative_to(ROOT), match.group(1), match.group(2)


def test_every_counted_noun_is_in_the_catalogue_list():
    listed = {singular: many for singular, many in COUNTED_NOUNS}
    missing = [
        (str(path), f"%(num)s {singular}")
        for path, singular, many in _nouns_used()
        if listed.get(f"%(num)s {singular}") != f"%(num)s {many or plural(singular)}"
    ]
    assert not missing, missing


def test_the_list_finds_the_calls():
    assert len(list(_nouns_used())) > 50
