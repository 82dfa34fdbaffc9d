"""A suspended doctor's future appointments are cancelled by the system (ADMIN), the reason
stated, each an `AppointmentCancelled` for notifications; once per event."""

from __future__ import annotations

import uuid

from sqlmodel import col, select

from subgraphs.appointments import consumers
from subgraphs.appointments.domain import DOCTOR_WITHDRAWN
from subgraphs.appointments.models import AppointmentChangeRow, AppointmentRow
from subgraphs.appointments.service import lifecycle as service
from subgraphs.shared.cache import MemoryCache
from subgraphs.shared.database import Database
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.outbox import OutboxMessage
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings
from tests.integration.appointments.support import Clock, FakeAvailability, at, make_deps, patient


def suspended(doctor_id: uuid.UUID, event_id: str) -> EventEnvelope:
    return EventEnvelope(
        id=event_id,
        type="DoctorSuspended",
        version=1,
        source="doctors",
        occurred_at=at(0, 7).isoformat(),
        payload={"doctor_id": str(doctor_id), "reason": "account deactivated"},
    )


async def test_a_suspended_doctors_future_visits_are_cancelled_once(
    db: Database, settings: Settings, availability: FakeAvailability, clock: Clock
) -> None:
    deps = make_deps(db, availability=availability, clock=clock)
    leaving, staying = availability.add(), availability.add()
    ids = []
    for day, doctor in ((3, leaving), (4, leaving), (3, staying)):
        row = await service.book(
            deps=deps,
            actor=patient(),
            doctor_id=doctor,
            start=at(day, 9),
            reason="private",
            idempotency_key=str(uuid.uuid4()),
        )
        ids.append(row.id)
    resources = Resources(
        component="appointments",
        settings=settings,
        database=db,
        cache=MemoryCache(),
        pubsub=deps.pubsub,
    )
    # The consumer uses the wall clock: these bookings are in 2027, hence in its future.
    event_id = str(uuid.uuid4())
    await consumers.handle(suspended(leaving, event_id), resources)
    await consumers.handle(suspended(leaving, event_id), resources)  # redelivered

    async with db.session() as session:
        rows = {r.id: r for r in await session.exec(select(AppointmentRow))}
        changes = list(
            await session.exec(
                select(AppointmentChangeRow).where(col(AppointmentChangeRow.action) == "CANCELLED")
            )
        )
        sent = list(
            await session.exec(
                select(OutboxMessage).where(col(OutboxMessage.event_type) == "AppointmentCancelled")
            )
        )
    assert [rows[i].status for i in ids] == ["CANCELLED", "CANCELLED", "PENDING"]
    assert {rows[i].status_reason for i in ids[:2]} == {DOCTOR_WITHDRAWN}
    assert sorted(c.appointment_id for c in changes) == sorted(ids[:2])
    assert {(c.actor_role, c.reason) for c in changes} == {("ADMIN", DOCTOR_WITHDRAWN)}
    payloads = [m.payload for m in sent]
    assert len(payloads) == 2
    assert all(p["cancelled_by"] == "ADMIN" for p in payloads)
    assert all(p["reason"] == DOCTOR_WITHDRAWN for p in payloads)
