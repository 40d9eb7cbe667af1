"""up, down, status and check with ``--schemas`` / ``--schemas-from``: one run, many tenants.

Not commands of their own: the commands in ``running`` and ``schema`` hand over here when a
tenant option is given. One line per tenant as it finishes (``tenant_a: 3 applied (120 ms)``,
or ``tenant_a: error: ...`` on stderr), then ``N tenants: X ok, Y failed: a, b``; exit 1 when
any tenant failed, naming it.
"""

from __future__ import annotations

from ...errors import ConfigurationError
from ...redaction import redact
from .. import output
from .common import migrator

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from ...migrations.events import Event
    from ...migrations.tenants import TenantResult, Tenants
    from ..spec import Invocation


def given(schemas: str | None, schemas_from: str | None) -> bool:
    """Return whether the command runs on tenants."""
    return bool(schemas or schemas_from)


def tenants(
    run: Invocation,
    schemas: str | None,
    schemas_from: str | None,
    jobs: int,
    line: Callable[[TenantResult], str] | None = None,
) -> Tenants:
    """Return the run's tenants, printing ``line(result)`` (or the error) as each one finishes."""
    from ...migrations.tenants import Tenants, tenants_from_query

    template = migrator(run)
    if schemas_from:
        names = tenants_from_query(template, schemas_from)
    else:
        names = [name.strip() for name in (schemas or "").split(",") if name.strip()]
        if not names:
            raise ConfigurationError(f"--schemas {schemas!r}: no tenant named")

    def on_result(result: TenantResult) -> None:
        if result.error is not None:
            run.err(f"{result.tenant}: error: {run.settings.message(result.error)}")
        elif line is not None:
            run.out(line(result))

    def on_event(tenant: str, event: Event) -> None:
        if output.is_warning(event):
            run.err(f"warning: {tenant}: {_safe(run, event.message)}")
        elif event.kind == "waiting":
            run.out(f"{tenant}: {event.message}")

    return Tenants(template, names, jobs, on_result=on_result, on_event=on_event)


def _safe(run: Invocation, text: str) -> str:
    """Return ``text`` with the settings' secrets masked."""
    return redact(text, *run.settings.secrets())


def _took(result: TenantResult) -> str:
    return f"({result.seconds * 1000:.0f} ms)"


def _errored(result: TenantResult) -> bool:
    return not result.ok


def summary(
    run: Invocation,
    results: Sequence[TenantResult],
    quiet_when_ok: bool = False,
    failed_if: Callable[[TenantResult], bool] = _errored,
) -> int:
    """Print ``N tenants: X ok, Y failed: a, b``; return the exit code (1 if any failed)."""
    failed = [r.tenant for r in results if failed_if(r)]
    count = len(results)
    text = f"{count} tenant{'s' if count != 1 else ''}: {count - len(failed)} ok"
    if failed:
        run.err(f"{text}, {len(failed)} failed: {', '.join(failed)}")
        return 1
    if not quiet_when_ok:
        run.out(text)
    return 0


def up(
    run: Invocation, schemas: str | None, schemas_from: str | None, jobs: int, to: str | None
) -> int:
    """Apply each tenant's pending migrations."""

    def line(result: TenantResult) -> str:
        count = len(result.value)
        return f"{result.tenant}: {count or 'nothing'} applied {_took(result)}"

    return summary(run, tenants(run, schemas, schemas_from, jobs, line).up(to))


def down(
    run: Invocation,
    schemas: str | None,
    schemas_from: str | None,
    jobs: int,
    revert: tuple[int, str | None, bool],
) -> int:
    """Revert on each tenant (``revert``: steps, to, everything)."""

    def line(result: TenantResult) -> str:
        count = len(result.value)
        return f"{result.tenant}: {count or 'nothing'} reverted {_took(result)}"

    return summary(run, tenants(run, schemas, schemas_from, jobs, line).revert(*revert))


def status(
    run: Invocation, schemas: str | None, schemas_from: str | None, jobs: int, as_json: bool
) -> int:
    """Print each tenant's status, in the order given: a table each, or one JSON object."""
    results = tenants(run, schemas, schemas_from, jobs).status()
    done = [r for r in results if r.ok]
    if as_json:
        import json

        by_tenant = {r.tenant: [s.as_dict() for s in r.value] for r in done}
        run.out(json.dumps(by_tenant, indent=2))
    else:
        text = "\n\n".join(f"{r.tenant}:\n{output.status_table(r.value)}" for r in done)
        run.out(_safe(run, text))  # a stored error detail may quote the password
    return summary(run, results, quiet_when_ok=as_json)


def check(
    run: Invocation,
    schemas: str | None,
    schemas_from: str | None,
    jobs: int,
    entity_reasons: Callable[[], list[str]],
) -> int:
    """Print each tenant's problems, then the entities' (checked once); exit 1 if any."""

    def line(result: TenantResult) -> str:
        reasons: list[Any] = result.value
        if not reasons:
            return f"{result.tenant}: ok"
        return "\n".join(f"{result.tenant}: {_safe(run, r)}" for r in reasons)

    results = tenants(run, schemas, schemas_from, jobs, line).check()
    code = summary(run, results, failed_if=lambda r: not r.ok or bool(r.value))
    for reason in entity_reasons():
        run.out(_safe(run, reason))
        code = 1
    return code
