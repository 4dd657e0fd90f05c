"""`python -m wfm.i18n compile | missing [PATH...] | extract PART PATH... | conflicts` (see wfm/i18n)."""

from __future__ import annotations

import sys

from wfm.i18n import catalogue


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("compile", "missing", "extract", "conflicts"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "compile":
        print(catalogue.compile_catalogue())
    elif command == "missing":
        left = catalogue.missing(rest or None)
        for text, path, line in left:
            print(f"{catalogue._relative(path)}:{line}: {text!r}")
        print(f"{len(left)} untranslated", file=sys.stderr)
        return 1 if left else 0
    elif command == "extract":
        if len(rest) < 2:
            print("extract PART PATH...", file=sys.stderr)
            return 2
        print(f"{catalogue.add_missing(rest[0], rest[1:])} messages added to wfm/i18n/zh_CN/{rest[0]}.po")
    else:
        for message, translations in catalogue.conflicts():
            print(f"{message!r}: {translations}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
