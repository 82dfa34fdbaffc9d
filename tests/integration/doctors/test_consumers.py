"""The busy-time projection from appointments' events: idempotent and order-tolerant."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from subgraphs.doctors.models import BusyTime
from tests.integration.doctors.helpers import NOW, Api, approved_doctor, published, weekdays

CHECK = """query($id: ID!, $start: DateTime!, $end: DateTime!) {
  slotAvailability(doctorId: $id, start: $start, end: $end) { available reason } }"""
NINE = ("2027-01-05T08:00:00+00:00", "2027-01-05T08:30:00+00:00")  # 09:00 Berlin
TEN = ("2027-01-05T09:00:00+00:00", "2027-01-05T09:30:00+00:00")


def appointment(appointment_id: str, doctor_id: str, span: tuple[str, str]) -> dict[str, Any]:
    return {
        "appointment_id": appointment_id,
        "doctor_id": doctor_id,
        "doctor_user_id": str(uuid.uuid4()),
        "patient_id": str(uuid.uuid4()),
        "start": span[0],
        "end": span[1],
        "status": "PENDING",
        "time_zone": "Europe/Berlin",
    }


async def free(api: Api, doctor_id: str, span: tuple[str, str]) -> bool:
    data = await api.data(CHECK, {"id": doctor_id, "start": span[0], "end": span[1]})
    available: bool = data["slotAvailability"]["available"]
    return available


async def busy_rows(api: Api) -> list[BusyTime]:
    async with api.resources.database.session() as session:
        return list(await session.exec(select(BusyTime)))


async def test_the_same_booking_delivered_twice_has_one_effect(api: Api) -> None:
    doctor = await approved_doctor(api, rules=weekdays("09:00", "12:00", 30))
    aid = str(uuid.uuid4())
    event_id = await api.deliver(
        "AppointmentBooked", appointment(aid, doctor.id, NINE), source="appointments"
    )
    await api.deliver(
        "AppointmentBooked",
        appointment(aid, doctor.id, NINE),
        source="appointments",
        event_id=event_id,
    )
    assert len(await busy_rows(api)) == 1
    assert not await free(api, doctor.id, NINE)


async def test_rescheduling_frees_the_previous_range(api: Api) -> None:
    doctor = await approved_doctor(api, rules=weekdays("09:00", "12:00", 30))
    aid = str(uuid.uuid4())
    await api.deliver("AppointmentBooked", appointment(aid, doctor.id, NINE), source="appointments")
    moved = {**appointment(aid, doctor.id, TEN), "previous_start": NINE[0], "previous_end": NINE[1]}
    later = NOW.replace(minute=5).isoformat()
    await api.deliver("AppointmentRescheduled", moved, source="appointments", occurred_at=later)
    assert await free(api, doctor.id, NINE)
    assert not await free(api, doctor.id, TEN)


async def test_cancelled_and_rejected_appointments_free_their_time(api: Api) -> None:
    doctor = await approved_doctor(api, rules=weekdays("09:00", "12:00", 30))
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    await api.deliver(
        "AppointmentBooked", appointment(first, doctor.id, NINE), source="appointments"
    )
    await api.deliver(
        "AppointmentConfirmed", appointment(second, doctor.id, TEN), source="appointments"
    )
    later = NOW.replace(minute=5).isoformat()
    cancelled = {**appointment(first, doctor.id, NINE), "cancelled_by": "PATIENT", "reason": "x"}
    await api.deliver("AppointmentCancelled", cancelled, source="appointments", occurred_at=later)
    await api.deliver(
        "AppointmentRejected",
        appointment(second, doctor.id, TEN),
        source="appointments",
        occurred_at=later,
    )
    assert await free(api, doctor.id, NINE)
    assert await free(api, doctor.id, TEN)


async def test_a_late_older_event_does_not_undo_a_cancellation(api: Api) -> None:
    doctor = await approved_doctor(api, rules=weekdays("09:00", "12:00", 30))
    aid = str(uuid.uuid4())
    later = NOW.replace(minute=5).isoformat()
    await api.deliver(
        "AppointmentCancelled",
        appointment(aid, doctor.id, NINE),
        source="appointments",
        occurred_at=later,
    )
    await api.deliver("AppointmentBooked", appointment(aid, doctor.id, NINE), source="appointments")
    assert await free(api, doctor.id, NINE)


async def test_the_doctor_follows_the_users_name(api: Api) -> None:
    doctor = await approved_doctor(api, "Old Name")
    payload = {
        "user_id": str(doctor.user_id),
        "email": "a@b.org",
        "name": "New  Name",
        "phone": None,
    }
    await api.deliver("UserProfileUpdated", payload)
    data = await api.data("query($id: ID!) { doctor(id: $id) { name } }", {"id": doctor.id})
    assert data["doctor"]["name"] == "New Name"


async def test_concurrent_deliveries_of_one_registration_create_one_doctor(api: Api) -> None:
    user_id = uuid.uuid4()
    payload = {
        "user_id": str(user_id),
        "email": "race@example.org",
        "name": "Race",
        "role": "DOCTOR",
    }
    event_ids = [str(uuid.uuid4())] * 4 + [str(uuid.uuid4()) for _ in range(4)]

    async def deliver(event_id: str) -> None:
        try:
            await api.deliver("UserRegistered", payload, event_id=event_id)
        except IntegrityError:  # the loser of a race; the bus retries it
            await api.deliver("UserRegistered", payload, event_id=event_id)

    await asyncio.gather(*(deliver(event_id) for event_id in event_ids))
    assert len(await published(api, "DoctorRegistered")) == 1
