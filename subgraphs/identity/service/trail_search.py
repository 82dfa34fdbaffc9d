"""Searching and exporting the hash-chained audit trail (admins): filters, pages, bounded batches.

Every search and export is itself an entry (`AuditTrailSearched` / `AuditTrailExported`, the
patient filtered on as the patient concerned): looking at who looked is looking too.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import ColumnElement, func
from sqlmodel import col, select

from subgraphs.shared.audit import caller, capture
from subgraphs.shared.audit.entry import entry
from subgraphs.shared.audit.trail import TrailEntry
from subgraphs.shared.database import Database

EXPORT_MAX: Final = 10_000
"""The most entries one export batch holds; the next batch starts after its last `seq`."""


@dataclass(frozen=True)
class TrailQuery:
    """What to look for; every given field must match (`until` is exclusive)."""

    patient_id: uuid.UUID | None = None
    actor_id: uuid.UUID | None = None
    action: str | None = None
    subject_type: str | None = None
    subject_id: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _conditions(query: TrailQuery) -> list[ColumnElement[bool]]:
    wanted: list[ColumnElement[bool]] = []
    if query.patient_id is not None:
        wanted.append(col(TrailEntry.patient_id) == query.patient_id)
    if query.actor_id is not None:
        wanted.append(col(TrailEntry.actor_id) == query.actor_id)
    if query.action is not None:
        wanted.append(col(TrailEntry.action) == query.action)
    if query.subject_type is not None:
        wanted.append(col(TrailEntry.subject_type) == query.subject_type)
    if query.subject_id is not None:
        wanted.append(col(TrailEntry.subject_id) == query.subject_id)
    if query.outcome is not None:
        wanted.append(col(TrailEntry.outcome) == query.outcome)
    if query.since is not None:
        wanted.append(col(TrailEntry.occurred_at) >= query.since)
    if query.until is not None:
        wanted.append(col(TrailEntry.occurred_at) < query.until)
    return wanted


async def _audit_own(db: Database, *, action: str, query: TrailQuery) -> None:
    who = caller.current()
    await capture.record_alone(
        db,
        [
            entry(
                who,
                component="identity",
                action=action,
                subject_type="AuditTrail",
                patient_id=query.patient_id,
            )
        ],
    )


async def search_trail(
    *, db: Database, query: TrailQuery, offset: int, limit: int
) -> tuple[Sequence[TrailEntry], int]:
    """Entries matching `query`, newest first, and how many match in all (audited)."""
    await _audit_own(db, action="AuditTrailSearched", query=query)
    conditions = _conditions(query)
    async with db.session() as session:
        total = (
            await session.exec(select(func.count()).select_from(TrailEntry).where(*conditions))
        ).one()
        rows = (
            await session.exec(
                select(TrailEntry)
                .where(*conditions)
                .order_by(col(TrailEntry.seq).desc())
                .offset(offset)
                .limit(limit)
            )
        ).all()
    return rows, int(total)


async def export_trail(
    *, db: Database, query: TrailQuery, after_seq: int, limit: int
) -> Sequence[TrailEntry]:
    """Up to `limit` (≤ EXPORT_MAX) matching entries after `after_seq`, in chain order (audited)."""
    await _audit_own(db, action="AuditTrailExported", query=query)
    async with db.session() as session:
        rows = (
            await session.exec(
                select(TrailEntry)
                .where(col(TrailEntry.seq) > after_seq, *_conditions(query))
                .order_by(col(TrailEntry.seq))
                .limit(min(limit, EXPORT_MAX))
            )
        ).all()
    return rows
