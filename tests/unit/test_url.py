"""Database URL parsing: schemes, query parameters, and a password that never shows."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from goofer_core.errors import ConfigurationError
from goofer_core.redaction import redact, secrets_in
from goofer_core.url import DatabaseURL


@pytest.mark.parametrize(
    ("text", "dialect", "database", "host", "port", "user"),
    [
        ("sqlite:///relative.db", "sqlite", "relative.db", None, None, None),
        ("sqlite:////abs/path.db", "sqlite", "/abs/path.db", None, None, None),
        ("sqlite:///:memory:", "sqlite", ":memory:", None, None, None),
        ("postgresql://u:p@db.example:5433/app", "postgresql", "app", "db.example", 5433, "u"),
        ("postgres://localhost/app", "postgresql", "app", "localhost", None, None),
        ("postgresql+psycopg://u@h/app", "postgresql", "app", "h", None, "u"),
        ("mysql://root@127.0.0.1:3306/test", "mysql", "test", "127.0.0.1", 3306, "root"),
        ("mariadb://u:p@[::1]:3307/x", "mysql", "x", "::1", 3307, "u"),
    ],
)
def test_parse(text, dialect, database, host, port, user):
    url = DatabaseURL.parse(text)
    assert (url.dialect, url.database, url.host, url.port, url.user) == (
        dialect,
        database,
        host,
        port,
        user,
    )


def test_query_parameters_pass_through_and_percent_decoding():
    url = DatabaseURL.parse("postgresql://u:p%40ss%3Aword@h/db?sslmode=require&application_name=x")
    assert url.password == "p@ss:word"
    assert dict(url.query) == {"sslmode": "require", "application_name": "x"}


def test_password_is_masked_in_str_and_repr():
    url = DatabaseURL.parse("postgresql://u:hunter2@h/db")
    assert str(url) == "postgresql://u:***@h/db"
    assert "hunter2" not in repr(url)
    assert url.render(show_password=True) == "postgresql://u:hunter2@h/db"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("nonsense", "expected SCHEME://"),
        ("oracle://u:pw@h/db", "unsupported scheme 'oracle'"),
        ("postgresql://u:pw@h:99999/db", "the port must be a number"),
        ("postgresql://u:pw@h:abc/db", "the port must be a number"),
        ("mysql://u:pw@h/", "no database name"),
        ("sqlite://relative.db", "SQLite URLs look like"),
    ],
)
def test_bad_urls_are_one_line_configuration_errors(text, problem):
    with pytest.raises(ConfigurationError) as info:
        DatabaseURL.parse(text)
    assert problem in str(info.value)
    assert "pw" not in str(info.value).replace("postgresql://user:password", "")


password_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="@/?#"),
    min_size=6,
    max_size=20,
).filter(lambda p: p.strip() == p and ":" not in p)


@settings(max_examples=200, deadline=None)
@given(password=password_text, port=st.one_of(st.integers(-5, 70000).map(str), st.text(max_size=4)))
def test_no_parse_error_ever_contains_the_password(password, port):
    text = f"postgresql://user:{password}@host:{port}/db"
    # A password that is part of the URL's own text ("postgr") cannot be told apart from it.
    assume(password not in f"postgresql://user:***@host:{port}/db?")
    try:
        url = DatabaseURL.parse(text)
    except ConfigurationError as exc:
        assert password not in str(exc)
    else:
        assert password not in str(url) and password not in repr(url)
    # Redaction finds the password even in a URL that does not parse, encoded or not.
    assert password not in redact(f"failed for {text}", *secrets_in(text))
