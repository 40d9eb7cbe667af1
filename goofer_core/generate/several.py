"""Generate one history for several dialects: a pair per dialect folder, all with one id.

Each dialect's pair is the difference between the entities and that dialect's own folder,
replayed in a scratch database of that dialect (SQLite in memory; PostgreSQL and MySQL on a
server: the database URL serves its own dialect, the shadow URLs, one per dialect, the others).
When only some dialects see a difference (a type two dialects store alike), the pair goes to
those folders only, marked ``-- goofer:only a,b`` so that ``check`` knows the others are not
missing it.
"""

from __future__ import annotations

from ..dialects import get_dialect
from ..errors import ConfigurationError
from ..migrations.files import ONLY
from ..migrations.layout import folder_differences
from ..url import DatabaseURL

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from .generator import MigrationGenerator

#: Where the "needs a server" error tells the user to name one.
SHADOW_HINT = "--shadow-url / GOOFER_SHADOW_DATABASE_URL"


def server_urls(
    value: str | DatabaseURL | Sequence[str | DatabaseURL] | None,
) -> dict[str, DatabaseURL]:
    """Return dialect -> server URL from one URL, several separated by spaces, or a list.

    Each URL's scheme says which dialect's scratch databases it is for; two for one dialect is
    an error, since only one can be used.
    """
    if value is None:
        return {}
    if isinstance(value, DatabaseURL):
        value = [value]
    items = value.split() if isinstance(value, str) else value
    servers: dict[str, DatabaseURL] = {}
    for item in items:
        url = DatabaseURL.parse(item) if isinstance(item, str) else item
        dialect = get_dialect(url.dialect).name
        if dialect in servers:
            raise ConfigurationError(
                f"shadow URLs: two for {dialect} ({servers[dialect]} and {url}); keep one"
            )
        servers[dialect] = url
    return servers


class SeveralDialects:
    """The generators of one history's dialect folders, run as one ``generate``."""

    def __init__(
        self,
        dialects: Sequence[str],
        out_path: Path,
        *,
        make: Callable[..., MigrationGenerator],
        new_id: Callable[[list[str]], str],
        database_url: DatabaseURL | None,
        shadow_url: str | DatabaseURL | Sequence[str | DatabaseURL] | None,
        on_warning: Callable[[str], None],
    ) -> None:
        """Build each dialect's generator with ``make`` (MigrationGenerator, partly applied).

        ``new_id`` returns the id after the given ones (the generator module's ``next_id``).
        """
        self.out_path = out_path
        self.dialects = tuple(dialects)
        self.new_id = new_id
        self.servers = server_urls(shadow_url)
        own = get_dialect(database_url.dialect).name if database_url else None
        self.generators: dict[str, MigrationGenerator] = {
            dialect: make(
                dialect=dialect,
                out_path=out_path / dialect,
                database_url=database_url if dialect == own else None,
                shadow_url=self.servers.get(dialect),
                on_warning=_prefixed(dialect, on_warning),
            )
            for dialect in self.dialects
        }

    def preview(self, name: str, *, empty: bool = False) -> list[tuple[Path, str]] | None:
        """Return every folder's pair, as (path, text), or None when no dialect sees a change."""
        folder_differences(self.out_path, self.dialects)  # raises for a misplaced marked file
        migration_id = self.new_id([m.id for g in self.generators.values() for m in g.migrations()])
        if not empty:  # every server is named before any scratch database is made
            self._need_servers()
        pairs = {}
        for dialect, generator in self.generators.items():
            pair = generator.preview(name, empty=empty, migration_id=migration_id)
            if pair:
                pairs[dialect] = pair
        if not pairs:
            return None
        if len(pairs) < len(self.dialects):
            mark = f"{ONLY} {','.join(pairs)}\n"
            return [(path, mark + text) for pair in pairs.values() for path, text in pair]
        return [file for pair in pairs.values() for file in pair]

    def check(self) -> list[str]:
        """Return why the folders disagree, or differ from the entities (each dialect's own)."""
        reasons = folder_differences(self.out_path, self.dialects)
        self._need_servers()
        for dialect, generator in self.generators.items():
            reasons += [f"{dialect}: {reason}" for reason in generator.check()]
        return reasons

    def warnings(self) -> list[str]:
        """Return the warnings of the last ``preview``, each starting with its dialect."""
        return [f"{d}: {w}" for d, g in self.generators.items() for w in g.warnings]

    def _need_servers(self) -> None:
        """Raise naming the setting when a server dialect has no server for its scratch database."""
        for dialect, generator in self.generators.items():
            if get_dialect(dialect).scratch_in_memory:
                continue
            if generator.shadow_url or generator.database_url:
                continue
            raise ConfigurationError(
                f"{dialect}: generating its migrations needs a {dialect} server for a scratch "
                f"database: add a {dialect}:// URL to {SHADOW_HINT} (several, separated by spaces)"
            )


def _prefixed(dialect: str, handler: Callable[[str], None]) -> Callable[[str], None]:
    """Return a warning handler that says which dialect the warning is about."""
    return lambda message: handler(f"{dialect}: {message}")
