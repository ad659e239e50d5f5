"""The import graph of app/ keeps its layers: a developer adding an import that points up a
layer, or a feature using another one it has not declared, or any package cycle, sees this
test fail with the file and line of the import.

Every `import` and `from … import` counts, inside functions too (an import tucked into a
function still ties the two packages together); only `if TYPE_CHECKING:` blocks, which
never run, are left out. The layers are named here and nowhere else (docs/architecture.md
explains them).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Lowest first: a unit may import from its own layer and the layers below, never above.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # What every feature shares: extensions, the core, pictures, markdown, languages, metrics.
    (
        "core",
        ("app.extensions", "app.core", "app.media", "app.markup", "app.i18n", "app.inputs", "app.observability"),
    ),
    ("models", ("app.models",)),
    # Request plumbing that stores rows: one-time form tokens and edit versions.
    ("shared", ("app.edits",)),
    (
        "features",
        (
            "app.auth",
            "app.notifications",
            "app.catalog",
            "app.listings",
            "app.forum",
            "app.chat",
            "app.profile",
            "app.support",
            "app.admin",
            "app.main",
            "app.seo",
            "app.payments",
        ),
    ),
    # Wiring: create_app, the CLI, and the one table of periodic tasks (it names features' functions).
    ("factory", ("app", "app.cli", "app.schedule")),
)

# Features use one another only as declared here: {feature: the features it may import}.
FEATURE_USES: dict[str, set[str]] = {
    "app.auth": {"app.notifications"},  # account mails
    "app.notifications": set(),
    "app.catalog": set(),
    "app.listings": {
        "app.catalog",
        "app.notifications",
        "app.auth",
        "app.payments",
    },  # makes; alerts; bench sellers; promotions sold
    "app.forum": {"app.listings", "app.notifications", "app.auth"},  # listing cards; replies; roles
    "app.chat": {"app.listings", "app.notifications", "app.auth"},  # listing cards; "new message"; usernames
    "app.profile": {"app.listings", "app.forum", "app.notifications", "app.auth"},  # what a profile shows
    "app.support": {"app.notifications"},  # staff's and requesters' notifications and mails
    "app.admin": {"app.notifications", "app.auth", "app.main"},  # warnings; roles; the static pages
    "app.main": {"app.catalog", "app.listings"},  # the home page
    "app.seo": {"app.listings", "app.forum"},  # the sitemap lists what search shows; the forum's cache
    # orders, providers, promo codes; products come in through register_product, so it uses
    # no other feature but the role checks
    "app.payments": {"app.auth"},
}


def unit_of(module: str) -> str:
    """The package an import belongs to: `app.listings.search` → `app.listings`."""
    parts = module.split(".")
    return ".".join(parts[:2])


def layer_of(unit: str) -> int:
    for index, (_, units) in enumerate(LAYERS):
        if unit in units:
            return index
    raise AssertionError(f"{unit} is in no layer: add it to LAYERS in tests/main/test_architecture.py")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


class Imports(ast.NodeVisitor):
    """(imported module, line) for every import in a module, skipping `if TYPE_CHECKING:`."""

    def __init__(self, module: str, is_package: bool) -> None:
        self.package = module if is_package else module.rpartition(".")[0]
        self.found: list[tuple[str, int]] = []

    def visit_If(self, node: ast.If) -> None:
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self.found.extend((alias.name, node.lineno) for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            package = self.package.split(".")[: len(self.package.split(".")) - node.level + 1]
            base = ".".join([*package, *([base] if base else [])])
        for alias in node.names:
            # `from app import media` imports the module app.media; `from app.x import y` the module app.x
            name = f"{base}.{alias.name}"
            self.found.append((name if is_module(name) else base, node.lineno))


def import_edges() -> Iterator[tuple[str, str, str]]:
    """(importing unit, imported unit, "file:line") for every import between two units of app/."""
    for path in sorted((ROOT / "app").rglob("*.py")):
        module = module_name(path)
        visitor = Imports(module, path.name == "__init__.py")
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        for imported, line in visitor.found:
            if imported == "app" or imported.startswith("app."):
                source, target = unit_of(module), unit_of(imported)
                if source != target:
                    yield source, target, f"{path.relative_to(ROOT)}:{line}"


EDGES = list(import_edges())


def test_every_package_of_app_has_a_layer():
    units = {unit_of(module_name(path)) for path in (ROOT / "app").rglob("*.py")}
    units.discard("app.translations")
    for unit in sorted(units):
        layer_of(unit)
    assert set(FEATURE_USES) == set(dict(LAYERS)["features"])


def test_no_import_points_to_a_higher_layer():
    upward = [
        f"{where}: {source} ({LAYERS[layer_of(source)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for source, target, where in EDGES
        if layer_of(target) > layer_of(source)
    ]
    assert not upward, "imports from a lower layer to a higher one:\n" + "\n".join(upward)


def test_features_use_only_the_features_they_declare():
    features = set(FEATURE_USES)
    undeclared = [
        f"{where}: {source} imports {target}, not in FEATURE_USES[{source!r}]"
        for source, target, where in EDGES
        if source in features and target in features and target not in FEATURE_USES[source]
    ]
    assert not undeclared, "\n".join(undeclared)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path that returns to its start, or None."""
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for successor in sorted(graph.get(node, ())):
            if state.get(successor) == "open":
                return [*path[path.index(successor) :], successor]
            if successor not in state and (cycle := visit(successor, [*path, successor])):
                return cycle
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start, [start])):
            return cycle
    return None


def test_no_package_imports_form_a_cycle():
    graph: dict[str, set[str]] = {}
    for source, target, _ in EDGES:
        graph.setdefault(source, set()).add(target)
    cycle = find_cycle(graph)
    if cycle:
        where = {(s, t): w for s, t, w in EDGES}
        steps = [f"{a} -> {b} ({where[(a, b)]})" for a, b in zip(cycle, cycle[1:], strict=False)]
        pytest.fail("a package cycle:\n" + "\n".join(steps))


def test_the_declared_feature_uses_form_no_cycle():
    assert find_cycle(FEATURE_USES) is None


def test_the_checker_sees_imports_inside_functions_and_skips_type_checking_blocks():
    source = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import app.models\ndef f():\n    import app.chat\n"
    )
    visitor = Imports("app.core.example", is_package=False)
    visitor.visit(ast.parse(source))
    assert visitor.found == [("typing", 1), ("app.chat", 5)]
