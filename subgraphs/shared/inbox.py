"""Idempotent consumers: a handled event id is recorded in the same transaction as its effect."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select
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
    """True the first time `consumer` sees `event_id` in this store; records it in the session.

    Call it inside the transaction that applies the event's effect. A concurrent duplicate
    that slips past the check fails on the primary key at commit and is retried by the bus,
    finding the event handled the second time.
    """
    seen = await session.scalar(
        select(func.count())
        .select_from(HandledEvent)
        .where(HandledEvent.event_id == event_id, HandledEvent.consumer == consumer)  # type: ignore[arg-type]
    )
    if seen:
        return False
    session.add(HandledEvent(event_id=event_id, consumer=consumer, event_type=event_type))
    return True
