"""MySQL / MariaDB DDL: backticks, MODIFY COLUMN with the full definition, DROP FOREIGN KEY."""

from __future__ import annotations

from ...schema.model import Column, ColumnType, Table
from ...schema.operations import AlterColumn, DropForeignKey, DropUnique, Operation
from ...schema.render import Renderer

_TYPES = {
    "integer": "INT",
    "bigint": "BIGINT",
    "smallint": "SMALLINT",
    "text": "LONGTEXT",
    "boolean": "TINYINT(1)",
    "float": "DOUBLE",
    "datetime": "DATETIME(6)",
    "date": "DATE",
    "time": "TIME(6)",
    "binary": "LONGBLOB",
    "uuid": "CHAR(36)",
    "json": "JSON",
}


class MySQLRenderer(Renderer):
    """DDL for MySQL 8 and MariaDB 10.5+ (default sql_mode: backslash escapes in strings)."""

    name = "mysql"
    quote_char = "`"
    max_identifier_chars = 64
    indexes_text_columns = False
    defaults_bmp_only = True
    backslash_escapes = True
    true_literal = "1"
    false_literal = "0"

    def type_sql(self, column_type: ColumnType) -> str:
        if column_type.kind == "string":
            return f"VARCHAR({column_type.length})"
        if column_type.kind == "decimal":
            return f"DECIMAL({column_type.precision}, {column_type.scale})"
        if column_type.kind == "other":
            return column_type.raw or "LONGTEXT"
        return _TYPES[column_type.kind]

    def now_sql(self, column_type: ColumnType) -> str:
        # DATETIME(6) needs a default of the same fractional precision.
        return "CURRENT_TIMESTAMP(6)" if column_type.kind == "datetime" else "CURRENT_TIMESTAMP"

    def autoincrement_sql(self) -> str:
        return "AUTO_INCREMENT"

    def column_sql(self, column: Column, table: Table) -> str:
        parts = [self.quote(column.name), self.type_sql(column.type)]
        parts.append("NULL" if column.nullable else "NOT NULL")
        if column.default is not None:
            parts.append(f"DEFAULT {self.default_sql(column)}")
        if column.autoincrement:
            parts.append(self.autoincrement_sql())
        return " ".join(parts)

    def drop_index_sql(self, table: str, name: str) -> str:
        return f"DROP INDEX {self.quote(name)} ON {self.quote(table)}"

    def render_constraint(self, op: Operation) -> list[str]:
        table = self.quote(op.table_name)
        if isinstance(op, DropUnique):
            return [f"ALTER TABLE {table} DROP INDEX {self.quote(op.unique.name or '')}"]
        if isinstance(op, DropForeignKey):
            # The server created an index named after the key when no other index served it;
            # drop it too, or it would outlive the key.
            name = self.quote(op.foreign_key.name or "")
            return [
                f"ALTER TABLE {table} DROP FOREIGN KEY {name}",
                f"ALTER TABLE {table} DROP INDEX IF EXISTS {name}",
            ]
        return super().render_constraint(op)

    def alter_column(self, op: AlterColumn) -> list[str]:
        definition = self.column_sql(op.new, Table(op.table_name, (op.new,)))
        return [f"ALTER TABLE {self.quote(op.table_name)} MODIFY COLUMN {definition}"]
