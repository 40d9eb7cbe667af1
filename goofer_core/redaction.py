"""Keep secrets out of output: find them in URLs and mask them in any text.

Imported by everything that prints or raises with a URL around, so it imports nothing at boot
(``urllib.parse`` only when there is something to decode or quote).
"""

from __future__ import annotations

MASK = "***"


def is_secret_key(key: str) -> bool:
    """Return whether a query parameter's value is a secret (sslpassword, token, ...)."""
    lowered = key.lower()
    return any(word in lowered for word in ("pass", "secret", "token"))


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
    found += [v for k, v in parse_query(query_text) if is_secret_key(k)]
    return [secret for secret in found if secret]


def unquote(text: str) -> str:
    """Decode ``%`` escapes (importing urllib.parse only when there are any)."""
    if "%" not in text:
        return text
    from urllib.parse import unquote as decode

    return decode(text)


def parse_query(text: str) -> tuple[tuple[str, str], ...]:
    """Return the (key, value) pairs of a query string, blanks kept."""
    if not text:
        return ()
    from urllib.parse import parse_qsl

    return tuple(parse_qsl(text, keep_blank_values=True))
