"""Configuration from environment variables, read once at start and failing loudly.

Every variable the code reads is declared in :data:`VARIABLES`, so that `.env.example`,
compose.yaml and the helm chart can be checked against one list.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

COMPONENTS: Final = ("identity", "doctors", "appointments", "notifications")
DEFAULT_PORTS: Final = {
    "router": 4000,
    "identity": 4001,
    "doctors": 4002,
    "appointments": 4003,
    "notifications": 4004,
}


class ConfigError(RuntimeError):
    """A configuration value is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Variable:
    """One environment variable: its name, what it is for, and whether production needs it."""

    name: str
    help: str
    default: str | None = None
    required_in_production: bool = False
    components: tuple[str, ...] = ()


def _database_variable(component: str) -> Variable:
    return Variable(
        f"{component.upper()}_DATABASE_URL",
        f"SQLAlchemy async URL of the {component} store "
        "(postgresql+asyncpg://… or sqlite+aiosqlite:///…); SQLite in the data directory if unset",
        required_in_production=True,
        components=(component, "worker", "scheduler"),
    )


VARIABLES: Final[tuple[Variable, ...]] = (
    Variable("HEALTHBOOK_ENV", "development or production", "development"),
    Variable("HEALTHBOOK_DATA_DIR", "where the embedded mode keeps SQLite files and keys", ".data"),
    Variable("HEALTHBOOK_HOST", "address every server binds", "127.0.0.1"),
    Variable("LOG_LEVEL", "DEBUG, INFO, WARNING or ERROR", "INFO"),
    Variable(
        "BROKER_URL",
        "amqp:// URL of RabbitMQ; empty means the in-process broker",
        required_in_production=True,
    ),
    Variable(
        "REDIS_URL",
        "redis:// URL for cache, pub/sub and rate limits; empty means in-process",
        required_in_production=True,
    ),
    Variable("REDIS_PREFIX", "prefix of every Redis key and channel", "healthbook:"),
    Variable("OTEL_EXPORTER_OTLP_ENDPOINT", "OTLP/HTTP endpoint for traces; unset: no export"),
    Variable("OTEL_SERVICE_NAMESPACE", "service.namespace resource attribute", "healthbook"),
    Variable(
        "HEALTHBOOK_SIGNING_KEY",
        "shared secret the router signs subgraph requests with (HMAC-SHA256)",
        required_in_production=True,
    ),
    Variable("OUTBOX_POLL_SECONDS", "how often the outbox relay looks for new events", "1.0"),
    Variable("JOB_MAX_RETRIES", "retries of a failing job before the dead-letter queue", "5"),
    Variable("JOB_MIN_BACKOFF_MS", "first retry delay; doubles each attempt", "1000"),
    Variable("JOB_MAX_BACKOFF_MS", "longest retry delay", "300000"),
    *(
        Variable(
            f"{name.upper()}_PORT",
            f"port of the {name} server",
            str(port),
            components=(name,),
        )
        for name, port in DEFAULT_PORTS.items()
    ),
    *(_database_variable(name) for name in COMPONENTS),
)


def variable(name: str) -> Variable:
    """The declaration of one variable; unknown names are a programming error."""
    for item in VARIABLES:
        if item.name == name:
            return item
    raise KeyError(f"{name} is not a declared configuration variable")


@dataclass(frozen=True)
class Env:
    """A read-only view of the environment with typed, named failures."""

    values: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    def text(self, name: str) -> str:
        raw = self.values.get(name)
        if raw is None or raw == "":
            default = variable(name).default
            return default if default is not None else ""
        return raw

    def required(self, name: str) -> str:
        value = self.text(name)
        if not value:
            raise ConfigError(f"{name} is required: {variable(name).help}")
        return value

    def integer(self, name: str, *, minimum: int = 0, maximum: int = 2**31) -> int:
        raw = self.text(name)
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
        if not minimum <= value <= maximum:
            raise ConfigError(f"{name} must be between {minimum} and {maximum}, got {value}")
        return value

    def number(self, name: str, *, minimum: float = 0.0) -> float:
        raw = self.text(name)
        try:
            value = float(raw)
        except ValueError:
            raise ConfigError(f"{name} must be a number, got {raw!r}") from None
        if value < minimum:
            raise ConfigError(f"{name} must be at least {minimum}, got {value}")
        return value

    def choice(self, name: str, choices: tuple[str, ...]) -> str:
        value = self.text(name)
        if value not in choices:
            raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
        return value


@dataclass(frozen=True)
class Settings:
    """What every process needs; read once by :meth:`from_env` at start."""

    env: str
    data_dir: Path
    host: str
    log_level: str
    broker_url: str
    redis_url: str
    redis_prefix: str
    otlp_endpoint: str
    signing_key: str
    outbox_poll_seconds: float
    job_max_retries: int
    job_min_backoff_ms: int
    job_max_backoff_ms: int
    ports: Mapping[str, int]
    database_urls: Mapping[str, str]

    @property
    def production(self) -> bool:
        return self.env == "production"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = Env(dict(os.environ) if environ is None else dict(environ))
        mode = env.choice("HEALTHBOOK_ENV", ("development", "production"))
        if mode == "production":
            for item in VARIABLES:
                if item.required_in_production and not item.components:
                    env.required(item.name)
        data_dir = Path(env.text("HEALTHBOOK_DATA_DIR")).resolve()
        database_urls = {}
        for name in COMPONENTS:
            url = env.text(f"{name.upper()}_DATABASE_URL")
            database_urls[name] = url or f"sqlite+aiosqlite:///{data_dir / name}.sqlite3"
        broker_url = env.text("BROKER_URL")
        if broker_url and not broker_url.startswith(("amqp://", "amqps://")):
            raise ConfigError(f"BROKER_URL must be an amqp:// or amqps:// URL, got {broker_url!r}")
        redis_url = env.text("REDIS_URL")
        if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigError("REDIS_URL must be a redis://, rediss:// or unix:// URL")
        return cls(
            env=mode,
            data_dir=data_dir,
            host=env.text("HEALTHBOOK_HOST"),
            log_level=env.choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR")),
            broker_url=broker_url,
            redis_url=redis_url,
            redis_prefix=env.text("REDIS_PREFIX"),
            otlp_endpoint=env.text("OTEL_EXPORTER_OTLP_ENDPOINT"),
            signing_key=env.text("HEALTHBOOK_SIGNING_KEY"),
            outbox_poll_seconds=env.number("OUTBOX_POLL_SECONDS", minimum=0.01),
            job_max_retries=env.integer("JOB_MAX_RETRIES", maximum=100),
            job_min_backoff_ms=env.integer("JOB_MIN_BACKOFF_MS", minimum=1),
            job_max_backoff_ms=env.integer("JOB_MAX_BACKOFF_MS", minimum=1),
            ports={
                name: env.integer(f"{name.upper()}_PORT", minimum=1, maximum=65535)
                for name in DEFAULT_PORTS
            },
            database_urls=database_urls,
        )

    def require_database(self, component: str) -> str:
        """The database URL of a component; production refuses the SQLite fallback."""
        name = f"{component.upper()}_DATABASE_URL"
        url = self.database_urls[component]
        if self.production and url.startswith("sqlite"):
            raise ConfigError(f"{name} is required in production: {variable(name).help}")
        return url
