"""``generate`` and ``check``: diff the entities against the migrations and write the pair."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Any

from ..dialects import get_dialect
from ..errors import ConfigurationError, GooferError
from ..migrations.base import load_base
from ..migrations.files import MigrationFile, load_migrations
from ..migrations.layout import layout_dialects
from ..migrations.scratch import SHADOW_PREFIX, Replayed, migrations_schema
from ..schema.model import RenameHints, Schema
from ..schema.operations import AddColumn, Operation, apply_all, reverse_all
from ..schema.render import Renderer, Step, render_script
from ..url import DatabaseURL
from .diff import diff_schemas
from .loading import import_entities
from .models import models_schema, table_owners
from .registry import Registry
from .registry import registry as default_registry

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..migrations.base import SchemaBase
    from .models import ModelSource
    from .several import SeveralDialects

_NAME = re.compile(r"[a-z0-9_]+\Z")
_ID_FORMAT = "%Y%m%d%H%M%S"
NO_CHANGES = "No changes detected"
ENTITIES_DIFFER = "entities differ from the migrations"
WarningHandler = Callable[[str], None]


@dataclass(frozen=True)
class GenerationPlan:
    """What ``generate`` would write: the operations, both files' text, and warnings."""

    operations: tuple[Operation, ...]
    warnings: tuple[str, ...]
    up_sql: str
    down_sql: str

    @property
    def has_changes(self) -> bool:
        """Return whether the entities differ from the migrations."""
        return bool(self.operations)


class MigrationGenerator:
    """Write migrations that bring the migrations directory in line with the entities.

    The entities are the registry's dataclasses and the tables of ``models`` (an ORM's, see
    ``generate/models.py``). ``dialect`` defaults to the dialect of ``database_url``. On
    PostgreSQL and MySQL the migrations (and the models' tables) go into throwaway databases on
    the server of ``shadow_url`` (else ``database_url``). ``base`` (a SQL file's path, or a
    ``SchemaBase``) holds the tables the migrations stand on that Goofer does not own: it is
    built first in each scratch database, and its tables are never diffed. Warnings
    (destructive steps, likely renames, NOT NULL columns without a default) go to
    ``on_warning`` and to ``self.warnings``; nothing is printed.

    Several dialects from one history: ``dialects=["sqlite", "postgresql"]``, or an
    ``out_path`` that already has dialect folders (``migrations/sqlite/`` ...), makes
    ``generate``, ``preview`` and ``check`` work on every dialect's folder, each against its
    own scratch database; ``shadow_url`` then names one server per dialect (a list, or URLs
    separated by spaces), ``database_url`` serving its own dialect (``generate/several.py``).
    """

    def __init__(
        self,
        registry: Registry | None = None,
        dialect: str | None = None,
        out_path: str | Path = "migrations",
        *,
        database_url: str | DatabaseURL | None = None,
        shadow_url: str | DatabaseURL | None = None,
        shadow_prefix: str = SHADOW_PREFIX,
        models: Sequence[ModelSource] = (),
        base: str | Path | SchemaBase | None = None,
        on_warning: WarningHandler | None = None,
        clock: Callable[[], datetime] | None = None,
        dialects: Sequence[str] = (),
    ) -> None:
        self.registry = default_registry if registry is None else registry
        self.models = tuple(models)
        self.base = load_base(base)
        self.database_url = _url(database_url)
        self.shadow_prefix = shadow_prefix
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.several: SeveralDialects | None = None
        self.dialects = layout_dialects(out_path, dialects)
        if self.dialects:
            from .several import SeveralDialects

            same: dict[str, Any] = {"shadow_prefix": shadow_prefix, "clock": self.clock}
            self.several = SeveralDialects(
                self.dialects,
                Path(out_path),
                make=partial(type(self), self.registry, models=models, base=self.base, **same),
                new_id=lambda existing: next_id(self.clock(), existing),
                database_url=self.database_url,
                shadow_url=shadow_url,
                on_warning=on_warning or (lambda message: None),
            )
            shadow_url = None  # each dialect's generator has its own
        self.shadow_url = _url(shadow_url)
        url = self.database_url or self.shadow_url
        name = dialect or (url.dialect if url else None)
        # Without a dialect only ``generate(name, empty=True)`` works.
        self._dialect = get_dialect(name).name if name else None
        self.out_path = Path(out_path)
        self.on_warning = on_warning or (lambda message: None)
        self.warnings: list[str] = []
        self.last_plan: GenerationPlan | None = None

    @property
    def dialect(self) -> str:
        """Return the dialect name the migrations are written for."""
        if self.several is not None:
            raise ConfigurationError(
                f"this generator writes for several dialects ({', '.join(self.dialects)}): "
                "use generator.several.generators[name] for one of them"
            )
        if self._dialect is None:
            raise ConfigurationError(
                "no dialect: pass --database-url (or give MigrationGenerator "
                "a dialect or a database_url)"
            )
        return self._dialect

    @property
    def renderer(self) -> Renderer:
        """Return the DDL renderer of the dialect."""
        return get_dialect(self.dialect).renderer()

    def migrations(self) -> list[MigrationFile]:
        """Return the migrations on disk (none when the directory does not exist yet)."""
        return load_migrations(self.out_path) if self.out_path.is_dir() else []

    def migrations_schema(self) -> Schema:
        """Return the schema the migrations directory produces, read from a scratch database."""
        return self._replay().schema

    def _replay(self) -> Replayed:
        return migrations_schema(
            self.dialect,
            self.migrations(),
            self.shadow_url or self.database_url,
            self.shadow_prefix,
            self.base,
        )

    def entities_schema(self) -> Schema:
        """Return the schema the entities and models declare, as this dialect stores it."""
        return self.target()[0]

    def target(self) -> tuple[Schema, RenameHints]:
        """Return the schema the entities and models declare, and the entities' rename hints."""
        if not len(self.registry) and not self.models:
            raise ConfigurationError(
                "no entities are registered: set --models / GOOFER_MODELS or --entities / "
                "GOOFER_ENTITIES, or run 'goofer generate --empty NAME' for a pair to fill by hand"
            )
        renderer = self.renderer
        schema, hints = self.registry.build_schema(renderer)
        schema = renderer.normalise_schema(schema)
        if self.models:
            table_owners(
                {e.table: f"entity {e.name}" for e in self.registry.entities()}, self.models
            )
            declared = models_schema(
                self.models,
                get_dialect(self.dialect),
                self.shadow_url or self.database_url,
                self.shadow_prefix,
                self.base,
            )
            schema = schema.map_tables((*schema.tables, *declared.tables))
        return schema, hints

    def _both_schemas(self) -> tuple[Schema, RenameHints, Schema]:
        """Return the declared schema, its rename hints, and the migrations' schema.

        On a server each comes from its own scratch database, where the DDL is most of the
        time: the migrations are replayed in a second thread meanwhile (the models' side stays
        in this one: Django's connections belong to the thread that opened them).
        """
        if self.base is not None:
            self.base.prepare()  # (here: a framework's connections belong to this thread)
        if get_dialect(self.dialect).scratch_in_memory or not (len(self.registry) or self.models):
            target, hints = self.target()  # (with nothing declared, this raises saying so)
            replayed = self._replay()
        else:
            with ThreadPoolExecutor(1, thread_name_prefix="goofer-scratch") as pool:
                future = pool.submit(self._replay)
                target, hints = self.target()
                replayed = future.result()
        self._check_references(target, replayed.base_tables)
        return target, hints, replayed.schema

    def _check_references(self, target: Schema, base_tables: frozenset[str]) -> None:
        """Raise naming a foreign key to a table that neither side nor the base creates."""
        known = {*target.table_names(), *base_tables}
        for table in target.tables:
            for fk in table.foreign_keys:
                if fk.ref_table in known:
                    continue
                where = (
                    f"that is not in the {self.base.label}"
                    if self.base
                    else "(tables Goofer does not own go in --base-schema / GOOFER_BASE_SCHEMA)"
                )
                raise ConfigurationError(
                    f"{table.name}.{', '.join(fk.columns)}: foreign key to {fk.ref_table}, "
                    f"a table no entity or model declares {where}"
                )

    def plan(self) -> GenerationPlan:
        """Return what ``generate`` would write, without writing anything."""
        target, hints, current = self._both_schemas()
        renderer = self.renderer
        diff = diff_schemas(current, target, hints)
        operations = diff.operations
        up_steps = renderer.render_steps(operations, current)
        down_steps = renderer.render_steps(reverse_all(operations), apply_all(current, operations))
        warnings = [
            *diff.warnings,
            *not_null_warnings(operations, current),
            *(
                f"DESTRUCTIVE: {text}"
                for step in up_steps
                for text in step.destructive_descriptions()
            ),
        ]
        return GenerationPlan(
            tuple(operations),
            tuple(warnings),
            self._script(up_steps, "up", [w for w in warnings if w.startswith("NOT NULL")]),
            self._script(down_steps, "down"),
        )

    def generate(self, name: str, *, empty: bool = False) -> list[Path] | None:
        """Write ``<id>_<name>.up.sql`` / ``.down.sql``; return their paths, or None if in sync.

        With several dialects, a pair per dialect folder, all with the same id.
        """
        files = self.preview(name, empty=empty)
        if files is None:
            return None
        for path, text in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return [path for path, _ in files]

    def preview(
        self, name: str, *, empty: bool = False, migration_id: str | None = None
    ) -> list[tuple[Path, str]] | None:
        """Return the pair ``generate`` would write, as (path, text), or None if in sync.

        Warnings (destructive steps, likely renames) go to ``on_warning``; nothing is written.
        ``migration_id`` replaces the next id (the one id of several dialects' pairs).
        """
        if not _NAME.match(name):
            raise GooferError(f"migration name {name!r}: use lowercase letters, digits and _")
        self.warnings = []
        if self.several is not None:
            files = self.several.preview(name, empty=empty)
            self.warnings = self.several.warnings()
            return files
        if empty:
            up = "-- Write the up migration here.\n"
            down = "-- Write the down migration here: it must undo the up migration.\n"
        else:
            plan = self.last_plan = self.plan()
            for warning in plan.warnings:
                self.warnings.append(warning)
                self.on_warning(warning)
            if not plan.has_changes:
                return None
            up, down = plan.up_sql, plan.down_sql
        migration_id = migration_id or next_id(self.clock(), [m.id for m in self.migrations()])
        stem = self.out_path / f"{migration_id}_{name}"
        return [(Path(f"{stem}.up.sql"), up), (Path(f"{stem}.down.sql"), down)]

    def check(self) -> list[str]:
        """Return why the entities and the migrations differ (empty when they match).

        With several dialects, also why the dialect folders are out of step.
        """
        if self.several is not None:
            return self.several.check()
        plan = self.plan()
        if not plan.has_changes:
            return []
        changes = "; ".join(op.describe() for op in plan.operations)
        return [f"{ENTITIES_DIFFER}: {changes}"]

    def _script(self, steps: Sequence[Step], direction: str, notes: Sequence[str] = ()) -> str:
        header = [f"Generated by goofer generate ({self.dialect}) from the entities."]
        header += [f"WARNING: {note}" for note in notes]
        if direction == "down":
            header.append("Undoes the up migration, in reverse order.")
        if any(s.destructive for s in steps):
            header.append("Contains DESTRUCTIVE steps (marked below): data can be lost.")
        return render_script(steps, header)


def generator_for(
    directory: str | Path,
    *,
    entities: str | Sequence[str] | None,
    registry: Registry | None = None,
    **options: Any,
) -> MigrationGenerator:
    """Import the entity modules, then return a generator of the registry's entities.

    ``options`` are MigrationGenerator's (database_url, shadow_url, shadow_prefix, on_warning).
    """
    import_entities(entities)
    return MigrationGenerator(
        default_registry if registry is None else registry, None, directory, **options
    )


def generate_migration(
    name: str,
    *,
    directory: str | Path,
    entities: str | Sequence[str] | None,
    empty: bool = False,
    registry: Registry | None = None,
    **options: Any,
) -> list[Path] | None:
    """Import the entity modules and generate; return the paths written, or None if in sync."""
    generator = generator_for(
        directory, entities=None if empty else entities, registry=registry, **options
    )
    return generator.generate(name, empty=empty)


def entity_check_reasons(
    *,
    directory: str | Path,
    entities: str | Sequence[str] | None,
    registry: Registry | None = None,
    **options: Any,
) -> list[str]:
    """Return ``["entities differ from the migrations: ..."]``, or [] (also when none are given)."""
    generator = generator_for(directory, entities=entities, registry=registry, **options)
    if not len(generator.registry) and not generator.models:
        return []
    return generator.check()


def not_null_warnings(operations: Sequence[Operation], current: Schema) -> list[str]:
    """Return a warning per NOT NULL column without a default added to a table that exists.

    Such an ALTER fails when the table has rows (PostgreSQL, SQLite), or fills them with the
    type's zero value (MySQL): Django's makemigrations asks for a default; Goofer says so.
    """
    return [
        f"NOT NULL column {op.table_name}.{op.column.name} is added without a default: on a "
        f"table that has rows this fails (or, on MySQL, fills them with zero values); give it "
        "a default, or add it nullable, fill it, then make it NOT NULL"
        for op in operations
        if isinstance(op, AddColumn)
        and current.table(op.table_name) is not None
        and not op.column.nullable
        and op.column.default is None
        and not op.column.autoincrement
    ]


def next_id(now: datetime, existing: Sequence[str]) -> str:
    """Return the id for a new migration: ``now`` (UTC), or one second after the newest id."""
    candidate = now.astimezone(timezone.utc).strftime(_ID_FORMAT)
    newest = max(existing, default=None)
    if newest is not None and candidate <= newest:
        later = datetime.strptime(newest, _ID_FORMAT) + timedelta(seconds=1)
        candidate = later.strftime(_ID_FORMAT)
    return candidate


def _url(value: str | DatabaseURL | None) -> DatabaseURL | None:
    return DatabaseURL.parse(value) if isinstance(value, str) else value
