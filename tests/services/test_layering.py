"""The layering, read from the source (every module's syntax tree, nothing imported):

- the core (``models``, ``db``, ``services``, ``config`` and everything else outside the
  interface) imports neither Textual nor the interface (``cli``, ``screens``, ``widgets``,
  ``app``, ``palette``, ``keymap``);
- ``models`` does not import ``services``;
- no import cycle inside tradium_tui among module-level imports (``from x import y``
  counts as importing ``x.y`` when that is a module);
- a function-level import in the interface says why it is there (``# lazy: <reason>``),
  so none is left that only hides a cycle.

The first tests run the checks on small made-up packages, to show that each one finds
what it is meant to find.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import tradium_tui

PACKAGE_DIR = Path(tradium_tui.__file__).parent

# Modules (and packages, with everything below them) that make up the interface.
INTERFACE = ("cli", "screens", "widgets", "app", "palette", "keymap", "__main__")
# Top-level packages the core may not import: Textual and its companions.
TEXTUAL = ("textual", "textual_plotext", "textual_serve")
# Where an unexplained function-level import is refused.
EXPLAINED_LAZY = ("screens", "widgets", "app", "palette", "keymap")
LAZY_MARK = "# lazy:"


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, dotted
    target: str  # the imported module, dotted and absolute
    path: str  # relative to the package's folder
    line: int
    module_level: bool
    explained: bool  # carries a "# lazy:" comment

    def where(self) -> str:
        return f"{self.path}:{self.line} imports {self.target}"


def module_names(root: Path) -> dict[str, Path]:
    """Every module of the package in ``root``, by dotted name."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _explained(lines: list[str], node: ast.stmt, import_lines: set[int]) -> bool:
    """A ``# lazy:`` comment on the statement's first line, or in the comment lines just
    above it (above a group of imports it covers the whole group)."""
    if LAZY_MARK in lines[node.lineno - 1]:
        return True
    number = node.lineno - 1
    while number >= 1:
        text = lines[number - 1].strip()
        if text.startswith("#"):
            if LAZY_MARK in text:
                return True
        elif number not in import_lines:
            return False
        number -= 1
    return False


def _targets(node: ast.Import | ast.ImportFrom, name: str, is_package: bool,
             modules: dict[str, Path]) -> list[str]:
    """The modules an import statement of module ``name`` loads."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # relative: from the module's package upwards
        base = name.split(".") if is_package else name.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        module = ".".join(base + ([node.module] if node.module else []))
    else:
        module = node.module or ""
    submodules = [f"{module}.{alias.name}" for alias in node.names
                  if f"{module}.{alias.name}" in modules]
    if len(submodules) < len(node.names):
        return [*submodules, module]
    return submodules


def _file_imports(name: str, path: Path, root: Path, modules: dict[str, Path]) -> list[Import]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source, filename=str(path))
    import_lines = {number for node in ast.walk(tree)
                    if isinstance(node, ast.Import | ast.ImportFrom)
                    for number in range(node.lineno, (node.end_lineno or node.lineno) + 1)}
    shown = str(path.relative_to(root.parent))
    is_package = path.name == "__init__.py"
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                children = child.orelse  # the body never runs
            else:
                children = [child]
            for statement in children:
                if isinstance(statement, ast.Import | ast.ImportFrom):
                    found.extend(
                        Import(name, target, shown, statement.lineno, not in_function,
                               _explained(lines, statement, import_lines))
                        for target in _targets(statement, name, is_package, modules))
                else:
                    visit(statement, in_function or isinstance(
                        statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    visit(tree, False)
    return found


def read_imports(root: Path) -> list[Import]:
    """Every import statement of the package in ``root``, resolved to module names.

    Imports under ``if TYPE_CHECKING:`` are left out (they never run)."""
    modules = module_names(root)
    return [item for name, path in modules.items()
            for item in _file_imports(name, path, root, modules)]


def _in(module: str, package: str, parts: tuple[str, ...]) -> bool:
    return any(module == f"{package}.{part}" or module.startswith(f"{package}.{part}.")
               for part in parts)


# ----------------------------------------------------------------------------- the checks


def interface_imports_of_the_core(imports: list[Import], package: str) -> list[str]:
    """Core modules importing Textual or the interface (at any level)."""
    return [
        item.where() for item in imports
        if not _in(item.source, package, INTERFACE)
        and (item.target.split(".")[0] in TEXTUAL or _in(item.target, package, INTERFACE))
    ]


def services_imported_by_models(imports: list[Import], package: str) -> list[str]:
    return [item.where() for item in imports
            if _in(item.source, package, ("models",))
            and _in(item.target, package, ("services",))]


def import_cycles(imports: list[Import], package: str) -> list[list[str]]:
    """The module-level import cycles inside the package, each as its modules (sorted);
    found as the strongly connected components of the import graph."""
    graph: dict[str, set[str]] = {}
    for item in imports:
        graph.setdefault(item.source, set())
        inside = item.target == package or item.target.startswith(f"{package}.")
        if item.module_level and inside:
            graph[item.source].add(item.target)
    for targets in list(graph.values()):
        for target in targets:
            graph.setdefault(target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def connect(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(cycles)


def unexplained_lazy_imports(imports: list[Import], package: str) -> list[str]:
    return [item.where() for item in imports
            if not item.module_level and not item.explained
            and _in(item.source, package, EXPLAINED_LAZY)]


# ----------------------------------------------------------------------------- the checks checked


def write_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "tradium_tui"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in [package, *[p for p in package.rglob("*") if p.is_dir()]]:
        (folder / "__init__.py").touch()
    return package


def test_the_checks_find_forbidden_imports(tmp_path):
    package = write_package(tmp_path, {
        "services/orders.py": "from textual.widgets import Static\n",
        "services/clean.py": "import textual_plotext\nfrom tradium_tui import formatting\n",
        "services/late.py": "def f():\n    from tradium_tui.screens import main\n",
        "db.py": "from tradium_tui.widgets.footer import AppFooter\n",
        "models/sales.py": "from ..services import orders\n",
        "models/ok.py": "from tradium_tui.models import sales\n",
        "formatting.py": "",
        "screens/main.py": "from textual.screen import Screen\nfrom tradium_tui.services import orders\n",
        "widgets/footer.py": "AppFooter = None\n",
        "cli/tui.py": "from tradium_tui.app import make_app\n",
        "app.py": "def make_app():\n    pass\n",
    })
    imports = read_imports(package)
    found = interface_imports_of_the_core(imports, "tradium_tui")
    assert sorted(found) == sorted([
        "tradium_tui/services/orders.py:1 imports textual.widgets",
        "tradium_tui/services/clean.py:1 imports textual_plotext",
        "tradium_tui/services/late.py:2 imports tradium_tui.screens.main",
        "tradium_tui/db.py:1 imports tradium_tui.widgets.footer",
    ])
    assert services_imported_by_models(imports, "tradium_tui") == [
        "tradium_tui/models/sales.py:1 imports tradium_tui.services.orders"]


def test_the_checks_find_module_level_cycles_only(tmp_path):
    package = write_package(tmp_path, {
        # a -> b -> c -> a, the last step as "from package import submodule"
        "a.py": "import tradium_tui.b\n",
        "b.py": "from tradium_tui.c import thing\n",
        "c.py": "from tradium_tui import a\nthing = 1\n",
        # d <-> e only through a function: not a module-level cycle
        "d.py": "import tradium_tui.e\n",
        "e.py": "def f():\n    import tradium_tui.d\n",
        # f <-> g only for type checking: never runs
        "f.py": "from typing import TYPE_CHECKING\nimport tradium_tui.g\n",
        "g.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import tradium_tui.f\n",
        # relative imports, inside a package
        "p/x.py": "from . import y\n",
        "p/y.py": "from .x import name\n",
    })
    assert import_cycles(read_imports(package), "tradium_tui") == [
        ["tradium_tui.a", "tradium_tui.b", "tradium_tui.c"],
        ["tradium_tui.p.x", "tradium_tui.p.y"],
    ]


def test_the_checks_find_unexplained_lazy_imports(tmp_path):
    package = write_package(tmp_path, {
        "screens/main.py": (
            "def a():\n"
            "    from tradium_tui.screens import admin\n"             # 2: unexplained
            "def b():\n"
            "    from tradium_tui.screens import admin  # lazy: start-up\n"
            "def c():\n"
            "    # lazy: the importer is slow to load\n"
            "    from tradium_tui.services import importer\n"
            "    from tradium_tui.services import (\n"
            "        webshop,\n"
            "    )\n"
            "def d():\n"
            "    # Looks for a customer\n"
            "    x = 1\n"
            "\n"
            "    from tradium_tui.services import search\n"           # 15: unexplained
        ),
        "screens/admin.py": "",
        "services/search.py": "def f():\n    import json\n",  # the core is not asked
    })
    assert unexplained_lazy_imports(read_imports(package), "tradium_tui") == [
        "tradium_tui/screens/main.py:2 imports tradium_tui.screens.admin",
        "tradium_tui/screens/main.py:15 imports tradium_tui.services.search",
    ]


# ----------------------------------------------------------------------------- the real tree


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    found = read_imports(PACKAGE_DIR)
    assert len({item.source for item in found}) > 100  # the whole package was read
    return found


def test_the_core_imports_neither_textual_nor_the_interface(imports):
    found = interface_imports_of_the_core(imports, "tradium_tui")
    assert not found, "The core must not import Textual or the interface:\n" + "\n".join(found)


def test_models_do_not_import_services(imports):
    found = services_imported_by_models(imports, "tradium_tui")
    assert not found, "models/ must not import services/:\n" + "\n".join(found)


def test_no_module_level_import_cycle(imports):
    cycles = import_cycles(imports, "tradium_tui")
    assert not cycles, "Module-level import cycles:\n" + "\n".join(
        " <-> ".join(cycle) for cycle in cycles)


def test_function_level_imports_of_the_interface_say_why(imports):
    found = unexplained_lazy_imports(imports, "tradium_tui")
    assert not found, (
        "A function-level import in screens/, widgets/, app.py or palette.py either moves to "
        f"the top of its module or says why it waits ('{LAZY_MARK} <reason>'):\n"
        + "\n".join(found))
