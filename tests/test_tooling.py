"""The commit hooks check with the same ruff as `make test`, so a commit the hook accepts passes CI."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_pre_commit_ruff_hook_is_the_ruff_pinned_in_constraints():
    pinned = re.search(r"^ruff==(\S+)$", (ROOT / "constraints.txt").read_text(), re.MULTILINE)
    config = (ROOT / ".pre-commit-config.yaml").read_text()
    hook = re.search(r"repo: https://github.com/astral-sh/ruff-pre-commit\s+rev: v(\S+)", config)
    assert pinned is not None
    assert hook is not None
    assert hook.group(1) == pinned.group(1)
