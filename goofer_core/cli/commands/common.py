"""What the commands share: the options before the command and the run's Migrator and generator."""

from __future__ import annotations

from ...redaction import redact
from .. import output
from ..spec import Invocation, Kind, OneOf, Option

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ...generate.generator import MigrationGenerator
    from ...migrations.events import Event
    from ...migrations.migrator import Migrator
    from ..settings import Settings


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
        "--table",
        "table",
        "Tracking table, NAME or SCHEMA.NAME [env GOOFER_TABLE; default migrations].",
        metavar="NAME",
    ),
    Option(
        "--lock-timeout",
        "lock_timeout",
        "Longest wait for the migration lock [env GOOFER_LOCK_TIMEOUT; default 60].",
        metavar="SECONDS",
    ),
    Option(
        "--dialects",
        "dialects",
        "Comma-separated dialects that generate writes one history for, each in its folder of "
        "--dir (besides the folders there) [env GOOFER_DIALECTS].",
        metavar="NAMES",
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
    "[env GOOFER_SHADOW_DATABASE_URL; default: the --database-url server]; with several "
    "dialects, one URL per dialect, separated by spaces.",
    metavar="URL",
)

TO = Option("--to", "to", "Stop after this migration.", metavar="ID")

#: Run the command on each tenant (``commands/tenants.py``): up, down, status and check.
TENANT_OPTIONS = (
    Option(
        "--schemas",
        "schemas",
        "Run on each of these tenants: PostgreSQL schemas, or MySQL databases, comma-separated; "
        "each has its own tracking table TENANT.NAME.",
        metavar="A,B,...",
    ),
    Option(
        "--schemas-from",
        "schemas_from",
        "Run on each tenant this SQL query returns (one column of names).",
        metavar="SQL",
    ),
    Option(
        "--jobs",
        "jobs",
        "How many tenants at once, each on its own connection [default 4].",
        Kind.INT,
        minimum=1,
        default=4,
    ),
)
TENANTS_ONE_OF = OneOf(("schemas", "schemas_from"))


def migrator(run: Invocation, progress: bool = False) -> Migrator:
    """Return the run's Migrator: warnings always printed, progress lines when asked."""

    def show(event: Event) -> None:
        if progress or output.is_warning(event):
            output.print_event(event, run.out, run.err)

    return run.settings.migrator(show)


def generator(
    settings: Settings, on_warning: Callable[[str], None] | None = None
) -> MigrationGenerator:
    """Return the generator of the settings' entities and models (their modules imported)."""
    from ...generate.generator import generator_for
    from ...generate.loading import load_models

    return generator_for(
        settings.directory,
        entities=settings.entities,
        models=load_models(settings.models),
        database_url=settings.database_url,
        shadow_url=settings.shadow_url,
        shadow_prefix=settings.shadow_prefix,
        base=settings.base_schema,
        on_warning=on_warning,
        dialects=settings.dialects,
    )


def own_dialect(settings: Settings) -> Settings:
    """Return the settings of the database's dialect alone, when --dir has dialect folders.

    Its folder is the directory and its server (of the shadow URLs, one per dialect) the
    shadow URL, so that check and verify look at that dialect as a single-folder project.
    """
    from ...generate.several import server_urls
    from ...migrations.layout import folder_for, layout_dialects

    if not layout_dialects(settings.directory, settings.dialects):
        return settings
    dialect = settings.migrator().dialect.name
    server = server_urls(settings.shadow_url).get(dialect)
    return settings._replace(
        directory=folder_for(settings.directory, dialect),
        shadow_url=server.render(show_password=True) if server else None,
        dialects=(),
    )


def print_safe(run: Invocation, text: str) -> None:
    """Print text that may quote a stored error, with the settings' secrets masked."""
    run.out(redact(text, *run.settings.secrets()))


def with_shadow(run: Invocation, shadow_url: str | None, shadow_prefix: str | None) -> Invocation:
    """Return the invocation with ``--shadow-url`` and ``--shadow-prefix`` taking precedence."""
    settings = run.settings
    if shadow_url:
        settings = settings._replace(shadow_url=shadow_url)
    if shadow_prefix:
        settings = settings._replace(shadow_prefix=shadow_prefix)
    return run._replace(settings=settings)
