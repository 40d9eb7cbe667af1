"""The commands that adopt Goofer on an existing database or another tool's history.

baseline and import.
"""

from __future__ import annotations

from ...errors import ConfigurationError, GooferError
from ..spec import Argument, Command, Invocation, Kind, OneOf, Option
from .common import SHADOW_PREFIX, SHADOW_URL, migrator, with_shadow

#: How many schema differences ``baseline --verify-schema`` names before "and N more".
SHOWN_DIFFERENCES = 3


def baseline(
    run: Invocation,
    migration_id: str,
    verify_schema: bool,
    shadow_url: str | None,
    shadow_prefix: str | None,
) -> None:
    """Record every migration up to ID as applied, running none of them."""
    run = with_shadow(run, shadow_url, shadow_prefix)
    database = migrator(run)
    if verify_schema:
        _verify_schema(run, migration_id)
    recorded = database.baseline(migration_id)
    for m in recorded:
        run.out(f"recorded {m.label} as applied (not run)")
    plural = "s" if len(recorded) != 1 else ""
    if recorded:
        run.out(f"Baselined {len(recorded)} migration{plural} up to {migration_id}.")
    else:
        run.out(f"Nothing to record: every migration up to {migration_id} is already applied.")


def _verify_schema(run: Invocation, migration_id: str) -> None:
    """Raise naming the first differences between the database and the migrations' schema."""
    from ...migrations.baseline import select_baseline
    from ...verify.live import describe_live, live_differences

    settings = run.settings
    if not settings.database_url:
        raise ConfigurationError(f"--verify-schema needs a database URL: set {settings.url_hint}")
    chosen = select_baseline(settings.migrator().files(), migration_id)
    differences = live_differences(
        settings.database_url,
        chosen,
        table=settings.table,
        shadow_url=settings.shadow_url,
        shadow_prefix=settings.shadow_prefix,
        base=settings.base_schema,
    )
    if differences:
        shown = "; ".join(describe_live(d) for d in differences[:SHOWN_DIFFERENCES])
        more = len(differences) - SHOWN_DIFFERENCES
        raise GooferError(
            f"baseline {migration_id}: the database's schema is not what the migrations up to "
            f"it create: {shown}{f' (and {more} more)' if more > 0 else ''}; nothing was recorded"
        )


def import_(run: Invocation, tool: str, source: str, force: bool, from_table: str) -> None:
    """Write a Goofer copy of golang-migrate's or dbmate's migrations into --dir."""
    from ...adopt import import_history

    settings = run.settings
    database = migrator(run) if settings.database_url or settings.open_migrator else None
    result = import_history(
        tool, source, settings.directory, force=force, database=database, from_table=from_table
    )
    for m in result.migrations:
        changes = "; ".join(m.changes) if m.changes else "copied as is"
        run.out(f"{m.source.up_file} -> {m.stem}.up.sql: {changes}")
    count = len(result.migrations)
    verb = "Already imported (nothing written):" if result.unchanged else "Imported"
    run.out(
        f"{verb} {count} migration{'s' if count != 1 else ''} from {tool} into "
        f"{settings.directory}; versions mapped in {result.mapping}."
    )
    history = result.history
    if history is None:
        return
    if history.missing:
        run.out(f"No {tool} table {from_table} in the database: nothing recorded as applied.")
        return
    count = len(result.applied)
    run.out(
        f"Recorded {count} migration{'s' if count != 1 else ''} as applied (none run), as "
        f"{tool}'s {from_table} lists them."
    )
    if result.failed:
        advice = (
            f"{result.failed}: recorded as failed (golang-migrate's dirty flag): repair it, "
            f"then run 'goofer resolve {result.failed} --applied' or '--rolled-back'."
        )
        spelling = run.settings.spelling  # in the words of flask goofer / manage.py
        run.out(advice if spelling is None else spelling.respell(advice))


COMMANDS = (
    Command(
        "baseline",
        baseline,
        baseline.__doc__ or "",
        arguments=(Argument("migration_id", "ID"),),
        options=(
            Option(
                "--verify-schema",
                "verify_schema",
                "First check that the database has exactly the schema those migrations create "
                "(on a scratch database).",
                Kind.FLAG,
            ),
            SHADOW_URL,
            SHADOW_PREFIX,
        ),
    ),
    Command(
        "import",
        import_,
        import_.__doc__ or "",
        arguments=(Argument("source", "SRC"),),
        options=(
            Option(
                "--from",
                "tool",
                "The tool SRC belongs to: golang-migrate or dbmate.",
                metavar="TOOL",
            ),
            Option(
                "--force",
                "force",
                "Replace the files of a previous import in --dir.",
                Kind.FLAG,
            ),
            Option(
                "--from-table",
                "from_table",
                "The other tool's tracking table [default schema_migrations].",
                metavar="NAME",
                default="schema_migrations",
            ),
        ),
        one_of=(
            OneOf(("tool",), required="say whose SRC is: --from golang-migrate or --from dbmate"),
        ),
    ),
)
