"""Errors raised by Goofer: one root, each subclass renders a one-line message."""

from __future__ import annotations


class GooferError(Exception):
    """Root of every error Goofer raises on purpose."""


class ConfigurationError(GooferError):
    """A setting (URL, directory, option) is missing or invalid; the message names it."""


class DriverMissingError(ConfigurationError):
    """The database driver for a dialect is not installed."""

    def __init__(self, dialect: str, module: str, extra: str) -> None:
        self.dialect = dialect
        self.module = module
        self.extra = extra
        super().__init__(
            f"the {dialect} driver ({module}) is not installed: pip install 'goofer[{extra}]'"
        )


class DatabaseConnectError(GooferError):
    """The database could not be reached or refused the login."""


class DatabaseError(GooferError):
    """The database (or a pooler in front of it) failed a statement Goofer sent on its own."""


class MigrationFileError(GooferError):
    """A file in the migrations directory breaks the naming or encoding rules."""

    def __init__(self, filename: str, problem: str) -> None:
        self.filename = filename
        self.problem = problem
        # A name with a newline or another control character is quoted, escapes and all, so
        # the error stays one line.
        shown = filename if filename.isprintable() else repr(filename)
        super().__init__(f"{shown}: {problem}")


class IntegrityError(GooferError):
    """Applied migrations no longer match the files on disk (modified or failed)."""


class UnknownMigrationError(GooferError):
    """A migration id given by the user is not known."""


class LockTimeoutError(GooferError):
    """Another process held the migration lock for longer than the wait allowed."""


class MigrationFailedError(GooferError):
    """A statement of a migration failed; carries where and what the database said."""

    def __init__(
        self,
        filename: str,
        statement: int,
        line: int,
        message: str,
        rolled_back: bool,
        note: str = "",
    ) -> None:
        self.filename = filename
        self.statement = statement
        self.line = line
        self.db_message = message
        self.rolled_back = rolled_back
        text = f"{filename}: statement {statement} (line {line}): {message}"
        super().__init__(f"{text}; {note}" if note else text)


class SqlSplitError(GooferError):
    """The SQL text cannot be split into statements (an unterminated string, comment or body)."""

    def __init__(self, line: int, problem: str) -> None:
        self.line = line
        self.problem = problem
        super().__init__(f"line {line}: {problem}")
