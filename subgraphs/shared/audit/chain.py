"""The hash chain: appending entries (serialized per store), verifying it, purging old segments.

Each entry's `hash` is SHA-256 over its own fields, its sequence number and the previous
entry's hash, so altering, removing or re-ordering an entry breaks the link at that entry.
Appends are serialized by the store: a transaction-scoped advisory lock on PostgreSQL, the
write lock every SQLite transaction takes (`BEGIN IMMEDIATE`); so replicas of the consumer
append through the database and never fork the chain.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import orjson
from sqlalchemy import delete, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.shared.database import Database

from .trail import GENESIS, TrailAnchor, TrailEntry

LOCK_KEY: Final = 0x48420A0D17  # pg_advisory_xact_lock key of the trail's append lock
FIELDS: Final = (
    "id",
    "occurred_at",
    "recorded_at",
    "component",
    "action",
    "outcome",
    "actor_id",
    "actor_role",
    "subject_type",
    "subject_id",
    "patient_id",
    "reason",
    "client_address",
    "request_id",
    "trace_id",
)
PURGE_FLAG: Final = "healthbook.audit_purge"


def as_text(value: Any) -> str | None:
    """A field as the chain hashes it (datetimes in UTC ISO 8601, ids as text)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat(timespec="microseconds")
    return str(value)


def digest(entry: TrailEntry) -> str:
    """The hash `entry` must carry, given its fields, `seq` and `prev_hash`."""
    body = {name: as_text(getattr(entry, name)) for name in FIELDS}
    body["seq"] = str(entry.seq)
    body["prev_hash"] = entry.prev_hash
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _uuid(value: Any) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value is not None else None


def entry_from(
    entry_id: uuid.UUID, occurred_at: datetime, payload: Mapping[str, Any]
) -> TrailEntry:
    """An unchained entry from an `AuditRecorded` payload (seq and hashes set on append)."""
    return TrailEntry(
        seq=0,
        id=entry_id,
        occurred_at=occurred_at.astimezone(UTC),
        component=str(payload["component"]),
        action=str(payload["action"]),
        outcome=str(payload["outcome"]),
        actor_id=_uuid(payload.get("actor_id")),
        actor_role=str(payload.get("actor_role") or "SYSTEM"),
        subject_type=payload.get("subject_type"),
        subject_id=payload.get("subject_id"),
        patient_id=_uuid(payload.get("patient_id")),
        reason=payload.get("reason"),
        client_address=payload.get("client_address"),
        request_id=payload.get("request_id"),
        trace_id=payload.get("trace_id"),
        prev_hash=GENESIS,
        hash="",
    )


async def _lock(session: AsyncSession) -> None:
    bind = session.bind
    if bind is not None and bind.dialect.name == "postgresql":
        await session.exec(select(func.pg_advisory_xact_lock(LOCK_KEY)))


async def _head(session: AsyncSession) -> tuple[int, str]:
    last = (
        await session.exec(
            select(TrailEntry.seq, TrailEntry.hash).order_by(col(TrailEntry.seq).desc()).limit(1)
        )
    ).first()
    if last is not None:
        return int(last[0]), str(last[1])
    anchor = (
        await session.exec(select(TrailAnchor).order_by(col(TrailAnchor.through_seq).desc()))
    ).first()
    return (anchor.through_seq, anchor.hash) if anchor is not None else (0, GENESIS)


async def append(session: AsyncSession, entries: Iterable[TrailEntry]) -> list[TrailEntry]:
    """Chain the entries not in the trail yet (by id) after its head; returns those added."""
    batch = list({e.id: e for e in entries}.values())
    if not batch:
        return []
    await _lock(session)
    ids = [e.id for e in batch]
    known = set(
        (await session.exec(select(TrailEntry.id).where(col(TrailEntry.id).in_(ids)))).all()
    )
    seq, previous = await _head(session)
    added: list[TrailEntry] = []
    for entry in batch:
        if entry.id in known:
            continue
        seq += 1
        entry.seq, entry.prev_hash = seq, previous
        entry.hash = previous = digest(entry)
        session.add(entry)
        added.append(entry)
    return added


@dataclass(frozen=True)
class Broken:
    seq: int
    entry_id: uuid.UUID | None
    problem: str


@dataclass(frozen=True)
class Verification:
    checked: int
    head_seq: int
    head_hash: str
    anchored_through: int
    broken: Broken | None

    @property
    def ok(self) -> bool:
        return self.broken is None


async def verify(db: Database, *, batch: int = 2000) -> Verification:
    """Walk the chain from the latest purge anchor (or the start) and stop at the first break."""
    async with db.session() as session:
        anchor = (
            await session.exec(select(TrailAnchor).order_by(col(TrailAnchor.through_seq).desc()))
        ).first()
        seq, previous = (anchor.through_seq, anchor.hash) if anchor else (0, GENESIS)
        anchored, checked = seq, 0
        while True:
            rows = (
                await session.exec(
                    select(TrailEntry)
                    .where(col(TrailEntry.seq) > seq)
                    .order_by(col(TrailEntry.seq))
                    .limit(batch)
                )
            ).all()
            for row in rows:
                problem = _problem(row, seq=seq, previous=previous)
                if problem is not None:
                    broken = Broken(seq=seq + 1, entry_id=row.id, problem=problem)
                    return Verification(checked, seq, previous, anchored, broken)
                seq, previous, checked = row.seq, row.hash, checked + 1
            if len(rows) < batch:
                return Verification(checked, seq, previous, anchored, None)


def _problem(row: TrailEntry, *, seq: int, previous: str) -> str | None:
    if row.seq != seq + 1:
        return f"entries {seq + 1} to {row.seq - 1} are missing"
    if row.prev_hash != previous:
        return "its previous hash does not match the entry before it"
    if digest(row) != row.hash:
        return "its content does not match its hash (altered)"
    return None


async def purge(db: Database, *, before: datetime) -> int:
    """Remove the whole segment of entries recorded before `before`, anchoring the chain.

    The anchor keeps the last removed entry's hash, which the first kept entry carries, so
    `verify` still checks every kept link. Returns how many entries were removed.
    """
    async with db.transaction() as session:
        await _lock(session)
        through = (
            await session.exec(
                select(func.max(TrailEntry.seq)).where(col(TrailEntry.recorded_at) < before)
            )
        ).one()
        if through is None:
            return 0
        last = (await session.exec(select(TrailEntry).where(col(TrailEntry.seq) == through))).one()
        count = (
            await session.exec(
                select(func.count()).select_from(TrailEntry).where(col(TrailEntry.seq) <= through)
            )
        ).one()
        session.add(
            TrailAnchor(
                through_seq=int(through),
                hash=last.hash,
                purged_before=before,
                purged_count=int(count),
            )
        )
        await session.flush()
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            await session.exec(select(func.set_config(PURGE_FLAG, "on", True)))
        await session.exec(delete(TrailEntry).where(col(TrailEntry.seq) <= through))
    return int(count)
