"""The trail's tables (kept in the identity store): hash-chained entries and purge anchors."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Final

from sqlalchemy import BigInteger, Column, Index
from sqlmodel import Field, SQLModel

TABLES: Final = ("audit_trail", "audit_anchors")
GENESIS: Final = "0" * 64


def utcnow() -> datetime:
    return datetime.now(UTC)


class TrailEntry(SQLModel, table=True):
    """One audit entry, chained: `hash` covers its fields and the previous entry's hash."""

    __tablename__ = "audit_trail"
    __table_args__ = (
        Index("ix_audit_trail_time", "occurred_at"),
        Index("ix_audit_trail_patient_time", "patient_id", "occurred_at"),
        Index("ix_audit_trail_actor_time", "actor_id", "occurred_at"),
        Index("ix_audit_trail_subject", "subject_type", "subject_id"),
        Index("ix_audit_trail_action_time", "action", "occurred_at"),
    )

    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    id: uuid.UUID = Field(unique=True)
    occurred_at: datetime
    recorded_at: datetime = Field(default_factory=utcnow)
    component: str = Field(max_length=30)
    action: str = Field(max_length=80)
    outcome: str = Field(max_length=10)
    actor_id: uuid.UUID | None = None
    actor_role: str = Field(max_length=20)
    subject_type: str | None = Field(default=None, max_length=30)
    subject_id: str | None = Field(default=None, max_length=64)
    patient_id: uuid.UUID | None = None
    reason: str | None = Field(default=None, max_length=80)
    client_address: str | None = Field(default=None, max_length=64)
    request_id: str | None = Field(default=None, max_length=64)
    trace_id: str | None = Field(default=None, max_length=32)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class TrailAnchor(SQLModel, table=True):
    """A purge: entries up to `through_seq` were removed; `hash` was the last one's hash,
    which the first kept entry carries as its `prev_hash`, so the rest still verifies."""

    __tablename__ = "audit_anchors"

    through_seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    hash: str = Field(max_length=64)
    purged_before: datetime
    purged_count: int
    created_at: datetime = Field(default_factory=utcnow)
