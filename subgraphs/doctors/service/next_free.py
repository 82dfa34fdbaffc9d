"""Each doctor's stored next free slot (`Doctor.next_free_*`), kept right by the changes.

Every change that can move a doctor's next slot — weekly rules, exceptions, ad-hoc slots,
booking policy, profile (time zone, visit length), busy time from appointments' events —
calls `mark_changed` in its own transaction: the stored value is dropped and the epoch
moves on. `refresh` (run before a search) works out every dropped or expired value
(`domain.next_free`: a value stays right until the slot can no longer be booked) and
stores it only if no change came in meanwhile (same epoch), so a search that raced a
change never writes an old answer back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.doctors.domain.next_free import next_free
from subgraphs.doctors.domain.onboarding import DoctorStatus
from subgraphs.doctors.models import Doctor
from subgraphs.doctors.service.store import DOCTOR_KEY_COLUMNS, DoctorKey, schedules_for
from subgraphs.shared.database import Database

__all__ = ["forget", "mark_changed", "refresh"]

CHUNK = 500
_TABLE = Doctor.__table__  # type: ignore[attr-defined]
# Stored only if no change came in since it was read (same epoch).
_STORE = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("b_id"), _TABLE.c.next_free_epoch == bindparam("b_epoch"))
    .values(
        next_free_start=bindparam("b_start"),
        next_free_end=bindparam("b_end"),
        next_free_valid_until=bindparam("b_until"),
    )
)


def _stale(now: datetime) -> Any:
    return select(Doctor).where(
        col(Doctor.status) == DoctorStatus.APPROVED,
        or_(col(Doctor.next_free_valid_until).is_(None), col(Doctor.next_free_valid_until) <= now),
    )


def forget(doctor: Doctor) -> None:
    """`mark_changed` for a doctor loaded in the caller's session (flushed with it)."""
    doctor.next_free_valid_until = None
    # An SQL expression, so that concurrent changes each add one.
    setattr(doctor, "next_free_epoch", col(Doctor.next_free_epoch) + 1)  # noqa: B010


async def mark_changed(session: AsyncSession, doctor_ids: Iterable[uuid.UUID]) -> None:
    """Forget the stored next slot of these doctors (in the caller's transaction)."""
    ids = list(set(doctor_ids))
    if not ids:
        return
    await session.exec(
        update(Doctor)
        .where(col(Doctor.id).in_(ids))
        .values(next_free_valid_until=None, next_free_epoch=col(Doctor.next_free_epoch) + 1)
        .execution_options(synchronize_session=False)
    )


async def refresh(db: Database, *, now: datetime) -> int:
    """Work out and store every approved doctor's next slot that is missing or expired;
    how many were worked out (a raced one is not stored, and stays to be worked out)."""
    stored = 0
    async with db.session() as session:  # most searches find nothing to do: no write
        stale_ids = (await session.exec(_stale(now).with_only_columns(col(Doctor.id)))).all()
    if not stale_ids:
        return 0
    async with db.transaction() as session:
        stale = (
            select(Doctor)
            .where(
                col(Doctor.status) == DoctorStatus.APPROVED,
                or_(
                    col(Doctor.next_free_valid_until).is_(None),
                    col(Doctor.next_free_valid_until) <= now,
                ),
            )
            .with_only_columns(*DOCTOR_KEY_COLUMNS, col(Doctor.next_free_epoch))
        )
        rows = (await (await session.connection()).execute(stale)).all()
        for i in range(0, len(rows), CHUNK):
            part = rows[i : i + CHUNK]
            keys = [DoctorKey(*row[:-1]) for row in part]
            schedules = await schedules_for(session, keys, since=now)
            changes = []
            for key, row in zip(keys, part, strict=True):
                found = next_free(schedules[key.id], now=now)
                changes.append(
                    {
                        "b_id": key.id,
                        "b_epoch": row[-1],
                        "b_start": found.slot.start.astimezone(UTC) if found.slot else None,
                        "b_end": found.slot.end.astimezone(UTC) if found.slot else None,
                        "b_until": found.valid_until.astimezone(UTC),
                    }
                )
            await (await session.connection()).execute(_STORE, changes)
            stored += len(changes)
    return stored
