"""What the migrations stand on: tables Goofer does not own, built first in every scratch database.

A Goofer migration may point a foreign key at a table another tool creates (Django's own
migrations, a legacy schema, an extension). ``generate``, ``check`` and ``verify`` replay the
migrations into an empty scratch database, where that table would be missing; a *base schema*
creates it there first. Its tables are never Goofer's: they are left out of every diff, so
``generate`` neither creates nor drops them, and foreign keys to them are allowed.

A base is anything with a ``label`` (for messages) and ``create(conn, dialect)``: the SQL file of
``--base-schema`` / ``GOOFER_BASE_SCHEMA`` here, the state of Django's migrations in the Django
adapter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from ..errors import ConfigurationError, GooferError
from .split import split_statements

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..dialects import Connection, Dialect


class SchemaBase(Protocol):
    """Tables the migrations stand on, created before them in a scratch database."""

    @property
    def label(self) -> str:
        """Return what to call it in messages: ``the {label}`` reads as a phrase."""

    def prepare(self) -> None:
        """Read what it needs now, in the calling thread (``create`` may run in another)."""

    def create(self, conn: Connection, dialect: Dialect) -> None:
        """Create its tables on ``conn``, an empty scratch database of ``dialect``."""


class BaseSchemaError(GooferError):
    """The base schema could not be built in the scratch database."""


class SqlFileBase:
    """A SQL file of the tables the migrations stand on, run statement by statement."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.label = f"base schema {self.path}"
        self._text: str | None = None

    def prepare(self) -> None:
        """Read the file, or raise naming it."""
        if self._text is not None:
            return
        try:
            self._text = self.path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigurationError(
                f"{self.path} (--base-schema / GOOFER_BASE_SCHEMA): cannot read it: "
                f"{exc.strerror or exc}"
            ) from None

    def create(self, conn: Connection, dialect: Dialect) -> None:
        """Run the file's statements on ``conn``; raise naming the file and the statement."""
        self.prepare()
        assert self._text is not None
        cursor = conn.cursor()
        for statement in split_statements(self._text, dialect):
            try:
                cursor.execute(statement.sql)
                if cursor.description:
                    cursor.fetchall()
            except dialect.driver_errors() as exc:
                raise BaseSchemaError(
                    f"{self.path}: statement {statement.number} (line {statement.line}) failed "
                    f"in the scratch database: {dialect.describe_error(exc)}"
                ) from None


def load_base(value: Any) -> SchemaBase | None:
    """Return the base a setting names: a SQL file's path, a base itself, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, str | Path):
        return SqlFileBase(value)
    return value  # type: ignore[no-any-return]


def stand_on(conn: Connection, dialect: Dialect, base: SchemaBase | None) -> frozenset[str]:
    """Build ``base`` on the scratch connection; return the names of the tables it made."""
    if base is None:
        return frozenset()
    base.create(conn, dialect)
    return frozenset(dialect.read_schema(conn).table_names())
