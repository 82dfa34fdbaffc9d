"""Fresh, migrated stores for tests, on SQLite and on PostgreSQL.

Each component's schema is migrated once per test session (a template SQLite file; one
PostgreSQL database per component, named for this process and dropped at the end); each
test then gets an empty copy: the SQLite template copied, or the PostgreSQL tables
truncated.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
from sqlalchemy import text

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

    def postgres_url(self, component: str) -> str:
        if component not in self._postgres:
            name = f"hb_test_{self.run_id}_{component}"
            asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
            url = f"postgresql+asyncpg://{PG_HOST}/{name}"
            upgrade(component, url)
            self._postgres[component] = url
        return self._postgres[component]

    def drop_all(self) -> None:
        for url in self._postgres.values():
            name = url.rsplit("/", 1)[1]
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._postgres.clear()


async def fresh_store(
    templates: StoreTemplates, backend: str, component: str, directory: Path
) -> Database:
    """An empty, migrated store of `component` on `backend`."""
    if backend == "sqlite":
        template = await asyncio.to_thread(templates.sqlite_template, component)
        path = directory / f"{component}-{uuid.uuid4().hex[:8]}.sqlite3"
        shutil.copyfile(template, path)
        return Database.from_url(f"sqlite+aiosqlite:///{path}")
    url = await asyncio.to_thread(templates.postgres_url, component)
    database = Database.from_url(url)
    await truncate(database)
    return database


async def truncate(database: Database) -> None:
    """Empty every table but Alembic's version table."""
    async with database.engine.begin() as connection:
        rows = await connection.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename NOT LIKE 'alembic_version%'"
            )
        )
        tables = [f'"{row[0]}"' for row in rows]
        if tables:
            await connection.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
