"""JSON logs carrying request and trace ids, with secrets redacted before they are written."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

from subgraphs.shared.telemetry import current_trace_id

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

_SECRET_KEYS = re.compile(
    r"(password|passwd|secret|token|authorization|api[_-]?key|signature|hash|cookie)", re.I
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@\s]+@")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# A PHC string: `$argon2id$v=19$m=…,t=…,p=…$<salt>$<digest>`, commas and all (stopping at the
# first comma left the salt and the digest in the line).
_ARGON2 = re.compile(r"\$argon2[a-z]*\$[A-Za-z0-9+/=,$]*")
# PostgreSQL's constraint errors quote the offending values: "Key (email)=(ann@…) exists".
_KEY_DETAIL = re.compile(r"(Key \([^)]*\)=\()[^\n]*?(\) )")
# Loggers that print statement parameters or raw frames at DEBUG: never below WARNING.
NOISY_LOGGERS = ("pika", "aiosqlite", "asyncpg", "httpx", "httpcore", "asyncio")
# Libraries that chatter at INFO (the local SMTP server logs ~150 lines at start and ten per
# email; uvicorn, Dramatiq and Alembic announce every step): WARNING and up only.
CHATTY_LOGGERS = ("mail.log", "aiosmtpd", "uvicorn", "dramatiq", "alembic", "websockets")
# SQLAlchemy logs every statement at INFO and each result row at DEBUG (names, emails,
# reasons; `hide_parameters` hides only the statements' parameters): WARNING and up, and
# statements alone (INFO, never rows) when LOG_LEVEL=DEBUG asks for a developer's detail.
ROW_LOGGERS = ("sqlalchemy",)
REDACTED = "[REDACTED]"


def redact_text(text: str) -> str:
    """Remove bearer tokens, JWTs, password hashes, emails and URL passwords from free text."""
    text = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    text = _JWT.sub(REDACTED, text)
    text = _ARGON2.sub(REDACTED, text)
    text = _KEY_DETAIL.sub(rf"\1{REDACTED}\2", text)
    text = _URL_PASSWORD.sub(rf"\1{REDACTED}@", text)
    return _EMAIL.sub(REDACTED, text)


def redact(value: Any, key: str = "") -> Any:
    """A copy of `value` with every secret-looking field and token replaced."""
    if key and _SECRET_KEYS.search(key):
        return REDACTED
    if isinstance(value, dict):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


_STANDARD = set(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "taskName",
    "color_message",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, ids and extra fields."""

    def __init__(self, component: str) -> None:
        super().__init__()
        self.component = component

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "component": self.component,
            "logger": record.name,
            "message": redact_text(record.getMessage()),
        }
        if request_id := request_id_var.get():
            entry["request_id"] = request_id
        if trace_id := current_trace_id():
            entry["trace_id"] = trace_id
        extra = {k: v for k, v in vars(record).items() if k not in _STANDARD}
        entry.update(redact(extra))
        if record.exc_info:
            entry["exception"] = redact_text(self.formatException(record.exc_info))
        return orjson.dumps(entry, default=str).decode()


class HumanFormatter(logging.Formatter):
    """Short lines for a developer's terminal: time, level, logger, message, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        extra = redact({k: v for k, v in vars(record).items() if k not in _STANDARD})
        fields = "".join(f" {key}={value}" for key, value in extra.items())
        line = f"{moment} {record.levelname:<7} {record.name}: "
        line += redact_text(record.getMessage()) + fields
        if record.exc_info:
            line += "\n" + redact_text(self.formatException(record.exc_info))
        return line


def wants_human_logs(*, environment: str, stream: Any = None) -> bool:
    """Human lines in development on a terminal; JSON in production and when piped."""
    output = sys.stderr if stream is None else stream
    is_tty = bool(getattr(output, "isatty", lambda: False)())
    return environment != "production" and is_tty


def configure_logging(*, component: str, level: str, human: bool = False) -> None:
    """Send every log record to stderr: JSON lines, or short human lines with `human`."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(HumanFormatter() if human else JsonFormatter(component))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name, capped in logger_levels(level).items():
        logging.getLogger(name).setLevel(capped)


def hide_message_arguments(actor_loggers: Iterable[logging.Logger]) -> None:
    """Keep Dramatiq actors' own loggers at WARNING: each logs every message it receives at
    DEBUG (`Received args=…`: whole event payloads, names and phone numbers included) under
    the actor's module and name (`workers.events.notifications.handle_event`), outside the
    `dramatiq` logger that `logger_levels` caps; they log nothing else."""
    for logger in actor_loggers:
        logger.setLevel(logging.WARNING)


def logger_levels(level: str) -> dict[str, int]:
    """The level of each library logger that must log less than `level` (the root's)."""
    wanted = logging.getLevelName(level)
    levels = {name: max(logging.WARNING, wanted) for name in (*NOISY_LOGGERS, *CHATTY_LOGGERS)}
    statements = logging.INFO if wanted <= logging.DEBUG else max(logging.WARNING, wanted)
    return levels | {name: statements for name in ROW_LOGGERS}
