"""How ``sql --offline`` writes text for each client, checked as exact strings (no database)."""

from __future__ import annotations

from goofer_core.dialects import get_dialect


def test_a_mysql_body_gets_a_delimiter_it_does_not_contain():
    client = get_dialect("mysql").client_script()
    assert client.statement("CREATE TABLE t (id INT)") == "CREATE TABLE t (id INT);"
    body = "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET @a = '//'; END"
    assert client.statement(body) == f"DELIMITER $$\n{body}$$\nDELIMITER ;"
    # A statement ending in '$' would let "$$" end one character early.
    ends_in_dollar = "SELECT 1; SELECT `//`, `@@`, a$"
    assert client.statement(ends_in_dollar) == f"DELIMITER //1\n{ends_in_dollar}//1\nDELIMITER ;"


def test_stored_text_is_hex_on_every_client():
    text = "it's \\ a\r\nCRLF — “ünïcode” 🎉"
    hexed = text.encode("utf-8").hex()
    assert get_dialect("postgresql").client_script().text(text) == (
        f"convert_from(decode('{hexed}', 'hex'), 'UTF8')"
    )
    assert get_dialect("mysql").client_script().text(text) == f"CONVERT(X'{hexed}' USING utf8mb4)"
    assert get_dialect("sqlite").client_script().text(text) == f"CAST(X'{hexed}' AS TEXT)"


def test_words_stay_readable_unless_they_need_quoting():
    client = get_dialect("sqlite").client_script()
    assert client.word("20240101000000") == "'20240101000000'"
    assert client.word("o'brien") == client.text("o'brien")
