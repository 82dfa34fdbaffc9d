"""Alembic, once per store: each subgraph keeps its own `migrations/` folder and version table.

A subgraph's `migrations/env.py` is just `run_env(<its metadata tables>)`; `upgrade` runs
from code (the `healthbook migrate` command and the embedded start-up).
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, Table, pool
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_engine_from_config
from sqlmodel import SQLModel

SHARED_TABLES = ("outbox_messages", "handled_events")


def alembic_config(component: str, url: str) -> Config:
    package = importlib.import_module(f"subgraphs.{component}")
    folder = Path(package.__file__ or "").parent / "migrations"
    config = Config()
    config.set_main_option("script_location", str(folder))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["component"] = component
    return config


def upgrade(component: str, url: str, revision: str = "head") -> None:
    """Bring the store of `component` at `url` to `revision` (blocking; call off the loop)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(component, url), revision)


def downgrade(component: str, url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(component, url), revision)


def component_metadata(table_names: Iterable[str]) -> MetaData:
    """A metadata holding only this store's tables (plus the outbox and inbox)."""
    names = {*table_names, *SHARED_TABLES}
    metadata = MetaData()
    for table in SQLModel.metadata.tables.values():
        if table.name in names:
            table.to_metadata(metadata)
    return metadata


def _run(connection: Connection, metadata: MetaData, component: str) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=f"alembic_version_{component}",
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=lambda obj, name, kind, reflected, compare_to: (
            not (kind == "table" and isinstance(obj, Table) and name not in metadata.tables)
        ),
    )
    with context.begin_transaction():
        context.run_migrations()


def migration_engine(section: dict[str, Any]) -> AsyncEngine:
    """The engine a migration runs on: no pool, and (as every engine) no parameters in errors."""
    return async_engine_from_config(
        section, prefix="sqlalchemy.", poolclass=pool.NullPool, hide_parameters=True
    )


def run_env(table_names: Iterable[str]) -> None:
    """The body of every subgraph's `migrations/env.py` (online mode, async engine)."""
    config = context.config
    component = str(config.attributes.get("component") or config.get_main_option("component"))
    metadata = component_metadata(table_names)
    engine = migration_engine(config.get_section(config.config_ini_section, {}))

    async def migrate() -> None:
        async with engine.connect() as connection:
            await connection.run_sync(_run, metadata, component)
        await engine.dispose()

    asyncio.run(migrate())
