"""Two events of one appointment handled at the same moment: one projection row, no error."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from subgraphs.doctors.models import BusyTime
from subgraphs.doctors.service.busy import record_busy_time
from subgraphs.notifications.models import AppointmentCopy
from subgraphs.notifications.payloads import AppointmentFacts
from subgraphs.notifications.service.projections import apply_appointment
from subgraphs.shared.cache import MemoryCache
from tests.conftest import MakeStore

START = datetime(2030, 3, 4, 9, tzinfo=UTC)
EVENT = datetime(2030, 3, 1, 8, tzinfo=UTC)


async def test_concurrent_busy_time_events_insert_once(make_store: MakeStore) -> None:
    db = await make_store("doctors")
    appointment, doctor = uuid.uuid4(), uuid.uuid4()
    changes = await asyncio.gather(
        *(
            record_busy_time(
                db=db,
                cache=MemoryCache(),
                delivery=None,  # different events: the inbox does not order them
                appointment_id=appointment,
                doctor_id=doctor,
                start=START,
                end=START + timedelta(minutes=30),
                active=n % 2 == 0,
                event_time=EVENT + timedelta(seconds=n),
            )
            for n in range(10)
        )
    )
    assert any(changes)
    async with db.session() as session:
        rows = (await session.exec(select(BusyTime))).all()
    assert len(rows) == 1
    assert rows[0].event_time.astimezone(UTC) == EVENT + timedelta(seconds=9)  # the newest won


async def test_concurrent_appointment_events_keep_one_copy(make_store: MakeStore) -> None:
    db = await make_store("notifications")
    facts = AppointmentFacts(
        appointment_id=uuid.uuid4(),
        doctor_id=uuid.uuid4(),
        doctor_user_id=uuid.uuid4(),
        patient_id=uuid.uuid4(),
        start=START,
        end=START + timedelta(minutes=30),
        status="CONFIRMED",
        time_zone="Europe/Berlin",
        previous_start=None,
        cancelled_by=None,
        reason=None,
    )

    async def apply(n: int) -> None:
        async with db.transaction() as session:
            await apply_appointment(session, facts, occurred_at=EVENT + timedelta(seconds=n))

    await asyncio.gather(*(apply(n) for n in range(8)))
    async with db.session() as session:
        rows = (await session.exec(select(AppointmentCopy))).all()
    assert len(rows) == 1
    assert rows[0].calendar_sequence == 7
