"""SQLAlchemy models as Goofer's entities: ``--models shop.models:Base`` (or a MetaData, or db).

``metadata.create_all()`` runs on the scratch database's own connection (SQLAlchemy is handed
it through ``creator``), so the tables are exactly the ones SQLAlchemy would create for that
dialect, with two deliberate changes, made on a copy of the metadata: a native ``Enum`` (a
PostgreSQL type, a MySQL ``ENUM`` column) becomes ``VARCHAR`` with a ``CHECK`` of its values,
as Goofer's own enums are, because Goofer's schema model has no database types. What Goofer
cannot represent at all is refused up front, naming the table and column.

SQLAlchemy is imported only when models are given; ``goofer_core`` never needs it otherwise.
"""

from __future__ import annotations

from typing import Any

from ..errors import ConfigurationError
from ..schema import names
from .models import ModelDefinitionError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..dialects import Connection, Dialect

#: Index options Goofer's schema model does not hold (partial indexes, prefix lengths, methods).
_INDEX_OPTIONS = ("where", "using", "length", "include", "ops", "with", "prefix", "concurrently")


def metadata_of(value: Any, label: str) -> Any:
    """Return the MetaData of ``value``: a MetaData, a declarative base or a Flask-SQLAlchemy db."""
    from sqlalchemy import MetaData

    if isinstance(value, MetaData):
        return value
    metadata = getattr(value, "metadata", None)
    if isinstance(metadata, MetaData):
        return metadata
    raise ConfigurationError(
        f"--models {label}: expected a SQLAlchemy MetaData, a declarative base or a "
        f"Flask-SQLAlchemy db, got {type(value).__name__}"
    )


class SQLAlchemyModels:
    """The tables of one SQLAlchemy MetaData."""

    def __init__(self, metadata: Any, label: str) -> None:
        self.metadata = metadata
        self.label = f"SQLAlchemy models {label}"

    def table_names(self) -> list[str]:
        """Return the names of the tables it declares."""
        return [table.name for table in self.metadata.sorted_tables]

    def check(self, dialect: Dialect) -> None:
        """Raise ModelDefinitionError for what Goofer's schema model cannot hold."""
        for table in self.metadata.sorted_tables:
            self._check_table(table)

    def _fail(self, table: Any, column: str | None, problem: str) -> ModelDefinitionError:
        return ModelDefinitionError(self.label, table.name, column, problem)

    def _check_table(self, table: Any) -> None:
        import sqlalchemy as sa

        if table.schema is not None:
            raise self._fail(
                table,
                None,
                f"is in schema {table.schema!r}; Goofer migrates one "
                "schema: declare it without schema=",
            )
        for column in table.columns:
            if column.computed is not None:
                raise self._fail(
                    table,
                    column.name,
                    "a computed column (Computed) cannot be "
                    "generated; write it in a migration by hand",
                )
            identity = column.identity
            if identity is not None and any(
                getattr(identity, option, None) not in (None, 1, False)
                for option in ("start", "increment", "minvalue", "maxvalue", "cycle", "always")
            ):
                raise self._fail(
                    table,
                    column.name,
                    "Identity() options (start, increment, always, ...) cannot be generated; "
                    "use Identity() or autoincrement as it is, or write it by hand",
                )
            if isinstance(column.default, sa.Sequence):
                raise self._fail(
                    table,
                    column.name,
                    "a Sequence cannot be generated; use an "
                    "autoincrement primary key, or Identity()",
                )
        for index in table.indexes:
            if any(not isinstance(e, sa.Column) for e in index.expressions):
                raise self._fail(
                    table,
                    None,
                    f"index {index.name}: an index on an expression "
                    "cannot be generated; write it in a migration by hand",
                )
            self._check_options(table, f"index {index.name}", index.dialect_kwargs)
        for constraint in table.constraints:
            kind = type(constraint).__name__
            if not isinstance(
                constraint,
                (
                    sa.PrimaryKeyConstraint,
                    sa.UniqueConstraint,
                    sa.ForeignKeyConstraint,
                    sa.CheckConstraint,
                ),
            ):
                raise self._fail(table, None, f"a {kind} cannot be generated")
            if isinstance(constraint, sa.ForeignKeyConstraint):
                self._check_foreign_key(table, constraint)

    def _check_foreign_key(self, table: Any, fk: Any) -> None:
        column = ", ".join(c.name for c in fk.columns)
        for attribute in ("onupdate", "deferrable", "initially", "match"):
            if getattr(fk, attribute, None):
                raise self._fail(
                    table,
                    column,
                    f"a foreign key's {attribute} cannot be generated (only ondelete is)",
                )
        target = fk.referred_table
        if target.metadata is not self.metadata or target.schema is not None:
            raise self._fail(
                table,
                column,
                f"its foreign key points at {target.fullname}, "
                "which is not one of these models' tables",
            )

    def _check_options(self, table: Any, what: str, options: Any) -> None:
        for key, value in options.items():
            option = key.split("_", 1)[-1]
            if value not in (None, False) and option in _INDEX_OPTIONS:
                raise self._fail(
                    table,
                    None,
                    f"{what}: {key} cannot be generated; write the index in a migration by hand",
                )

    def create_tables(self, conn: Connection, dialect: Dialect) -> None:
        """Run ``create_all`` of a copy of the metadata (native enums as checks) on ``conn``."""
        import sqlalchemy as sa
        from sqlalchemy.pool import StaticPool

        engine = sa.create_engine(
            dialect.sqlalchemy_url, creator=lambda: conn, poolclass=StaticPool
        )
        try:
            _plain_enums(self.metadata).create_all(engine)
        except sa.exc.CompileError as exc:
            # SQLAlchemy names the table and column: "(in table 'posts', column 'title'): ..."
            raise ModelDefinitionError(self.label, "", None, str(exc)) from None
        except sa.exc.DBAPIError as exc:
            message = dialect.describe_error(exc.orig) if exc.orig is not None else str(exc)
            raise ModelDefinitionError(
                self.label,
                "",
                None,
                f"creating its tables in the scratch database failed: {message}",
            ) from None


def _plain_enums(metadata: Any) -> Any:
    """Return a copy of ``metadata`` with every native Enum made a VARCHAR with a CHECK."""
    import sqlalchemy as sa

    copy = sa.MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        table.to_metadata(copy)
    for table in copy.sorted_tables:
        for column in list(table.columns):
            kind = column.type
            if not isinstance(kind, sa.Enum) or not kind.native_enum:
                continue
            values = tuple(kind.enums)
            column.type = sa.String(max(kind.length or 0, *(len(v) for v in values)))
            name = names.enum_check_name(table.name, column.name, values)
            table.append_constraint(sa.CheckConstraint(column.in_(values), name=name))
    return copy
