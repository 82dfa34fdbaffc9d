"""Development on a terminal gets short human lines; production and pipes get JSON; library
chatter stays below the banner (WARNING and up only)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import orjson
import pytest

from subgraphs.shared.logs import (
    REDACTED,
    HumanFormatter,
    JsonFormatter,
    configure_logging,
    wants_human_logs,
)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in ("mail.log", "uvicorn.error")}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, value in levels.items():
        logging.getLogger(name).setLevel(value)


def test_development_on_a_terminal_reads_human_lines_and_the_rest_json() -> None:
    assert wants_human_logs(environment="development", stream=Terminal())
    assert not wants_human_logs(environment="development", stream=io.StringIO())
    assert not wants_human_logs(environment="production", stream=Terminal())


def test_a_human_line_is_short_and_still_redacted() -> None:
    record = logging.makeLogRecord(
        {"msg": "login for %s", "args": ("ann@example.org",), "levelname": "INFO", "name": "id"}
    )
    record.user_id = "42"
    line = HumanFormatter().format(record)
    assert line.endswith(f"INFO    id: login for {REDACTED} user_id=42")
    assert "{" not in line


@pytest.mark.usefixtures("restore_logging")
def test_library_chatter_is_kept_at_warning_and_our_own_info_is_written(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(component="healthbook", level="INFO")
    logging.getLogger("mail.log").info("Peer: ('127.0.0.1', 5555)")
    logging.getLogger("uvicorn.error").info("Application startup complete.")
    logging.getLogger("subgraphs.notifications").info("reminders dispatched")
    logging.getLogger("mail.log").warning("SMTP session ended badly")
    lines = [orjson.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(line["logger"], line["level"]) for line in lines] == [
        ("subgraphs.notifications", "INFO"),
        ("mail.log", "WARNING"),
    ]
    assert isinstance(logging.getLogger().handlers[0].formatter, JsonFormatter)
