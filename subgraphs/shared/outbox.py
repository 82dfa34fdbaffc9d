"""The transactional outbox: events saved in the same transaction as the change they describe."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.shared.events import DomainEvent
from subgraphs.shared.telemetry import current_traceparent


class OutboxStatus(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"


def utcnow() -> datetime:
    return datetime.now(UTC)


class OutboxMessage(SQLModel, table=True):
    """One event waiting for (or done with) publication to the bus."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_pending", "status", "created_at"),)

    id: uuid.UUID = Field(primary_key=True)
    event_type: str = Field(max_length=100)
    version: int
    source: str = Field(max_length=50)
    occurred_at: datetime
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    traceparent: str | None = Field(default=None, max_length=100)
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, max_length=10)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None


def message_of(event: DomainEvent, *, source: str) -> OutboxMessage:
    """The outbox row of `event` (not yet added to any session)."""
    envelope = event.envelope(source=source, traceparent=current_traceparent())
    return OutboxMessage(
        id=event.event_id,
        event_type=envelope.type,
        version=envelope.version,
        source=source,
        occurred_at=event.occurred_at,
        payload=envelope.payload,
        traceparent=envelope.traceparent,
    )


def record(session: AsyncSession, event: DomainEvent, *, source: str) -> OutboxMessage:
    """Add `event` to the session's transaction; it is published only if the transaction commits."""
    message = message_of(event, source=source)
    session.add(message)
    return message
