"""Import what ``--entities`` and ``--models`` name: modules that register entities, ORM models."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from ..errors import ConfigurationError, GooferError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .models import ModelSource


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
    _importable_from_here()
    return [_import_one(name, "--entities") for name in parse_module_list(value)]


def load_models(value: str | Sequence[Any] | None) -> list[ModelSource]:
    """Return the model sources ``--models`` names (``module:attribute``) or is given as objects.

    An attribute (or object) is a SQLAlchemy MetaData, a declarative base or a Flask-SQLAlchemy
    db; an object that is already a model source (Django's) is used as it is.
    """
    items = parse_module_list(value) if isinstance(value, str) else list(value or ())
    sources: list[ModelSource] = []
    for item in items:
        if isinstance(item, str):
            found, label = _attribute(item), item
        else:
            found, label = item, getattr(item, "label", type(item).__name__)
        if hasattr(found, "create_tables"):
            sources.append(found)
            continue
        from .sqlalchemy_models import SQLAlchemyModels, metadata_of

        sources.append(SQLAlchemyModels(metadata_of(found, label), label))
    return sources


def _attribute(spec: str) -> Any:
    """Return the object ``module:attribute`` names (the attribute may be dotted)."""
    module_name, colon, attribute = spec.partition(":")
    if not (colon and module_name and attribute):
        raise ConfigurationError(
            f"--models {spec}: expected MODULE:ATTRIBUTE, for example shop.models:Base"
        )
    _importable_from_here()
    found: Any = _import_one(module_name, "--models")
    for part in attribute.split("."):
        if not hasattr(found, part):
            raise ConfigurationError(f"--models {spec}: {module_name} has no attribute {part!r}")
        found = getattr(found, part)
    return found


def _importable_from_here() -> None:
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)


def _import_one(name: str, option: str) -> ModuleType:
    try:
        if name.endswith(".py"):
            return _import_path(Path(name), option)
        return importlib.import_module(name)
    except GooferError:
        raise
    except ImportError as exc:
        raise ConfigurationError(f"{option} {name}: cannot import it: {exc}") from exc
    except Exception as exc:
        raise GooferError(f"{option} {name}: importing it raised {exc!r}") from exc


def _import_path(path: Path, option: str) -> ModuleType:
    if not path.is_file():
        raise ConfigurationError(f"{option} {path}: no such file")
    module_name = "goofer_entities_" + path.resolve().stem
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ConfigurationError(f"{option} {path}: cannot load it as a module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module
