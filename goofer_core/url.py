"""Database URLs: parse the three supported schemes and never render the password.

Parsed at every boot, so ``urllib.parse`` (a few milliseconds to import) is imported only when a
URL has something to decode (``%`` escapes, a query string) or something is rendered or redacted.
"""

from __future__ import annotations

from .errors import ConfigurationError

# Scheme (as written by the user) -> dialect name. SQLAlchemy-style "+driver" suffixes
# (postgresql+psycopg://, mysql+pymysql://) are accepted so framework settings can be reused.
SCHEMES: dict[str, str] = {
    "sqlite": "sqlite",
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
}

MASK = "***"
# Query parameters that are the password itself: moved into DatabaseURL.password.
PASSWORD_KEYS = ("password", "passwd")


def is_secret_key(key: str) -> bool:
    """Return whether a query parameter's value is a secret (sslpassword, token, ...)."""
    lowered = key.lower()
    return any(word in lowered for word in ("pass", "secret", "token"))


def _fail(problem: str) -> ConfigurationError:
    return ConfigurationError(f"database URL: {problem}")


class DatabaseURL:
    """A parsed database URL; ``str()`` and ``repr()`` mask the password."""

    __slots__ = ("database", "dialect", "host", "password", "port", "query", "user")

    def __init__(
        self,
        dialect: str,
        database: str,
        host: str | None = None,
        port: int | None = None,
        user: str | None = None,
        password: str | None = None,
        query: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.dialect = dialect
        self.database = database
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.query = query

    def _key(self) -> tuple[object, ...]:
        return (self.dialect, self.database, self.host, self.port, self.user, self.password,
                self.query)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DatabaseURL):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    @classmethod
    def parse(cls, text: str) -> DatabaseURL:
        """Parse ``text``; errors name the problem but never echo the URL's secrets."""
        scheme, sep, rest = text.partition("://")
        if not sep:
            raise _fail("expected SCHEME://..., for example sqlite:///app.db")
        base_scheme = scheme.split("+", 1)[0].lower()
        dialect = SCHEMES.get(base_scheme)
        if dialect is None:
            supported = ", ".join(f"{s}://" for s in SCHEMES)
            raise _fail(f"unsupported scheme {base_scheme!r}; supported: {supported}")
        rest, _, query_text = rest.partition("?")
        query = _parse_query(query_text)
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
        return DatabaseURL(self.dialect, name, self.host, self.port, self.user, self.password,
                           self.query)

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


def redact(text: str, *secrets: str | None) -> str:
    """Replace every occurrence of each secret (and its URL-quoted form) with ``***``."""
    for secret in secrets:
        if secret:
            from urllib.parse import quote

            for form in {secret, quote(secret, safe=""), quote(secret)}:
                text = text.replace(form, MASK)
    return text


def password_in(text: str) -> str | None:
    """Return the password written in a URL string, without validating anything else."""
    _, sep, rest = text.partition("://")
    if not sep:
        return None
    netloc = rest.split("?", 1)[0]
    userinfo, at, _ = netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return None
    return unquote(userinfo.split(":", 1)[1]) or None


def secrets_in(text: str) -> list[str]:
    """Return every secret in a URL string (password, secret query values), never raising.

    Used to redact output even when the URL itself is malformed.
    """
    found = [password_in(text)]
    _, _, query_text = text.partition("?")
    found += [v for k, v in _parse_query(query_text) if is_secret_key(k)]
    return [secret for secret in found if secret]


def unquote(text: str) -> str:
    """Decode ``%`` escapes (importing urllib.parse only when there are any)."""
    if "%" not in text:
        return text
    from urllib.parse import unquote as decode

    return decode(text)


def _parse_query(text: str) -> tuple[tuple[str, str], ...]:
    if not text:
        return ()
    from urllib.parse import parse_qsl

    return tuple(parse_qsl(text, keep_blank_values=True))
