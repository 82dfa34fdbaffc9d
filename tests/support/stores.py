"""Fresh, migrated stores for tests, on SQLite and on PostgreSQL.

Each component's schema is migrated once per test session (a template SQLite file; a
template PostgreSQL database per component, named for this process and dropped at the end);
each store a test asks for is then its own copy: the SQLite file copied, or a PostgreSQL
database created from the template (and dropped after the test).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from subgraphs.shared.database import Database
from subgraphs.shared.migrations import upgrade

PG_ADMIN_DSN = os.environ.get("TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_HOST = os.environ.get("TEST_POSTGRES_HOST", "postgres@127.0.0.1:5432")
BACKENDS = ("sqlite", "postgresql")


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@dataclass
class StoreTemplates:
    """Migrated templates per (backend, component), created on first use."""

    directory: Path
    run_id: str = field(default_factory=lambda: f"{os.getpid()}_{uuid.uuid4().hex[:6]}")
    _sqlite: dict[str, Path] = field(default_factory=dict)
    _postgres: dict[str, str] = field(default_factory=dict)

    def sqlite_template(self, component: str) -> Path:
        if component not in self._sqlite:
            path = self.directory / f"{component}-template.sqlite3"
            upgrade(component, f"sqlite+aiosqlite:///{path}")
            self._sqlite[component] = path
        return self._sqlite[component]

    def postgres_template(self, component: str) -> str:
        """The name of a migrated template database for `component`."""
        if component not in self._postgres:
            name = f"hb_test_{self.run_id}_{component}"
            asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
            upgrade(component, f"postgresql+asyncpg://{PG_HOST}/{name}")
            self._postgres[component] = name
        return self._postgres[component]

    def drop_all(self) -> None:
        for name in self._postgres.values():
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._postgres.clear()


async def fresh_store(
    templates: StoreTemplates, backend: str, component: str, directory: Path
) -> Database:
    """An empty, migrated store of `component` on `backend`, its own database or file."""
    if backend == "sqlite":
        template = await asyncio.to_thread(templates.sqlite_template, component)
        path = directory / f"{component}-{uuid.uuid4().hex[:8]}.sqlite3"
        shutil.copyfile(template, path)
        return Database.from_url(f"sqlite+aiosqlite:///{path}")
    template_name = await asyncio.to_thread(templates.postgres_template, component)
    name = f"{template_name}_{uuid.uuid4().hex[:8]}"
    await _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
    return Database.from_url(f"postgresql+asyncpg://{PG_HOST}/{name}")


async def drop_store(database: Database) -> None:
    """Close a store and, on PostgreSQL, drop its database."""
    await database.dispose()
    if database.dialect == "postgresql":
        name = database.engine.url.database
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def create_empty_postgres(prefix: str) -> str:
    """A new empty PostgreSQL database; returns its SQLAlchemy URL."""
    name = f"hb_test_{prefix}_{uuid.uuid4().hex[:8]}"
    await _admin(f'CREATE DATABASE "{name}"')
    return f"postgresql+asyncpg://{PG_HOST}/{name}"


async def drop_postgres(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
