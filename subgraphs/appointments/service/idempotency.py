"""Booking idempotency keys: a retried request gets the first result, never a second booking.

Keys are scoped per patient and kept for 24 hours; a series booking's key names the series
(one key, one request, whether it booked one appointment or a series). Only successful
bookings are kept: a refused request (SLOT_TAKEN, TOO_LATE, ...) wrote nothing, so
repeating it asks again.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.appointments.models import IdempotencyKeyRow
from subgraphs.shared.errors import BadUserInput, Conflict

KEY_TTL: Final = timedelta(hours=24)
KEY_MAX: Final = 200


def clean_key(key: str) -> str:
    cleaned = key.strip()
    if not 1 <= len(cleaned) <= KEY_MAX or not cleaned.isprintable():
        raise BadUserInput(
            f"An idempotency key is 1 to {KEY_MAX} printable characters.", field="idempotencyKey"
        )
    return cleaned


def fingerprint(*, doctor_id: uuid.UUID, start: datetime, reason: str | None) -> str:
    """What identifies a booking request, independent of how its time was written."""
    canonical = f"{doctor_id}|{start.timestamp():.6f}|{reason or ''}"
    return hashlib.sha256(canonical.encode()).hexdigest()


def series_fingerprint(
    *, doctor_id: uuid.UUID, start: datetime, rule: str, mode: str, reason: str | None
) -> str:
    """What identifies a series request: never equal to a single booking's fingerprint."""
    canonical = f"series|{doctor_id}|{start.timestamp():.6f}|{rule}|{mode}|{reason or ''}"
    return hashlib.sha256(canonical.encode()).hexdigest()


async def find(
    session: AsyncSession, *, patient_id: uuid.UUID, key: str, now: datetime
) -> IdempotencyKeyRow | None:
    """The live key, if this patient used it in the last 24 hours."""
    statement = select(IdempotencyKeyRow).where(
        col(IdempotencyKeyRow.patient_id) == patient_id,
        col(IdempotencyKeyRow.key) == key,
        col(IdempotencyKeyRow.expires_at) > now,
    )
    return (await session.exec(statement)).first()


def replayed_id(row: IdempotencyKeyRow, print_: str) -> uuid.UUID:
    """The appointment the key made, or CONFLICT when the key came with another request."""
    if row.fingerprint != print_:
        raise Conflict(
            "This idempotency key was already used for a different booking.",
            field="idempotencyKey",
        )
    return row.appointment_id


async def remember(
    session: AsyncSession,
    *,
    patient_id: uuid.UUID,
    key: str,
    print_: str,
    appointment_id: uuid.UUID,
    now: datetime,
) -> None:
    """Store the key first (flushed), so that a concurrent repeat waits for this transaction."""
    await session.exec(
        delete(IdempotencyKeyRow).where(
            col(IdempotencyKeyRow.patient_id) == patient_id,
            col(IdempotencyKeyRow.expires_at) <= now,
        )
    )
    session.add(
        IdempotencyKeyRow(
            patient_id=patient_id,
            key=key,
            fingerprint=print_,
            appointment_id=appointment_id,
            created_at=now,
            expires_at=now + KEY_TTL,
        )
    )
    await session.flush()


async def claim(
    session: AsyncSession,
    *,
    patient_id: uuid.UUID,
    key: str,
    print_: str,
    appointment_id: uuid.UUID,
    now: datetime,
) -> IdempotencyKeyRow | None:
    """The live key if this patient used it already (the caller replays or refuses);
    otherwise None, with the key remembered for `appointment_id` (see `remember`)."""
    existing = await find(session, patient_id=patient_id, key=key, now=now)
    if existing is None:
        await remember(
            session,
            patient_id=patient_id,
            key=key,
            print_=print_,
            appointment_id=appointment_id,
            now=now,
        )
    return existing
