from __future__ import annotations

import logging

import orjson

from subgraphs.shared.logs import REDACTED, JsonFormatter, logger_levels, redact, redact_text

JWT = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl"


def test_secret_fields_are_redacted_at_any_depth() -> None:
    data = {"user": {"password": "hunter22", "name": "Ann"}, "refresh_token": "abc"}
    assert redact(data) == {
        "user": {"password": REDACTED, "name": "Ann"},
        "refresh_token": REDACTED,
    }


def test_bearer_tokens_jwts_and_url_passwords_are_removed_from_text() -> None:
    text = f"Authorization: Bearer {JWT} then {JWT} at amqp://guest:s3cret@host/"
    cleaned = redact_text(text)
    assert JWT not in cleaned
    assert "s3cret" not in cleaned
    assert "amqp://guest:[REDACTED]@host/" in cleaned


def test_hashes_emails_and_constraint_values_are_removed_from_text() -> None:
    text = (
        "duplicate key\nDETAIL:  Key (email)=(ann@example.org) already exists. "
        "[parameters: ('$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'bo.b+x@mail.example.co')]"
    )
    cleaned = redact_text(text)
    assert "argon2" not in cleaned
    assert "c2FsdA" not in cleaned  # the salt
    assert "aGFzaA" not in cleaned  # the digest
    assert "@" not in cleaned
    assert "Key (email)=([REDACTED]) already exists" in cleaned


def test_log_lines_are_json_without_secrets() -> None:
    record = logging.makeLogRecord(
        {"msg": "login for %s", "args": ("ann@example.org",), "levelname": "INFO", "name": "t"}
    )
    record.token = JWT
    line = orjson.loads(JsonFormatter("identity").format(record))
    assert line["message"] == f"login for {REDACTED}"
    assert line["component"] == "identity"
    assert line["token"] == REDACTED


def test_debug_logs_no_result_rows_nor_driver_frames() -> None:
    debug = logger_levels("DEBUG")
    assert debug["sqlalchemy"] == logging.INFO  # statements (parameters hidden), never rows
    assert debug["asyncpg"] == debug["pika"] == logging.WARNING
    assert logger_levels("ERROR")["sqlalchemy"] == logging.ERROR  # never more than asked


def test_info_logs_no_sql_statements() -> None:
    assert logger_levels("INFO")["sqlalchemy"] == logging.WARNING  # one line per statement
