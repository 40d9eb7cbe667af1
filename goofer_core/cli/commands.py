"""Every goofer command, described once: its options, their checks, its help and its function.

The click group (``goofer``, ``flask goofer``), the console script's fast path and Django's
``manage.py goofer_*`` commands are all built from ``GROUP_OPTIONS`` and ``COMMANDS``: adding
an option is one edit here. A command's function gets an ``Invocation`` (the settings, and where
to print) and the option values by name; it returns the exit code (None for 0) and raises
GooferError for a failure. What it imports beyond the boot path (generate, verify) it imports
when it runs.
"""

from __future__ import annotations

from ..errors import ConfigurationError
from ..redaction import redact
from . import output
from .spec import Argument, Command, Invocation, Kind, OneOf, Option

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..generate.generator import MigrationGenerator
    from ..migrations.events import Event
    from ..migrations.migrator import Migrator
    from ..verify import VerifyResult
    from ..verify.runner import ProgressHandler
    from .settings import Settings


#: The options before the command: ``goofer --database-url URL --dir DIR up``.
GROUP_OPTIONS = (
    Option(
        "--database-url", "database_url", "Database URL [env GOOFER_DATABASE_URL].", metavar="URL"
    ),
    Option(
        "--dir",
        "directory",
        "Migrations directory [env GOOFER_MIGRATIONS_DIR; default ./migrations].",
        metavar="DIR",
    ),
    Option(
        "--entities",
        "entities",
        "Comma-separated modules that register entities [env GOOFER_ENTITIES].",
        metavar="MODS",
    ),
    Option(
        "--models",
        "models",
        "Comma-separated MODULE:ATTRIBUTE of SQLAlchemy models (a MetaData, a declarative base or "
        "a Flask-SQLAlchemy db) whose tables are entities [env GOOFER_MODELS].",
        metavar="SPECS",
    ),
    Option(
        "--base-schema",
        "base_schema",
        "SQL file of the tables the migrations stand on that Goofer does not own, built first in "
        "scratch databases [env GOOFER_BASE_SCHEMA].",
        metavar="FILE",
    ),
    Option(
        "--table", "table", "Tracking table [env GOOFER_TABLE; default migrations].", metavar="NAME"
    ),
    Option(
        "--lock-timeout",
        "lock_timeout",
        "Longest wait for the migration lock [env GOOFER_LOCK_TIMEOUT; default 60].",
        metavar="SECONDS",
    ),
    Option("--verbose", "verbose", "Show tracebacks on errors.", Kind.FLAG),
)
GROUP_HELP = "Goofer: SQL migrations for SQLite, PostgreSQL and MySQL/MariaDB."

SHADOW_PREFIX = Option(
    "--shadow-prefix",
    "shadow_prefix",
    "How scratch database names start [env GOOFER_SHADOW_PREFIX; default goofer_shadow_].",
    metavar="PREFIX",
)
SHADOW_URL = Option(
    "--shadow-url",
    "shadow_url",
    "Server for the scratch database (PostgreSQL/MySQL) "
    "[env GOOFER_SHADOW_DATABASE_URL; default: the --database-url server].",
    metavar="URL",
)


def _migrator(run: Invocation, progress: bool = False) -> Migrator:
    """Return the run's Migrator: warnings always printed, progress lines when asked."""

    def show(event: Event) -> None:
        if progress or output.is_warning(event):
            output.print_event(event, run.out, run.err)

    return run.settings.migrator(show)


def _generator(
    settings: Settings, on_warning: Callable[[str], None] | None = None
) -> MigrationGenerator:
    """Return the generator of the settings' entities and models (their modules imported)."""
    from ..generate.generator import generator_for
    from ..generate.loading import load_models

    return generator_for(
        settings.directory,
        entities=settings.entities,
        models=load_models(settings.models),
        database_url=settings.database_url,
        shadow_url=settings.shadow_url,
        shadow_prefix=settings.shadow_prefix,
        base=settings.base_schema,
        on_warning=on_warning,
    )


def _print_safe(run: Invocation, text: str) -> None:
    """Print text that may quote a stored error, with the settings' secrets masked."""
    run.out(redact(text, *run.settings.secrets()))


def _with_shadow(run: Invocation, shadow_url: str | None, shadow_prefix: str | None) -> Invocation:
    """Return the invocation with ``--shadow-url`` and ``--shadow-prefix`` taking precedence."""
    settings = run.settings
    if shadow_url:
        settings = settings._replace(shadow_url=shadow_url)
    if shadow_prefix:
        settings = settings._replace(shadow_prefix=shadow_prefix)
    return run._replace(settings=settings)


# -- the commands -----------------------------------------------------------------------------


def up(run: Invocation, to: str | None) -> None:
    """Apply pending migrations."""
    applied = _migrator(run, progress=True).up(to=to)
    run.out(output.applied_summary(len(applied)))


def down(run: Invocation, steps: int | None, to: str | None, everything: bool) -> None:
    """Revert the most recently applied migration (or --steps N, --to ID, --all)."""
    reverted = _migrator(run, progress=True).revert(steps or 1, to, everything)
    run.out(output.reverted_summary(len(reverted)))


def status(run: Invocation, as_json: bool) -> None:
    """List every migration with its state."""
    statuses = _migrator(run).status()
    if as_json:
        run.out(output.status_json(statuses))
    else:
        _print_safe(run, output.status_table(statuses))


def check(run: Invocation, shadow_url: str | None, shadow_prefix: str | None, verify: bool) -> int:
    """Exit 1 unless nothing is pending, modified, missing or failed, and entities match."""
    run = _with_shadow(run, shadow_url, shadow_prefix)
    reasons = check_reasons(run, verify)
    for reason in reasons:
        _print_safe(run, reason)
    if reasons:
        run.err(output.check_failed(len(reasons)))
        return 1
    run.out(output.CHECK_OK)
    return 0


def check_reasons(run: Invocation, verify: bool = False) -> list[str]:
    """Return why ``check`` fails (empty when all is well).

    Migrations not in step with the database, entities that differ from the migrations (when
    entity modules are set) and, with ``verify``, a down that does not revert its up.
    """
    settings = run.settings
    reasons = settings.migrator().check()
    if settings.entities or settings.models:
        generator = _generator(settings)
        if len(generator.registry) or generator.models:
            reasons += generator.check()
    if verify:
        from ..verify.report import failure_reason

        failure = _verify(run).failure
        reasons += [] if failure is None else [failure_reason(failure)]
    return reasons


def generate(
    run: Invocation,
    name: str,
    empty: bool,
    dry_run: bool,
    shadow_url: str | None,
    shadow_prefix: str | None,
) -> None:
    """Write a migration pair with the difference between the entities and the migrations."""
    settings = _with_shadow(run, shadow_url, shadow_prefix).settings
    if empty:  # a pair to fill by hand needs neither entities nor a database
        settings = settings._replace(entities=(), models=())
    generator = _generator(settings, on_warning=lambda message: run.err(f"warning: {message}"))
    if dry_run:
        files = generator.preview(name, empty=empty)
        for path, text in files or ():
            run.out(f"-- {path} (not written)")
            run.out(text)
    else:
        files = [(path, "") for path in generator.generate(name, empty=empty) or ()]
        for path, _ in files:
            run.out(f"Created {path}")
    if not files:
        run.out("No changes detected")


def sql(run: Invocation, down: bool, to: str | None, steps: int, everything: bool) -> None:
    """Print the SQL that up (or down) would run, touching nothing."""
    scripts = _migrator(run).plan_sql(down, to, steps, everything)
    if not scripts:
        run.out("-- nothing to run")
    for path, text in scripts:
        run.out(f"-- {path.name}")
        run.out(text.rstrip("\n") + "\n")


def resolve(run: Invocation, migration_id: str, applied: bool, rolled_back: bool) -> None:
    """Settle a migration that failed part-way (MySQL DDL, no-transaction migrations)."""
    _migrator(run).resolve(migration_id, applied=applied)
    run.out(f"{migration_id}: marked {'applied' if applied else 'rolled-back'}.")


def verify(
    run: Invocation,
    pending_only: bool,
    as_json: bool,
    shadow_url: str | None,
    shadow_prefix: str | None,
) -> int:
    """Check on a scratch database that each down reverts its up; the database is not changed."""
    from ..verify.report import failure_summary, progress_line, report_lines

    progress = run.err if as_json else run.out
    result = _verify(
        _with_shadow(run, shadow_url, shadow_prefix),
        pending_only,
        on_progress=lambda check: progress(progress_line(check)),
    )
    if as_json:
        import json

        run.out(json.dumps(result.as_dict(), indent=2))
    else:
        for line in report_lines(result):
            run.out(line)
    if result.failure is not None:
        run.err(failure_summary(result.failure))
        return 1
    return 0


def _verify(
    run: Invocation, pending_only: bool = False, on_progress: ProgressHandler | None = None
) -> VerifyResult:
    """Run verify with the run's settings (reading the database only for ``pending_only``)."""
    from ..verify import pending_ids, verify_migrations

    settings = run.settings
    if not settings.database_url and not settings.shadow_url:
        raise ConfigurationError(f"no database URL: set {settings.url_hint}")
    only = pending_ids(settings.migrator()) if pending_only else None
    return verify_migrations(
        settings.directory,
        database_url=settings.database_url,
        shadow_url=settings.shadow_url,
        shadow_prefix=settings.shadow_prefix,
        table=settings.table,
        only=only,
        on_progress=on_progress,
        base=settings.base_schema,
    )


TO = Option("--to", "to", "Stop after this migration.", metavar="ID")

COMMANDS = (
    Command("up", up, up.__doc__ or "", options=(TO,)),
    Command(
        "down",
        down,
        down.__doc__ or "",
        options=(
            Option("--steps", "steps", "Revert N migrations.", Kind.INT, minimum=1),
            Option("--to", "to", "Revert everything applied after ID.", metavar="ID"),
            Option("--all", "everything", "Revert every applied migration.", Kind.FLAG),
        ),
        one_of=(OneOf(("steps", "to", "everything")),),
    ),
    Command(
        "status",
        status,
        status.__doc__ or "",
        options=(Option("--json", "as_json", "Print a JSON array.", Kind.FLAG),),
        prints_data=True,
    ),
    Command(
        "check",
        check,
        check.__doc__ or "",
        options=(
            SHADOW_URL,
            SHADOW_PREFIX,
            Option(
                "--verify",
                "verify",
                "Also check on a scratch database that each down reverts its up (verify).",
                Kind.FLAG,
            ),
        ),
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
    Command(
        "generate",
        generate,
        generate.__doc__ or "",
        arguments=(Argument("name", "NAME"),),
        options=(
            Option("--empty", "empty", "Write an empty pair to fill by hand.", Kind.FLAG),
            Option(
                "--dry-run",
                "dry_run",
                "Print both files instead of writing them.",
                Kind.FLAG,
            ),
            SHADOW_URL,
            SHADOW_PREFIX,
        ),
    ),
    Command(
        "verify",
        verify,
        verify.__doc__ or "",
        options=(
            Option(
                "--pending",
                "pending_only",
                "Check only the migrations pending on the "
                "database (the applied ones are replayed first).",
                Kind.FLAG,
            ),
            Option(
                "--json",
                "as_json",
                "Print the result as JSON (progress goes to stderr).",
                Kind.FLAG,
            ),
            SHADOW_URL,
            SHADOW_PREFIX,
        ),
        prints_data=True,
    ),
)
#: The commands by name.
BY_NAME = {command.name: command for command in COMMANDS}
