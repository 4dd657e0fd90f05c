"""The engines stay free of the web layer: scheduling/ and training/ never import flask, sqlalchemy or wfm;
and no project module imports itself back through others (no import circles among wfm, scheduling and
training)."""

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


# Import circles --------------------------------------------------------------------------------------------
#
# The graph has an edge A -> B for every `import B` / `from B import x` in A that names a project module,
# wherever the import stands: at module level, and inside functions too. A deferred import only hides a
# circle until the call (and is how the circles this test removed were kept alive), so it counts. Relative
# imports are resolved; `from package import name` is an edge to `package.name` when that is a module, else
# to `package`. Importing a module also runs its parent packages' __init__, which is not an edge here: a
# package's __init__ re-exporting its modules is not a circle of the code's own making.
#
# One import does not count: of the application factory `wfm` itself (`from wfm import create_app`). The
# factory is the composition root: it imports every feature to register it, and the worker and CLI entry
# points import it to build an app; that edge closes a loop through every feature by design.
PACKAGES = ("wfm", "scheduling", "training")
COMPOSITION_ROOT = "wfm"

# Circles being removed elsewhere, each spelled as the set of its modules. Only exactly these may remain:
# a new circle, or one of these growing, fails; and so does an entry whose circle is gone, so the list
# empties as the work lands.
KNOWN_CIRCLES: list[frozenset[str]] = []


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path, packages=PACKAGES) -> dict[str, set[str]]:
    """Project module -> the project modules it imports (anywhere in its code)."""
    paths = {module_name(p, root): p for package in packages for p in sorted((root / package).rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        is_package = path.name == "__init__.py"
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names if alias.name in paths}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = module.split(".") if is_package else module.split(".")[:-1]
                    package = package[: len(package) - (node.level - 1)]
                    base = ".".join([*package, base] if base else package)
                for alias in node.names:
                    if f"{base}.{alias.name}" in paths:
                        targets.add(f"{base}.{alias.name}")
                    elif base in paths:
                        targets.add(base)
        graph[module] = targets - {module, COMPOSITION_ROOT}
    return graph


def circles(graph: dict[str, set[str]]) -> list[tuple[frozenset[str], list[str]]]:
    """Each circle: the strongly connected group of modules (Tarjan), and one way round it (a -> b -> a)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(group)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [(frozenset(group), _path_round(group, graph)) for group in groups]


def _path_round(group: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest way from the group's first module back to itself, staying in the group."""
    start = min(group)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for v in frontier:
            for w in sorted(graph[v] & group):
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [start, *reversed(path[:-1]), start] if v != start else [start, start]
                if w not in came_from:
                    came_from[w] = v
                    following.append(w)
        frontier = following
    raise AssertionError(f"no way round {sorted(group)}")


def test_no_import_circles_among_project_modules():
    found = circles(import_graph(REPO))
    unexpected = [
        f"{' -> '.join(path)} (of {', '.join(sorted(group))})"
        for group, path in found
        if group not in KNOWN_CIRCLES
    ]
    gone = [sorted(group) for group in KNOWN_CIRCLES if group not in {group for group, _path in found}]
    assert gone == [], "these circles are gone: delete them from KNOWN_CIRCLES"
    assert unexpected == [], "import circles (break each with a module both sides import):\n" + "\n".join(
        unexpected
    )


def test_the_circle_check_finds_a_circle_through_a_function_level_import(tmp_path):
    package = tmp_path / "wfm"
    (package / "feature").mkdir(parents=True)
    (package / "__init__.py").write_text("def create_app():\n    from wfm.feature import views\n")
    (package / "feature" / "__init__.py").write_text("")
    (package / "feature" / "views.py").write_text(
        "from wfm.feature.forms import Form\nfrom wfm import create_app\n"
    )
    (package / "feature" / "forms.py").write_text("def helper():\n    from . import views\n")
    (package / "feature" / "pages.py").write_text("from wfm.feature import forms\n")
    graph = import_graph(tmp_path, packages=("wfm",))
    assert graph["wfm.feature.views"] == {"wfm.feature.forms"}  # the factory's own import is no edge back
    assert circles(graph) == [
        (
            frozenset({"wfm.feature.forms", "wfm.feature.views"}),
            ["wfm.feature.forms", "wfm.feature.views", "wfm.feature.forms"],
        )
    ]
