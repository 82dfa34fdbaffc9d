"""Suite-wide fixtures: stores on both databases, services, settings, and a per-database count."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from subgraphs.shared.database import Database
from subgraphs.shared.settings import Settings
from tests.support import services
from tests.support.stores import BACKENDS, StoreTemplates, drop_store, fresh_store

# Every log record and process output of the run, scanned for secrets at the end.
pytest_plugins = ("tests.support.suite_logs",)

MakeStore = Callable[[str], Awaitable[Database]]


@pytest.fixture(scope="session")
def store_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreTemplates]:
    templates = StoreTemplates(tmp_path_factory.mktemp("store-templates"))
    yield templates
    templates.drop_all()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Run the test once on SQLite and once on PostgreSQL."""
    name = str(request.param)
    if name == "postgresql":
        services.require("PostgreSQL", services.POSTGRES)
    return name


@pytest.fixture
async def make_store(
    backend: str, store_templates: StoreTemplates, tmp_path: Path
) -> AsyncIterator[MakeStore]:
    """`await make_store("doctors")`: an empty migrated store of that component on `backend`."""
    opened: list[Database] = []

    async def make(component: str) -> Database:
        database = await fresh_store(store_templates, backend, component, tmp_path)
        opened.append(database)
        return database

    yield make
    for database in opened:
        await drop_store(database)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Development settings with a private data directory and no external services."""
    return Settings.from_env({"HEALTHBOOK_DATA_DIR": str(tmp_path / "data")})


@pytest.fixture
def redis_url() -> str:
    services.require("Redis", services.REDIS)
    return "redis://127.0.0.1:6379/0"


_counts: Counter[str] = Counter()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed:
        for name in BACKENDS:
            if f"[{name}" in report.nodeid or f"-{name}" in report.nodeid:
                _counts[name] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _counts:
        line = ", ".join(f"{_counts[name]} on {name}" for name in BACKENDS)
        terminalreporter.write_line(f"tests passed per database: {line}")
