"""Import the modules named by ``--entities`` / ``GOOFER_ENTITIES`` so their entities register."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from ..errors import ConfigurationError, GooferError


def parse_module_list(value: str | Sequence[str] | None) -> list[str]:
    """Return the module names in a comma-separated string (or a list of them)."""
    if value is None:
        return []
    parts = value.split(",") if isinstance(value, str) else list(value)
    return [p.strip() for p in parts if p.strip()]


def import_entities(value: str | Sequence[str] | None) -> list[ModuleType]:
    """Import each module (dotted name, or path to a .py file); return the modules.

    The current directory is put on ``sys.path`` first, as ``python -m`` would, so
    ``--entities shop.entities`` finds a package in the project.
    """
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    return [_import_one(name) for name in parse_module_list(value)]


def _import_one(name: str) -> ModuleType:
    try:
        if name.endswith(".py"):
            return _import_path(Path(name))
        return importlib.import_module(name)
    except GooferError:
        raise
    except ImportError as exc:
        raise ConfigurationError(f"--entities {name}: cannot import it: {exc}") from exc
    except Exception as exc:
        raise GooferError(f"--entities {name}: importing it raised {exc!r}") from exc


def _import_path(path: Path) -> ModuleType:
    if not path.is_file():
        raise ConfigurationError(f"--entities {path}: no such file")
    module_name = "goofer_entities_" + path.resolve().stem
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ConfigurationError(f"--entities {path}: cannot load it as a module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module
