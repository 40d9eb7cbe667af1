"""The commands that compare the migrations with the entities or replay them.

check, generate and verify.
"""

from __future__ import annotations

from ...errors import ConfigurationError
from .. import output
from ..spec import Argument, Command, Invocation, Kind, Option
from . import tenants
from .common import (
    SHADOW_PREFIX,
    SHADOW_URL,
    TENANT_OPTIONS,
    TENANTS_ONE_OF,
    own_dialect,
    print_safe,
    with_shadow,
)
from .common import generator as generator_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ...verify import VerifyResult
    from ...verify.runner import ProgressHandler


def check(
    run: Invocation,
    shadow_url: str | None,
    shadow_prefix: str | None,
    verify: bool,
    schemas: str | None,
    schemas_from: str | None,
    jobs: int,
) -> int:
    """Exit 1 unless nothing is pending, modified, missing or failed, and entities match."""
    run = with_shadow(run, shadow_url, shadow_prefix)
    if tenants.given(schemas, schemas_from):
        if verify:
            raise ConfigurationError(
                "--verify: not with tenants (it replays the directory, the same for every "
                "tenant): run check --verify once without --schemas"
            )
        return tenants.check(run, schemas, schemas_from, jobs, lambda: entity_reasons(run))
    reasons = check_reasons(run, verify)
    for reason in reasons:
        print_safe(run, reason)
    if reasons:
        run.err(output.check_failed(len(reasons)))
        return 1
    run.out(output.CHECK_OK)
    return 0


def check_reasons(run: Invocation, verify: bool = False) -> list[str]:
    """Return why ``check`` fails (empty when all is well).

    Migrations not in step with the database, entities that differ from the migrations (when
    entity modules are set) and, with ``verify``, a down that does not revert its up. With a
    folder per dialect, also every way the folders are out of step; the rest is about the
    database's own dialect.
    """
    from ...migrations.layout import folder_differences, layout_dialects

    settings = run.settings
    dialects = layout_dialects(settings.directory, settings.dialects)
    reasons = folder_differences(settings.directory, dialects) if dialects else []
    run = run._replace(settings=own_dialect(settings))
    reasons += run.settings.migrator().check() + entity_reasons(run)
    if verify:
        from ...verify.report import failure_reason

        failure = _verify(run).failure
        reasons += [] if failure is None else [failure_reason(failure)]
    return reasons


def entity_reasons(run: Invocation) -> list[str]:
    """Return where the entities differ from the migrations (none when no entity is set)."""
    settings = run.settings
    if settings.entities or settings.models:
        generator = generator_of(settings)
        if len(generator.registry) or generator.models:
            return generator.check()
    return []


def generate(
    run: Invocation,
    name: str,
    empty: bool,
    dry_run: bool,
    shadow_url: str | None,
    shadow_prefix: str | None,
) -> None:
    """Write a migration pair with the difference between the entities and the migrations."""
    settings = with_shadow(run, shadow_url, shadow_prefix).settings
    if empty:  # a pair to fill by hand needs neither entities nor a database
        settings = settings._replace(entities=(), models=())
    generator = generator_of(settings, on_warning=lambda message: run.err(f"warning: {message}"))
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


def verify(
    run: Invocation,
    pending_only: bool,
    as_json: bool,
    shadow_url: str | None,
    shadow_prefix: str | None,
) -> int:
    """Check on a scratch database that each down reverts its up; the database is not changed."""
    from ...verify.report import failure_summary, progress_line, report_lines

    progress = run.err if as_json else run.out
    result = _verify(
        with_shadow(run, shadow_url, shadow_prefix),
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
    from ...verify import pending_ids, verify_migrations

    settings = run.settings
    if not settings.database_url and not settings.shadow_url:
        raise ConfigurationError(f"no database URL: set {settings.url_hint}")
    settings = own_dialect(settings)
    only = pending_ids(settings.migrator()) if pending_only else None
    return verify_migrations(
        settings.directory,
        database_url=settings.database_url,
        shadow_url=settings.shadow_url,
        shadow_prefix=settings.shadow_prefix,
        # The scratch database has no schemas but its own: its tracking table is the bare name.
        table=settings.table.rpartition(".")[2],
        only=only,
        on_progress=on_progress,
        base=settings.base_schema,
    )


COMMANDS = (
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
            *TENANT_OPTIONS,
        ),
        one_of=(TENANTS_ONE_OF,),
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
