"""Property: right after generate, a second generate finds no changes, on every dialect.

Random entity sets cover every type, nullability, literal and server defaults, uniques,
indexes (single and composite), foreign keys, enums and checks, with identifiers that need
quoting; a false change from a type alias, a default's spelling or an index name fails it.
"""

from __future__ import annotations

import dataclasses
import enum
import os
import tempfile
import uuid
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goofer_core.generate import NOW, Check, Index, Registry, Unique, column
from goofer_core.generate.generator import MigrationGenerator
from goofer_core.url import DatabaseURL


class Colour(enum.Enum):
    RED = "red"
    DARK_BLUE = "dark 'blue'"
    BACK = "back\\slash"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 10


TABLE_NAMES = ["items", "order", "select", "we ird", 'quo"te', "back`tick", "o'neil", "Ünï"]
COLUMN_NAMES = ["value", "group", "from", "two words", 'a"b', "c`d", "e'f", "ñame", "Mixed"]
# MariaDB keeps defaults in 3-byte UTF-8: characters beyond U+FFFF are refused (unit-tested).
CHARACTERS = st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs", "Cc"))
TEXTS = st.text(CHARACTERS, max_size=8) | st.sampled_from(
    ["it's", "back\\slash", "two\\\\", "'", "%s", "-- no", "/* x */"]
)

# kind -> (annotation, column() options, strategy of literal defaults or None, indexable)
KINDS: dict[str, tuple[Any, dict[str, Any], Any, bool]] = {
    "int": (int, {}, st.integers(-(2**31), 2**31 - 1), True),
    "bigint": (int, {"big": True}, st.integers(-(2**63), 2**63 - 1), True),
    "varchar": (str, {"max_length": 40}, TEXTS, True),
    "text": (str, {}, TEXTS, False),
    "bool": (bool, {}, st.booleans(), True),
    "float": (float, {}, st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 3)), True),
    "decimal": (
        Decimal,
        {"precision": 9, "scale": 3},
        st.decimals(-999999, 999999, places=3, allow_nan=False),
        True,
    ),
    "datetime": (
        datetime,
        {},
        st.datetimes(datetime(1901, 1, 1), datetime(2099, 1, 1)) | st.just(NOW),
        True,
    ),
    "date": (date, {}, st.dates(date(1901, 1, 1), date(2099, 1, 1)), True),
    "time": (time, {}, st.times(), True),
    "bytes": (bytes, {}, None, False),
    "uuid": (uuid.UUID, {}, st.uuids(), True),
    "json": (
        dict,
        {},
        st.dictionaries(st.sampled_from(["a", "b'", "c"]), st.integers(-5, 5) | TEXTS, max_size=3),
        False,
    ),
    "enum": (Colour, {}, st.sampled_from(list(Colour)), True),
    "intenum": (Level, {}, st.sampled_from(list(Level)), True),
}


@st.composite
def field_specs(draw: Any, count: int) -> list[dict[str, Any]]:
    """Draw ``count`` field specs with distinct column names."""
    names = draw(
        st.lists(st.sampled_from(COLUMN_NAMES), min_size=count, max_size=count, unique=True)
    )
    specs = []
    for name in names:
        kind = draw(st.sampled_from(sorted(KINDS)))
        annotation, options, defaults, indexable = KINDS[kind]
        nullable = draw(st.booleans())
        default = dataclasses.MISSING
        if defaults is not None and draw(st.booleans()):
            default = draw(defaults)
        flag = draw(st.sampled_from(["", "unique", "index"])) if indexable else ""
        specs.append(
            {
                "name": name,
                "kind": kind,
                "type": annotation,
                "options": options,
                "nullable": nullable,
                "default": default,
                "flag": flag,
                "indexable": indexable,
            }
        )
    return specs


@st.composite
def entity_sets(draw: Any) -> list[dict[str, Any]]:
    """Draw 1-3 entity specs; later ones may reference earlier ones."""
    tables = draw(st.lists(st.sampled_from(TABLE_NAMES), min_size=1, max_size=3, unique=True))
    entities: list[dict[str, Any]] = []
    for position, table in enumerate(tables):
        fields = draw(field_specs(draw(st.integers(1, 4))))
        refs = [e for e in entities if e["simple_pk"]]
        fk = None
        if refs and draw(st.booleans()):
            fk = {
                "target": draw(st.sampled_from(refs))["class"],
                "nullable": draw(st.booleans()),
                "on_delete": draw(st.sampled_from(["NO ACTION", "CASCADE", "RESTRICT"])),
            }
        indexable = [f["name"] for f in fields if f["indexable"]]
        composite = None
        if len(indexable) >= 2 and draw(st.booleans()):
            composite = (draw(st.sampled_from([Index, Unique])), indexable[:2])
        entities.append(
            {
                "class": f"Entity{position}",
                "table": table,
                "fields": fields,
                "fk": fk,
                "simple_pk": draw(st.booleans()) or not fields,
                "composite": composite,
                "check": draw(st.booleans()),
            }
        )
    return entities


def build_registry(specs: list[dict[str, Any]]) -> Registry:
    """Turn entity specs into dataclasses registered in a fresh Registry."""
    reg = Registry()
    classes: dict[str, type] = {}
    for spec in specs:
        fields: list[tuple[str, Any, Any]] = []
        if spec["simple_pk"]:
            fields.append(("id", int, column(primary_key=True)))
        else:
            fields.append(("code", str, column(primary_key=True, max_length=20)))
            fields.append(("part", int, column(primary_key=True)))
        for index, f in enumerate(spec["fields"]):
            annotation = Optional[f["type"]] if f["nullable"] else f["type"]  # noqa: UP045
            options = dict(f["options"], name=f["name"])
            options[f["flag"]] = True if f["flag"] else None
            options.pop("", None)
            default = f["default"]
            if default is NOW:
                options["server_default"] = NOW
            elif default is not dataclasses.MISSING:
                options["server_default"] = default
            fields.append((f"f{index}", annotation, column(**options)))
        if spec["fk"]:
            fk = spec["fk"]
            annotation = Optional[int] if fk["nullable"] else int  # noqa: UP045
            fields.append(
                (
                    "ref_id",
                    annotation,
                    column(foreign_key=classes[fk["target"]], on_delete=fk["on_delete"]),
                )
            )
        cls = dataclasses.make_dataclass(spec["class"], fields, kw_only=True)
        indexes, uniques = [], []
        if spec["composite"]:
            kind, names = spec["composite"]
            attributes = [f"f{[f['name'] for f in spec['fields']].index(n)}" for n in names]
            (indexes if kind is Index else uniques).append(kind(*attributes))
        checks = [Check("1 = 1")] if spec["check"] else []
        reg.register_entity(
            cls, table=spec["table"], indexes=indexes, uniques=uniques, checks=checks
        )
        classes[spec["class"]] = cls
    return reg


def assert_second_generate_is_empty(specs: list[dict[str, Any]], db_url: str) -> None:
    """Generate once into a fresh directory; a second generate must find nothing."""
    dialect = DatabaseURL.parse(db_url).dialect
    registry = build_registry(specs)
    with tempfile.TemporaryDirectory() as directory:
        generator = MigrationGenerator(registry, dialect, Path(directory), database_url=db_url)
        assert generator.generate("first") is not None
        plan = generator.plan()
        assert [op.describe() for op in plan.operations] == [], plan.up_sql


SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


def test_second_generate_finds_no_changes(db_url: str) -> None:
    # Many examples on SQLite (in memory); fewer on servers, where each plan makes a database.
    # GOOFER_PROPERTY_SCALE multiplies both for a longer search.
    scale = int(os.environ.get("GOOFER_PROPERTY_SCALE", "1"))
    examples = (60 if db_url.startswith("sqlite") else 10) * scale

    @settings(max_examples=examples, **SETTINGS)
    @given(specs=entity_sets())
    def second_generate_is_empty(specs: list[dict[str, Any]]) -> None:
        assert_second_generate_is_empty(specs, db_url)

    second_generate_is_empty()
