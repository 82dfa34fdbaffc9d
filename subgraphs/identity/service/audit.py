"""The audit trail: one row per authentication event, published as `AuthenticationAudited`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.identity import events
from subgraphs.identity.models import AuditAction, AuditEvent, AuditOutcome
from subgraphs.shared import outbox
from subgraphs.shared.database import Database


@dataclass(frozen=True)
class Origin:
    """Where a request came from (the router's `X-Forwarded-For`, else the peer)."""

    address: str | None = None

    @property
    def key(self) -> str:
        return self.address or "unknown"


def record(
    session: AsyncSession,
    *,
    action: AuditAction,
    outcome: AuditOutcome,
    origin: Origin,
    now: datetime,
    actor_id: uuid.UUID | None = None,
    subject_id: uuid.UUID | None = None,
    email: str | None = None,
    reason: str | None = None,
) -> AuditEvent:
    """Add an audit row and its event to the session's transaction."""
    row = AuditEvent(
        occurred_at=now,
        action=action,
        outcome=outcome,
        actor_id=actor_id,
        subject_id=subject_id,
        email=email,
        client_address=origin.address,
        reason=reason,
    )
    session.add(row)
    outbox.record(
        session,
        events.AuthenticationAudited(
            audit_id=row.id,
            action=action.value,
            outcome=outcome.value,
            actor_id=actor_id,
            subject_id=subject_id,
            client_address=origin.address,
            reason=reason,
            occurred_at=now,
        ),
        source=events.SOURCE,
    )
    return row


async def record_alone(
    db: Database,
    *,
    action: AuditAction,
    outcome: AuditOutcome,
    origin: Origin,
    now: datetime,
    subject_id: uuid.UUID | None = None,
    email: str | None = None,
    reason: str | None = None,
) -> None:
    """Write one audit row in a transaction of its own (refusals: the use case changed nothing)."""
    async with db.transaction() as session:
        record(
            session,
            action=action,
            outcome=outcome,
            origin=origin,
            now=now,
            actor_id=subject_id,
            subject_id=subject_id,
            email=email,
            reason=reason,
        )


@dataclass(frozen=True)
class AuditQuery:
    user_id: uuid.UUID | None = None
    action: AuditAction | None = None
    outcome: AuditOutcome | None = None
    since: datetime | None = None
    until: datetime | None = None


async def list_audit(
    *, db: Database, query: AuditQuery, offset: int, limit: int
) -> tuple[Sequence[AuditEvent], int]:
    """Audit rows matching `query`, newest first, and how many match in all."""
    conditions: list[ColumnElement[bool]] = []
    if query.user_id is not None:
        conditions.append(
            (col(AuditEvent.subject_id) == query.user_id)
            | (col(AuditEvent.actor_id) == query.user_id)
        )
    if query.action is not None:
        conditions.append(col(AuditEvent.action) == query.action)
    if query.outcome is not None:
        conditions.append(col(AuditEvent.outcome) == query.outcome)
    if query.since is not None:
        conditions.append(col(AuditEvent.occurred_at) >= query.since)
    if query.until is not None:
        conditions.append(col(AuditEvent.occurred_at) < query.until)
    async with db.session() as session:
        total = (
            await session.exec(select(func.count()).select_from(AuditEvent).where(*conditions))
        ).one()
        rows = (
            await session.exec(
                select(AuditEvent)
                .where(*conditions)
                .order_by(col(AuditEvent.occurred_at).desc(), col(AuditEvent.id))
                .offset(offset)
                .limit(limit)
            )
        ).all()
    return rows, int(total)
