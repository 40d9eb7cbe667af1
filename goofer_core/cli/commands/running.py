"""The commands that run a database's migrations or report on them.

up, down, status, sql and resolve.
"""

from __future__ import annotations

from ...errors import ConfigurationError
from .. import output
from ..spec import Argument, Command, Invocation, Kind, OneOf, Option
from . import tenants
from .common import TENANT_OPTIONS, TENANTS_ONE_OF, TO, migrator, print_safe


def up(
    run: Invocation, to: str | None, schemas: str | None, schemas_from: str | None, jobs: int
) -> int | None:
    """Apply pending migrations."""
    if tenants.given(schemas, schemas_from):
        return tenants.up(run, schemas, schemas_from, jobs, to)
    applied = migrator(run, progress=True).up(to=to)
    run.out(output.applied_summary(len(applied)))
    return None


def down(
    run: Invocation,
    steps: int | None,
    to: str | None,
    everything: bool,
    schemas: str | None,
    schemas_from: str | None,
    jobs: int,
) -> int | None:
    """Revert the most recently applied migration (or --steps N, --to ID, --all)."""
    if tenants.given(schemas, schemas_from):
        return tenants.down(run, schemas, schemas_from, jobs, (steps or 1, to, everything))
    reverted = migrator(run, progress=True).revert(steps or 1, to, everything)
    run.out(output.reverted_summary(len(reverted)))
    return None


def status(
    run: Invocation, as_json: bool, schemas: str | None, schemas_from: str | None, jobs: int
) -> int | None:
    """List every migration with its state."""
    if tenants.given(schemas, schemas_from):
        return tenants.status(run, schemas, schemas_from, jobs, as_json)
    statuses = migrator(run).status()
    if as_json:
        run.out(output.status_json(statuses))
    else:
        print_safe(run, output.status_table(statuses))
    return None


def sql(
    run: Invocation,
    down: bool,
    to: str | None,
    steps: int,
    everything: bool,
    offline: bool,
    start: str | None,
    dialect: str | None,
) -> None:
    """Print the SQL that up (or down) would run, touching nothing."""
    if offline:
        run.out(offline_sql(run, dialect, down, start, to, steps, everything).rstrip("\n"))
        return
    if start is not None or dialect is not None:
        flag = "--from" if start is not None else "--dialect"
        raise ConfigurationError(f"{flag}: only with --offline (sql reads the database otherwise)")
    scripts = migrator(run).plan_sql(down, to, steps, everything)
    if not scripts:
        run.out("-- nothing to run")
    for path, text in scripts:
        run.out(f"-- {path.name}")
        run.out(text.rstrip("\n") + "\n")


def offline_sql(
    run: Invocation,
    dialect: str | None,
    down: bool,
    start: str | None,
    to: str | None,
    steps: int,
    everything: bool,
) -> str:
    """Return ``sql --offline``'s file: the dialect from --dialect, else the URL's scheme.

    The URL is only parsed, never connected to: it may name a server that does not exist.
    """
    from ...dialects import get_dialect
    from ...migrations.offline import offline_sql as write
    from ...url import DatabaseURL

    settings = run.settings
    if dialect is None:
        if not settings.database_url:
            raise ConfigurationError(
                f"sql --offline: no dialect: give --dialect sqlite|postgresql|mysql, "
                f"or set {settings.url_hint} (only its scheme is read)"
            )
        dialect = DatabaseURL.parse(settings.database_url).dialect
    return write(
        settings.directory,
        get_dialect(dialect),
        settings.table,
        start=start,
        to=to,
        down=down,
        steps=steps,
        everything=everything,
        on_warning=lambda message: run.err(f"warning: {message}"),
    )


def resolve(run: Invocation, migration_id: str, applied: bool, rolled_back: bool) -> None:
    """Settle a migration that failed part-way (MySQL DDL, no-transaction migrations)."""
    migrator(run).resolve(migration_id, applied=applied)
    run.out(f"{migration_id}: marked {'applied' if applied else 'rolled-back'}.")


COMMANDS = (
    Command("up", up, up.__doc__ or "", options=(TO, *TENANT_OPTIONS), one_of=(TENANTS_ONE_OF,)),
    Command(
        "down",
        down,
        down.__doc__ or "",
        options=(
            Option("--steps", "steps", "Revert N migrations.", Kind.INT, minimum=1),
            Option("--to", "to", "Revert everything applied after ID.", metavar="ID"),
            Option("--all", "everything", "Revert every applied migration.", Kind.FLAG),
            *TENANT_OPTIONS,
        ),
        one_of=(OneOf(("steps", "to", "everything")), TENANTS_ONE_OF),
    ),
    Command(
        "status",
        status,
        status.__doc__ or "",
        options=(
            Option(
                "--json",
                "as_json",
                "Print a JSON array (with tenants: an object, an array per tenant).",
                Kind.FLAG,
            ),
            *TENANT_OPTIONS,
        ),
        one_of=(TENANTS_ONE_OF,),
        prints_data=True,
    ),
    Command(
        "sql",
        sql,
        sql.__doc__ or "",
        options=(
            Option("--down", "down", "Show what down would run instead of up.", Kind.FLAG),
            Option("--to", "to", "As up --to / down --to.", metavar="ID"),
            Option("--steps", "steps", "As down --steps.", Kind.INT, minimum=1, default=1),
            Option("--all", "everything", "As down --all.", Kind.FLAG),
            Option(
                "--offline",
                "offline",
                "Connect to nothing: print a file for psql/mariadb/sqlite3 that does what up "
                "would, tracking table included (no lock is taken: run it once).",
                Kind.FLAG,
            ),
            Option(
                "--from",
                "start",
                "With --offline: the database has every migration up to and including ID "
                "[default: none].",
                metavar="ID",
            ),
            Option(
                "--dialect",
                "dialect",
                "With --offline: sqlite, postgresql or mysql [default: the database URL's scheme].",
                metavar="NAME",
            ),
        ),
        prints_data=True,
    ),
    Command(
        "resolve",
        resolve,
        resolve.__doc__ or "",
        arguments=(Argument("migration_id", "ID"),),
        options=(
            Option(
                "--applied",
                "applied",
                "The migration's changes are fully in place (finished by hand).",
                Kind.FLAG,
            ),
            Option(
                "--rolled-back",
                "rolled_back",
                "The migration's changes are fully undone (by hand).",
                Kind.FLAG,
            ),
        ),
        one_of=(
            OneOf(
                ("applied", "rolled_back"), required="say how it ended: --applied or --rolled-back"
            ),
        ),
    ),
)
