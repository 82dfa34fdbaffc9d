"""Migration 0008 gives existing series occurrences their rule instances (both stores)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel.sql.sqltypes import UTCDateTime

from subgraphs.shared.database import Database
from subgraphs.shared.migrations import downgrade, upgrade

BERLIN = "Europe/Berlin"  # summer time from 2030-03-31
RULE = "FREQ=WEEKLY;COUNT=4;BYDAY=TU"

_series = sa.table(
    "appointment_series",
    sa.column("id", sa.Uuid()),
    sa.column("patient_id", sa.Uuid()),
    sa.column("doctor_id", sa.Uuid()),
    sa.column("doctor_user_id", sa.Uuid()),
    sa.column("rule", sa.String()),
    sa.column("time_zone", sa.String()),
    sa.column("first_start", UTCDateTime()),
    sa.column("refused", sa.JSON()),
    sa.column("created_at", UTCDateTime()),
)
_appointments = sa.table(
    "appointments",
    sa.column("id", sa.Uuid()),
    sa.column("doctor_id", sa.Uuid()),
    sa.column("doctor_user_id", sa.Uuid()),
    sa.column("patient_id", sa.Uuid()),
    sa.column("starts_at", UTCDateTime()),
    sa.column("ends_at", UTCDateTime()),
    sa.column("status", sa.String()),
    sa.column("time_zone", sa.String()),
    sa.column("reschedule_count", sa.Integer()),
    sa.column("series_id", sa.Uuid()),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)


def _at(day: int, month: int, hour: int) -> datetime:
    return datetime(2030, month, day, hour, tzinfo=UTC)


async def test_each_occurrence_gets_its_instance_in_start_order_skipping_refusals(
    db: Database,
) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    await asyncio.to_thread(downgrade, "appointments", url, "0007")
    series_id, doctor, patient = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    # Instances (UTC): 19 Mar 08:00, 26 Mar 08:00 (refused), 2 Apr 07:00, 9 Apr 07:00.
    refused = [
        {"start": "2030-03-26T08:00:00+00:00", "code": "SLOT_TAKEN", "message": "Taken."},
        # a move of the rest that left 9 Apr where it was: that occurrence exists
        {"start": "2030-04-10T07:00:00+00:00", "code": "SLOT_TAKEN", "message": "", "moved": "x"},
    ]
    occurrences = {  # id → (start now, status): the first moved a day on, one cancelled
        uuid.uuid4(): (_at(20, 3, 9), "CONFIRMED"),
        uuid.uuid4(): (_at(2, 4, 7), "CANCELLED"),
        uuid.uuid4(): (_at(9, 4, 7), "PENDING"),
    }
    single = uuid.uuid4()
    now = _at(1, 3, 12)
    rows = [
        {
            "id": key,
            "doctor_id": doctor,
            "doctor_user_id": doctor,
            "patient_id": patient,
            "starts_at": start,
            "ends_at": start.replace(minute=30),
            "status": status,
            "time_zone": BERLIN,
            "reschedule_count": 0,
            "series_id": series_id if key != single else None,
            "created_at": now,
            "updated_at": now,
        }
        for key, (start, status) in [*occurrences.items(), (single, (_at(3, 4, 9), "PENDING"))]
    ]
    async with db.engine.begin() as connection:
        await connection.execute(
            sa.insert(_series).values(
                id=series_id,
                patient_id=patient,
                doctor_id=doctor,
                doctor_user_id=doctor,
                rule=RULE,
                time_zone=BERLIN,
                first_start=_at(19, 3, 8),
                refused=refused,
                created_at=now,
            )
        )
        await connection.execute(sa.insert(_appointments), rows)
    await db.engine.dispose()

    await asyncio.to_thread(upgrade, "appointments", url)

    read = sa.select(_appointments.c.id, sa.column("recurrence_start", UTCDateTime()))
    async with db.engine.connect() as connection:
        found: dict[uuid.UUID, datetime | None] = dict((await connection.execute(read)).all())
    first, cancelled, last = occurrences
    assert found == {
        first: _at(19, 3, 8),
        cancelled: _at(2, 4, 7),
        last: _at(9, 4, 7),
        single: None,
    }
