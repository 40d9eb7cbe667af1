"""The command that rewrites the history: squash (issue 17, part c)."""

from __future__ import annotations

from ...errors import ConfigurationError
from ..spec import Argument, Command, Invocation, Kind, OneOf, Option
from .common import SHADOW_PREFIX, SHADOW_URL, with_shadow

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ...squash import Squash


def squash(
    run: Invocation,
    name: str,
    to: str,
    dry_run: bool,
    shadow_url: str | None,
    shadow_prefix: str | None,
) -> None:
    """Replace the migrations up to --to ID by one migration that creates the same schema."""
    from ...migrations.base import load_base
    from ...squash import squash_migrations

    settings = with_shadow(run, shadow_url, shadow_prefix).settings
    if not settings.database_url and not settings.shadow_url:
        raise ConfigurationError(f"no database URL: set {settings.url_hint}")
    results = squash_migrations(
        settings.directory,
        to,
        name,
        database_url=settings.database_url,
        shadow_url=settings.shadow_url,
        shadow_prefix=settings.shadow_prefix,
        base=load_base(settings.base_schema),
        dialects=settings.dialects,
        dry_run=dry_run,
        on_warning=lambda message: run.err(f"warning: {message}"),
    )
    for result in results:
        _report(run, result, dry_run)


def _report(run: Invocation, result: Squash, dry_run: bool) -> None:
    """Print what one folder's squash wrote and removed (or, with ``dry_run``, would)."""
    if dry_run:
        for path, text in ((result.up_path, result.up_sql), (result.down_path, result.down_sql)):
            run.out(f"-- {path} (not written)")
            run.out(text)
    verb = "Would remove" if dry_run else "Removed"
    for m in result.replaced:
        run.out(f"{verb} {m.up_path}")
        run.out(f"{verb} {m.down_path}")
    verb = "Would create" if dry_run else "Created"
    run.out(f"{verb} {result.up_path}")
    run.out(f"{verb} {result.down_path}")
    count = len(result.replaced)
    run.out(
        f"Squashed {count} migration{'' if count == 1 else 's'} into {result.up_path.name[:-7]}"
        + (" (dry run: nothing written)." if dry_run else ".")
    )


COMMANDS = (
    Command(
        "squash",
        squash,
        squash.__doc__ or "",
        arguments=(Argument("name", "NAME"),),
        options=(
            Option("--to", "to", "The last migration to replace.", metavar="ID"),
            Option(
                "--dry-run",
                "dry_run",
                "Print the new pair and what would be removed; write nothing.",
                Kind.FLAG,
            ),
            SHADOW_URL,
            SHADOW_PREFIX,
        ),
        one_of=(OneOf(("to",), required="say up to which migration: --to ID"),),
    ),
)
