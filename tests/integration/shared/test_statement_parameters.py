"""No engine puts statement parameters into its errors: they hold hashes, emails and names."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, StatementError

from subgraphs.shared.database import Database
from subgraphs.shared.migrations import migration_engine
from tests.conftest import MakeStore

SECRET = "$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0LXNhbHQ$ZmFrZS1oYXNoLXZhbHVl"


async def test_a_failed_statement_names_no_parameter(make_store: MakeStore) -> None:
    database = await make_store("identity")
    with pytest.raises((DBAPIError, StatementError)) as raised:
        async with database.engine.begin() as connection:
            # Not a table: the statement fails after its parameters are bound.
            await connection.execute(text("INSERT INTO no_such_table VALUES (:v)"), {"v": SECRET})
    assert SECRET not in str(raised.value)
    assert "argon2" not in str(raised.value)


async def test_the_migration_engine_names_no_parameter(tmp_path: Path) -> None:
    engine = migration_engine({"sqlalchemy.url": f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"})
    database = Database(engine)
    try:
        with pytest.raises((DBAPIError, StatementError)) as raised:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT * FROM missing WHERE a = :v"), {"v": SECRET})
        assert SECRET not in str(raised.value)
    finally:
        await database.dispose()
