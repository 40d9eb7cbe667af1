"""Turn registered entities into the schema model for one dialect, validating as it goes."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence

from ..schema import names
from ..schema.literals import LiteralError, canonical_value
from ..schema.model import (
    CheckConstraint,
    Column,
    Default,
    ForeignKey,
    Index,
    RenameHints,
    Schema,
    Table,
    UniqueConstraint,
)
from .declare import NOW, Sql, Unique
from .declare import Index as DeclaredIndex
from .entities import DialectRules, EntityDef, EntityDefinitionError, FieldDef
from .pytypes import enum_member_value

_UNINDEXABLE = ("text", "binary", "json")


def build_schema(entities: Sequence[EntityDef], rules: DialectRules) -> tuple[Schema, RenameHints]:
    """Return the schema and rename hints of ``entities``; raise EntityDefinitionError."""
    tables = [_build_table(entity, entities, rules) for entity in entities]
    _check_global_names(entities, tables)
    table_hints = tuple((e.table, e.renamed_from) for e in entities if e.renamed_from)
    column_hints = tuple(
        (e.table, f.column, f.options.renamed_from)
        for e in entities
        for f in e.fields
        if f.options.renamed_from
    )
    return Schema(tuple(tables)), RenameHints(table_hints, column_hints)


def _build_table(entity: EntityDef, entities: Sequence[EntityDef], rules: DialectRules) -> Table:
    _check_name(entity, None, entity.table, rules)
    columns = tuple(_build_column(entity, f, rules) for f in entity.fields)
    primary_key = tuple(f.column for f in entity.fields if f.options.primary_key)
    indexes = [
        Index(names.index_name(entity.table, (f.column,)), (f.column,))
        for f in entity.fields
        if f.options.index
    ]
    indexes += [_index(entity, i) for i in entity.indexes]
    uniques = [
        UniqueConstraint(names.unique_name(entity.table, (f.column,)), (f.column,))
        for f in entity.fields
        if f.options.unique and not f.options.primary_key
    ]
    uniques += [_unique(entity, u) for u in entity.uniques]
    checks = [c for f in entity.fields for c in _field_checks(entity, f, rules)]
    checks += [
        CheckConstraint(c.name or names.check_name(entity.table, c.expression), c.expression)
        for c in entity.checks
    ]
    fks = [_foreign_key(entity, f, entities) for f in entity.fields if f.options.foreign_key]
    table = Table(
        entity.table,
        columns,
        primary_key,
        tuple(indexes),
        tuple(uniques),
        tuple(fks),
        tuple(checks),
    )
    _check_table(entity, table, rules)
    return table


def _build_column(entity: EntityDef, f: FieldDef, rules: DialectRules) -> Column:
    _check_name(entity, f.attribute, f.column, rules)
    options, column_type = f.options, f.mapped.type
    if options.primary_key and f.mapped.nullable:
        raise EntityDefinitionError(entity.name, f.attribute, "a primary key cannot be Optional")
    single_int_pk = (
        options.primary_key
        and column_type.kind in ("integer", "bigint")
        and sum(g.options.primary_key for g in entity.fields) == 1
        and not options.foreign_key
    )
    autoincrement = single_int_pk if options.autoincrement is None else options.autoincrement
    if autoincrement and not single_int_pk:
        raise EntityDefinitionError(
            entity.name, f.attribute, "autoincrement needs a single int primary key field"
        )
    default = _default(entity, f)
    if (
        default is not None
        and rules.defaults_bmp_only
        and any(ord(char) > 0xFFFF for char in default.value)
    ):
        raise EntityDefinitionError(
            entity.name,
            f.attribute,
            f"{rules.name} cannot keep characters beyond U+FFFF (such as emoji) in a default",
        )
    return Column(f.column, column_type, f.mapped.nullable, default, autoincrement)


def _default(entity: EntityDef, f: FieldDef) -> Default | None:
    value = f.options.server_default
    if value is None and f.default is not dataclasses.MISSING and f.default is not None:
        value = f.default
    if value is None:
        return None
    if value is NOW:
        if f.mapped.type.kind != "datetime":
            raise EntityDefinitionError(entity.name, f.attribute, "NOW needs a datetime field")
        return Default("now")
    if isinstance(value, Sql):
        return Default("sql", value.expression)
    if isinstance(value, enum.Enum):
        value = enum_member_value(value)
    try:
        return Default("literal", canonical_value(f.mapped.type, value))
    except LiteralError as exc:
        raise EntityDefinitionError(entity.name, f.attribute, str(exc)) from None


def _field_checks(entity: EntityDef, f: FieldDef, rules: DialectRules) -> list[CheckConstraint]:
    checks = []
    values = f.mapped.enum_values
    if values:
        listed = ", ".join(
            rules.string_literal(v) if isinstance(v, str) else str(v) for v in values
        )
        checks.append(
            CheckConstraint(
                names.enum_check_name(entity.table, f.column, values),
                f"{rules.quote(f.column)} IN ({listed})",
            )
        )
    if f.options.check:
        checks.append(
            CheckConstraint(names.check_name(entity.table, f.options.check), f.options.check)
        )
    return checks


def _index(entity: EntityDef, declared: DeclaredIndex) -> Index:
    columns = tuple(_column_of(entity, name) for name in declared.fields)
    return Index(declared.name or names.index_name(entity.table, columns), columns)


def _unique(entity: EntityDef, declared: Unique) -> UniqueConstraint:
    columns = tuple(_column_of(entity, name) for name in declared.fields)
    return UniqueConstraint(declared.name or names.unique_name(entity.table, columns), columns)


def _column_of(entity: EntityDef, attribute: str) -> str:
    f = entity.field(attribute)
    assert f is not None  # checked when the entity was registered
    return f.column


def _foreign_key(entity: EntityDef, f: FieldDef, entities: Sequence[EntityDef]) -> ForeignKey:
    target_spec = f.options.foreign_key
    ref_entity, ref_attribute = _resolve_target(target_spec, entities)
    if ref_entity is None and isinstance(target_spec, str) and "." in target_spec:
        # "table.column" of a table Goofer does not own (see migrations/base.py): generate
        # checks that the base schema has it.
        ref_table, _, ref_column = target_spec.partition(".")
        name = names.foreign_key_name(entity.table, (f.column,), ref_table)
        return ForeignKey(name, (f.column,), ref_table, (ref_column,), f.options.on_delete)
    if ref_entity is None:
        raise EntityDefinitionError(
            entity.name,
            f.attribute,
            f"foreign key to {_spec_name(target_spec)}, which is not a registered entity",
        )
    if ref_attribute is None:
        pk = [g for g in ref_entity.fields if g.options.primary_key]
        if len(pk) != 1:
            raise EntityDefinitionError(
                entity.name,
                f.attribute,
                f"foreign key to {ref_entity.name}: name the field, its primary key is composite",
            )
        ref_field: FieldDef | None = pk[0]
    else:
        ref_field = ref_entity.field(ref_attribute)
        if ref_field is None:
            raise EntityDefinitionError(
                entity.name,
                f.attribute,
                f"foreign key to {ref_entity.name}.{ref_attribute}, "
                "which is not a field of that entity",
            )
    assert ref_field is not None
    name = names.foreign_key_name(entity.table, (f.column,), ref_entity.table)
    return ForeignKey(name, (f.column,), ref_entity.table, (ref_field.column,), f.options.on_delete)


def _resolve_target(
    spec: object, entities: Sequence[EntityDef]
) -> tuple[EntityDef | None, str | None]:
    if isinstance(spec, type):
        return next((e for e in entities if e.cls is spec), None), None
    if not isinstance(spec, str):
        return None, None
    head, _, attribute = spec.partition(".")
    for e in entities:
        if head in (e.name, e.table):
            return e, attribute or None
    return None, None


def _spec_name(spec: object) -> str:
    return getattr(spec, "__name__", None) or str(spec)


def _check_name(entity: EntityDef, field: str | None, name: str, rules: DialectRules) -> None:
    problem = names.identifier_problem(name, rules.max_identifier_bytes, rules.max_identifier_chars)
    if problem:
        raise EntityDefinitionError(entity.name, field, f"{problem} (on {rules.name})")


def _check_table(entity: EntityDef, table: Table, rules: DialectRules) -> None:
    group_names = [i.name for i in table.indexes] + [u.name for u in table.uniques]
    group_names += [c.name for c in table.checks] + [f.name for f in table.foreign_keys]
    for name in group_names:
        if name:
            _check_name(entity, None, name, rules)
    if rules.indexes_text_columns:
        return
    keyed = [
        *table.primary_key,
        *(c for i in table.indexes for c in i.columns),
        *(c for u in table.uniques for c in u.columns),
    ]
    for f in entity.fields:
        if f.column in keyed and f.mapped.type.kind in _UNINDEXABLE:
            raise EntityDefinitionError(
                entity.name,
                f.attribute,
                f"{rules.name} cannot index a {f.mapped.type.kind} column: give it a max_length",
            )


def _check_global_names(entities: Sequence[EntityDef], tables: Sequence[Table]) -> None:
    """Index names are per schema on PostgreSQL and SQLite, so two tables cannot share one."""
    seen: dict[str, str] = {}
    for entity, table in zip(entities, tables, strict=True):
        for name in [i.name for i in table.indexes] + [u.name or "" for u in table.uniques]:
            if name in seen:
                raise EntityDefinitionError(
                    entity.name, None, f"index name {name!r} is also used by entity {seen[name]}"
                )
            seen[name] = entity.name
