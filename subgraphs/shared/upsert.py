"""Insert-or-skip for projections that concurrent consumers may create at the same moment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession


async def insert_or_skip(
    session: AsyncSession, model: type[SQLModel], values: Mapping[str, Any], key: Sequence[str]
) -> bool:
    """Insert a row unless one with the same `key` exists (True when this call inserted it).

    A concurrent insert of the same key waits until the other transaction ends, then skips:
    the caller reads the row (`session.get(..., with_for_update=True)`) and updates it, so a
    duplicate never fails with a unique violation that the job would retry.
    """
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(**values).on_conflict_do_nothing(index_elements=list(key))
    result = await session.exec(statement)
    return bool(result.rowcount)
