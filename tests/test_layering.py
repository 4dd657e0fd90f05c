"""The engines stay free of the web layer: scheduling/ and training/ never import flask, sqlalchemy or wfm."""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FORBIDDEN = ("flask", "sqlalchemy", "wfm", "flask_login", "flask_wtf", "flask_sqlalchemy", "flask_migrate")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def forbidden_imports(package: Path) -> list[str]:
    problems = []
    for path in sorted(package.rglob("*.py")):
        for line, module in imported_modules(path):
            if module.split(".")[0] in FORBIDDEN:
                problems.append(f"{path.relative_to(REPO)}:{line} imports {module}")
    return problems


@pytest.mark.parametrize("package", ["scheduling", "training"])
def test_engine_packages_do_not_import_the_web_layer(package):
    assert (REPO / package).is_dir()
    assert forbidden_imports(REPO / package) == []


def test_the_check_catches_a_forbidden_import(tmp_path):
    (tmp_path / "bad.py").write_text("import os\nfrom sqlalchemy.orm import Session\n")
    global REPO
    saved, REPO = REPO, tmp_path
    try:
        assert forbidden_imports(tmp_path) == ["bad.py:2 imports sqlalchemy.orm"]
    finally:
        REPO = saved
