"""verify without a database: schema differences, their wording, the report and the JSON."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from goofer_core.migrations.files import MigrationFile
from goofer_core.schema.model import (
    CheckConstraint,
    Column,
    ColumnType,
    Default,
    ForeignKey,
    Index,
    Schema,
    Table,
    UniqueConstraint,
    View,
)
from goofer_core.verify.report import failure_reason, progress_line, report_lines
from goofer_core.verify.runner import MigrationCheck, Result, VerifyResult
from goofer_core.verify.snapshot import (
    Difference,
    SchemaObject,
    Snapshot,
    compare_snapshots,
    describe_column,
)

ID = Column("id", ColumnType("integer"), False, None, True)
EMAIL = Column("email", ColumnType("string", length=255), False)
NAME = Column("name", ColumnType("string", length=100), True)
USERS = Table("users", (ID, EMAIL, NAME), ("id",))


def snapshot(
    *tables: Table, views: tuple[View, ...] = (), objects: tuple[SchemaObject, ...] = ()
) -> Snapshot:
    return Snapshot(Schema(tables, views), objects)


def texts(before: Snapshot, after: Snapshot) -> list[str]:
    return [d.describe() for d in compare_snapshots(before, after)]


def test_the_same_schema_has_no_differences_whatever_the_column_order() -> None:
    reordered = replace(USERS, columns=(ID, NAME, EMAIL))
    assert compare_snapshots(snapshot(USERS), snapshot(reordered)) == []


def test_an_index_left_behind() -> None:
    indexed = replace(USERS, indexes=(Index("ix_users_email", ("email",)),))
    assert compare_snapshots(snapshot(USERS), snapshot(indexed)) == [
        Difference("index", "users.ix_users_email", None, "(email)")
    ]
    assert texts(snapshot(USERS), snapshot(indexed)) == [
        "index users.ix_users_email (email): absent before up, present after down"
    ]


def test_the_wrong_column_dropped() -> None:
    nickname = Column("nickname", ColumnType("string", length=50), True)
    after = replace(USERS, columns=(ID, EMAIL, nickname))
    assert texts(snapshot(USERS), snapshot(after)) == [
        "column users.name string(100) NULL: present before up, absent after down",
        "column users.nickname string(50) NULL: absent before up, present after down",
    ]


def test_a_changed_column_shows_both_definitions() -> None:
    wider = Column("name", ColumnType("string", length=200), False, Default("literal", "x"))
    after = replace(USERS, columns=(ID, EMAIL, wider))
    assert texts(snapshot(USERS), snapshot(after)) == [
        "column users.name: string(100) NULL before up, string(200) NOT NULL DEFAULT 'x' after down"
    ]


def test_a_table_is_one_difference_and_carries_its_own_objects() -> None:
    trigger = SchemaObject("trigger", "users", "users_touch", "CREATE TRIGGER ...")
    assert texts(snapshot(), snapshot(USERS, objects=(trigger,))) == [
        "table users (id, email, name): absent before up, present after down"
    ]
    assert texts(snapshot(USERS, objects=(trigger,)), snapshot()) == [
        "table users (id, email, name): present before up, absent after down"
    ]


def test_constraints_primary_keys_views_and_other_objects() -> None:
    parent = Table("teams", (ID,), ("id",))
    fk = ForeignKey("fk_users_team", ("team_id",), "teams", ("id",), "CASCADE")
    team = Column("team_id", ColumnType("integer"), True)
    before = replace(
        USERS,
        columns=(ID, EMAIL, NAME, team),
        uniques=(UniqueConstraint(None, ("email",)),),
        checks=(CheckConstraint("ck_name", "length(name) > 0"),),
    )
    after = replace(
        before,
        primary_key=("id", "email"),
        uniques=(),
        foreign_keys=(fk,),
        checks=(CheckConstraint("ck_name", "LENGTH(name)>0"),),
    )
    function = SchemaObject("function", None, "touch()", "trigger 1a2b")
    assert texts(
        snapshot(parent, before, objects=(function,)),
        snapshot(
            parent,
            after,
            views=(View("v", "SELECT 1"),),
            objects=(replace(function, definition="trigger 3c4d"),),
        ),
    ) == [
        "primary key users: (id) before up, (id, email) after down",
        "unique constraint users (email): present before up, absent after down",
        "foreign key users.fk_users_team (team_id) REFERENCES teams (id) ON DELETE CASCADE: "
        "absent before up, present after down",
        "function touch(): defined differently before up and after down",
        "view v: absent before up, present after down",
    ]


def test_difference_labels_and_json() -> None:
    gone = Difference("column", "users.name", "text NULL", None)
    assert gone.describe("after the first up", "after up again") == (
        "column users.name text NULL: present after the first up, absent after up again"
    )
    assert gone.as_dict() == {
        "object": "column",
        "name": "users.name",
        "before": "text NULL",
        "after": None,
        "text": "column users.name text NULL: present before up, absent after down",
    }


def test_describe_column() -> None:
    stamp = Column("at", ColumnType("datetime"), False, Default("now"))
    count = Column("n", ColumnType("integer"), True, Default("literal", "0"))
    assert describe_column(stamp) == "datetime NOT NULL DEFAULT CURRENT_TIMESTAMP"
    assert describe_column(count) == "integer NULL DEFAULT 0"
    assert describe_column(ID) == "integer NOT NULL AUTOINCREMENT"


def migration(mid: str, name: str) -> MigrationFile:
    root = Path("migrations")
    return MigrationFile(mid, name, root)


FIRST = migration("20260101000000", "create_users")
SECOND = migration("20260102000000", "index_users_email")
THIRD = migration("20260103000000", "add_nickname")
INDEX_LEFT = Difference("index", "users.ix_users_email", None, "(email)")
FAILURE = MigrationCheck(
    SECOND,
    Result.FAILED,
    0.0042,
    "not_reverted",
    "20260102000000_index_users_email.down.sql does not revert the up: "
    "after up and down, the schema differs from before up",
    (INDEX_LEFT,),
)


def test_progress_lines() -> None:
    assert progress_line(MigrationCheck(FIRST, Result.PASSED, 0.0021)) == (
        "verified 20260101000000_create_users (2.1 ms)"
    )
    assert progress_line(MigrationCheck(FIRST, Result.REPLAYED, 0.0004)) == (
        "replayed 20260101000000_create_users (0.4 ms)"
    )
    assert progress_line(FAILURE) == "failed 20260102000000_index_users_email (4.2 ms)"


def test_report_of_a_failure() -> None:
    result = VerifyResult(
        "sqlite",
        (
            MigrationCheck(FIRST, Result.PASSED, 0.002),
            FAILURE,
            MigrationCheck(THIRD, Result.SKIPPED),
        ),
    )
    assert not result.ok and result.failure is FAILURE
    assert report_lines(result) == [
        "  20260102000000_index_users_email.down.sql does not revert the up: after up and "
        "down, the schema differs from before up:",
        "    index users.ix_users_email (email): absent before up, present after down",
        "1 later migration not checked.",
    ]
    assert failure_reason(FAILURE) == (
        "20260102000000_index_users_email: down does not revert up: index "
        "users.ix_users_email (email): absent before up, present after down"
    )
    broken_down = MigrationCheck(SECOND, Result.FAILED, 0.001, "down_failed", "down fails: x")
    assert failure_reason(broken_down) == "20260102000000_index_users_email: down fails: x"


def test_report_of_a_success() -> None:
    passed = VerifyResult(
        "postgresql",
        (
            MigrationCheck(FIRST, Result.REPLAYED, 0.001),
            MigrationCheck(SECOND, Result.PASSED, 0.003),
        ),
        True,
    )
    assert report_lines(passed) == [
        "Verified 1 migration: each down reverts its up, and the up applies again."
    ]
    assert report_lines(VerifyResult("mysql", (), True)) == [
        "Nothing to verify: no migration is pending."
    ]
    assert report_lines(VerifyResult("mysql")) == ["Nothing to verify: no migrations."]


def test_json_shape() -> None:
    result = VerifyResult(
        "sqlite",
        (
            MigrationCheck(FIRST, Result.PASSED, 0.0021234567),
            FAILURE,
            MigrationCheck(THIRD, Result.SKIPPED),
        ),
    )
    assert json.loads(json.dumps(result.as_dict())) == {
        "ok": False,
        "dialect": "sqlite",
        "pending_only": False,
        "migrations": [
            {
                "id": "20260101000000",
                "name": "create_users",
                "result": "passed",
                "seconds": 0.002123,
                "problem": None,
                "message": None,
                "differences": [],
            },
            {
                "id": "20260102000000",
                "name": "index_users_email",
                "result": "failed",
                "seconds": 0.0042,
                "problem": "not_reverted",
                "message": FAILURE.message,
                "differences": [INDEX_LEFT.as_dict()],
            },
            {
                "id": "20260103000000",
                "name": "add_nickname",
                "result": "skipped",
                "seconds": None,
                "problem": None,
                "message": None,
                "differences": [],
            },
        ],
    }
    again = MigrationCheck(SECOND, Result.FAILED, 0.001, "reapply_differs", "m", (INDEX_LEFT,))
    assert again.as_dict()["differences"][0]["text"] == (
        "index users.ix_users_email (email): absent after the first up, present after up again"
    )
