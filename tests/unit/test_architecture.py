"""The layout holds: layers import downwards only, no import cycles, click only in the CLI.

Imports are read from the source (``ast``), function-level ones included; those under
``if TYPE_CHECKING:`` are left out, since they never run.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "goofer_core"
#: goofer_core's packages (and top-level modules), lowest first: each may import only its own
#: layer and those below it.
LAYERS = [
    {"errors", "values", "redaction"},
    {"schema"},
    {"dialects"},
    {"url"},
    {"migrations"},
    {"generate"},
    {"verify"},
    {"adopt", "squash"},
    {"cli"},
]
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = list(path.relative_to(CORE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def runtime_imports(path: Path) -> set[str]:
    """Return the goofer_core modules ``path`` imports when it runs, wherever the import is."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path).split(".")
    package = here if is_package(path) else here[:-1]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("goofer_core"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("goofer_core"):
                found.add(target)
                # ``from . import output`` imports the module goofer_core.cli.output
                found.update(
                    f"{target}.{a.name}"
                    for a in node.names
                    if (CORE.parent / f"{target}.{a.name}".replace(".", "/")).exists()
                    or (CORE.parent / (f"{target}.{a.name}".replace(".", "/") + ".py")).exists()
                )
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found - {module_name(path)}


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(CORE.rglob("*.py"))}


def top_part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer_of(module: str) -> int:
    part = top_part(module)
    return next(i for i, layer in enumerate(LAYERS) if part in layer)


def test_every_module_is_in_a_layer():
    unplaced = [
        m for m in modules() if top_part(m) and not any(top_part(m) in layer for layer in LAYERS)
    ]
    assert unplaced == []


def test_layers_import_only_downwards():
    upward = []
    for name, path in modules().items():
        if not top_part(name):
            continue  # goofer_core/__init__.py: the public names, imported lazily
        for target in runtime_imports(path):
            if top_part(target) and layer_of(target) > layer_of(name):
                upward.append(f"{name} -> {target}")
    assert upward == []


def ancestors(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def test_no_import_cycles_counting_function_level_imports():
    # Importing a.b.c runs a.b's __init__ too (a, goofer_core's, imports its names lazily).
    # A module's own ancestors are already running when it is imported, so they add no edge.
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = set()
        for target in runtime_imports(path):
            targets |= {target, *ancestors(target)}
        graph[name] = {
            t
            for t in targets
            if t in known and t not in ("goofer_core", name) and t not in ancestors(name)
        }
    cycles = []
    state: dict[str, int] = {}

    def walk(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*stack[stack.index(target) :], target]))
            elif target not in state:
                walk(target, [*stack, target])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name, [name])
    assert cycles == []


def test_only_the_cli_imports_click():
    importers = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n == "click" or n.startswith("click.") for n in names):
                importers.append(name)
    assert sorted(set(importers)) == ["goofer_core.cli.click_app"]


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_module_is_over_400_lines(name):
    lines = len(modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines; split it by concern"


def test_core_imports_no_framework_or_driver():
    # Forget what site may have preloaded, so only Goofer's own imports count (a .pth file of
    # the machine's imports typing and more before any user code).
    code = (
        "import sys; names = ('flask', 'django', 'psycopg', 'pymysql', 'sqlite3'); "
        "[sys.modules.pop(m, None) for m in names]; "
        "import goofer_core, goofer_core.cli.click_app, goofer_core.migrations.migrator; "
        "print(sorted(m for m in names if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr
