"""The busy-time projection: appointments' events keep `doctor_busy_times` up to date.

Idempotent (the inbox skips a repeated event) and order-tolerant: each row remembers the
time of the newest event applied, and an older event arriving late changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from subgraphs.doctors.models import BusyTime
from subgraphs.doctors.service.next_free import mark_changed
from subgraphs.doctors.service.publishing import Delivery, first_time
from subgraphs.doctors.service.store import NAMESPACE
from subgraphs.shared.cache import Cache
from subgraphs.shared.database import Database
from subgraphs.shared.upsert import insert_or_skip


async def record_busy_time(
    *,
    db: Database,
    cache: Cache,
    delivery: Delivery | None,
    appointment_id: uuid.UUID,
    doctor_id: uuid.UUID,
    start: datetime,
    end: datetime,
    active: bool,
    event_time: datetime,
) -> bool:
    """Mark [start, end) busy for the appointment (or free it when not `active`).

    A rescheduled appointment simply moves its one row, which frees the previous range.
    Returns whether anything changed.
    """
    changed = False
    async with db.transaction() as session:
        if not await first_time(session, delivery):
            return False
        values = {
            "appointment_id": appointment_id,
            "doctor_id": doctor_id,
            "start": start.astimezone(UTC),
            "end": end.astimezone(UTC),
            "active": active,
            "event_time": event_time,
        }
        # Insert-or-skip: two events of one appointment handled at once must not both insert.
        affected = {doctor_id}
        if await insert_or_skip(session, BusyTime, values, ["appointment_id"]):
            changed = True
        elif (
            row := await session.get(
                BusyTime, appointment_id, with_for_update=True, populate_existing=True
            )
        ) is not None and event_time >= row.event_time.astimezone(UTC):
            affected.add(row.doctor_id)
            row.doctor_id, row.start, row.end = (
                doctor_id,
                start.astimezone(UTC),
                end.astimezone(UTC),
            )
            row.active, row.event_time = active, event_time
            session.add(row)
            changed = True
        if changed:
            await mark_changed(session, affected)  # their stored next free slots
    if changed:
        await cache.invalidate(NAMESPACE)
    return changed
