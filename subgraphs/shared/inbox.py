"""Idempotent consumers: a handled event id is recorded in the same transaction as its effect."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession


class HandledEvent(SQLModel, table=True):
    """An event a consumer of this store has already applied."""

    __tablename__ = "handled_events"

    event_id: uuid.UUID = Field(primary_key=True)
    consumer: str = Field(primary_key=True, max_length=100)
    event_type: str = Field(max_length=100)
    handled_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


async def first_delivery(
    session: AsyncSession, *, event_id: uuid.UUID, event_type: str, consumer: str
) -> bool:
    """True the first time `consumer` sees `event_id` in this store, recording it.

    Call it first inside the transaction that applies the event's effect. The insert skips
    on conflict: a concurrent duplicate waits on the key until the first transaction ends,
    then finds it taken (False) if that one committed, or takes it (True) if it rolled back.
    """
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(HandledEvent)
        .values(
            event_id=event_id,
            consumer=consumer,
            event_type=event_type,
            handled_at=datetime.now(UTC),
        )
        .on_conflict_do_nothing(index_elements=["event_id", "consumer"])
    )
    result = await session.exec(statement)
    return bool(result.rowcount)
