"""Helpers for audit tests: the AuditRecorded rows of a store and chaining them in identity."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from subgraphs.shared.audit import chain
from subgraphs.shared.audit.entry import AUDIT_RECORDED
from subgraphs.shared.audit.trail import TrailEntry
from subgraphs.shared.database import Database
from subgraphs.shared.outbox import OutboxMessage


async def recorded(db: Database) -> list[dict[str, Any]]:
    """The payloads (plus `id`) of the audit entries waiting in a store's outbox, in order."""
    async with db.session() as session:
        rows = (
            await session.exec(
                select(OutboxMessage)
                .where(col(OutboxMessage.event_type) == AUDIT_RECORDED)
                .order_by(col(OutboxMessage.created_at))
            )
        ).all()
    return [{"id": str(row.id), **row.payload} for row in rows]


async def chain_outbox(source: Database, trail: Database) -> None:
    """Deliver every AuditRecorded of `source` to the trail kept in `trail` (the consumer's job)."""
    async with source.session() as session:
        rows = (
            await session.exec(
                select(OutboxMessage)
                .where(col(OutboxMessage.event_type) == AUDIT_RECORDED)
                .order_by(col(OutboxMessage.created_at))
            )
        ).all()
    async with trail.transaction() as session:
        await chain.append(
            session, [chain.entry_from(row.id, row.occurred_at, row.payload) for row in rows]
        )


async def trail_entries(trail: Database) -> list[TrailEntry]:
    async with trail.session() as session:
        return list((await session.exec(select(TrailEntry).order_by(col(TrailEntry.seq)))).all())
