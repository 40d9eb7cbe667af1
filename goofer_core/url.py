"""Database URLs: parse the supported schemes and never render the password.

Parsed at every boot, so ``urllib.parse`` (a few milliseconds to import) is imported only when a
URL has something to decode (``%`` escapes, a query string) or something is rendered or redacted.
"""

from __future__ import annotations

from .dialects import NAMES
from .errors import ConfigurationError
from .redaction import MASK, is_secret_key, parse_query, unquote
from .values import Record

# Query parameters that are the password itself: moved into DatabaseURL.password.
PASSWORD_KEYS = ("password", "passwd")


def _fail(problem: str) -> ConfigurationError:
    return ConfigurationError(f"database URL: {problem}")


class DatabaseURL(Record):
    """A parsed database URL; ``str()`` and ``repr()`` mask the password."""

    dialect: str
    database: str
    host: str | None = None
    port: int | None = None
    user: str | None = None
    password: str | None = None
    query: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, text: str) -> DatabaseURL:
        """Parse ``text``; errors name the problem but never echo the URL's secrets."""
        scheme, sep, rest = text.partition("://")
        if not sep:
            raise _fail("expected SCHEME://..., for example sqlite:///app.db")
        # SQLAlchemy-style "+driver" suffixes (postgresql+psycopg://) are accepted so framework
        # settings can be reused.
        base_scheme = scheme.split("+", 1)[0].lower()
        dialect = NAMES.get(base_scheme)
        if dialect is None:
            supported = ", ".join(f"{s}://" for s in NAMES)
            raise _fail(f"unsupported scheme {base_scheme!r}; supported: {supported}")
        rest, _, query_text = rest.partition("?")
        query = parse_query(query_text)
        if dialect == "sqlite":
            return cls._parse_sqlite(rest, query)
        return cls._parse_server(dialect, rest, query)

    @classmethod
    def _parse_sqlite(cls, rest: str, query: tuple[tuple[str, str], ...]) -> DatabaseURL:
        if not rest.startswith("/") or len(rest) < 2:
            raise _fail("SQLite URLs look like sqlite:///relative.db or sqlite:////absolute.db")
        return cls(dialect="sqlite", database=unquote(rest[1:]), query=query)

    @classmethod
    def _parse_server(
        cls, dialect: str, rest: str, query: tuple[tuple[str, str], ...]
    ) -> DatabaseURL:
        # Split at the last "@", so a password with an unencoded "/" or "@" stays whole.
        userinfo, at, location = rest.rpartition("@")
        hostport, _, path = location.partition("/")
        user = password = None
        if at:
            raw_user, colon, raw_password = userinfo.partition(":")
            user = unquote(raw_user) or None
            password = unquote(raw_password) if colon else None
        for key, value in query:
            if key.lower() in PASSWORD_KEYS:
                if password is not None:
                    raise _fail(f"the password is given twice (in the URL and as ?{key}=)")
                password = value
        query = tuple((k, v) for k, v in query if k.lower() not in PASSWORD_KEYS)
        host, port = _split_host_port(hostport)
        database = unquote(path)
        if not database:
            raise _fail(f"no database name: expected {dialect}://user:password@host:port/dbname")
        return cls(dialect, database, host, port, user, password, query)

    def with_database(self, name: str) -> DatabaseURL:
        """Return the same server URL pointing at another database."""
        return self._replace(database=name)

    def secrets(self) -> list[str]:
        """Return every secret the URL holds: the password and secret query values."""
        found = [v for k, v in self.query if is_secret_key(k) and v]
        return [self.password, *found] if self.password else found

    def render(self, show_password: bool = False) -> str:
        """Render as a URL string; the password (and secret parameters) masked unless asked."""
        from urllib.parse import quote

        query = "&".join(
            f"{quote(k)}={quote(v) if show_password or not is_secret_key(k) else MASK}"
            for k, v in self.query
        )
        suffix = f"?{query}" if query else ""
        if self.dialect == "sqlite":
            return f"sqlite:///{self.database}{suffix}"
        auth = ""
        if self.user is not None or self.password is not None:
            auth = quote(self.user or "", safe="")
            if self.password is not None:
                secret = quote(self.password, safe="") if show_password else MASK
                auth += f":{secret}"
            auth += "@"
        host = self.host or ""
        if ":" in host:
            host = f"[{host}]"
        port = f":{self.port}" if self.port is not None else ""
        return f"{self.dialect}://{auth}{host}{port}/{quote(self.database, safe='')}{suffix}"

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"DatabaseURL({self.render()!r})"


def _split_host_port(hostport: str) -> tuple[str | None, int | None]:
    if hostport.startswith("["):
        host, bracket, after = hostport[1:].partition("]")
        if not bracket:
            raise _fail("unterminated [ in the host")
        port_text = after[1:] if after.startswith(":") else ""
        if after and not after.startswith(":"):
            raise _fail("unexpected text after ] in the host")
    else:
        host, _, port_text = hostport.partition(":")
    port = None
    if port_text:
        if not (port_text.isascii() and port_text.isdigit()) or not 0 < int(port_text) < 65536:
            raise _fail("the port must be a number from 1 to 65535")
        port = int(port_text)
    return (unquote(host) or None), port
