"""Reading an appointment (its reason is patient data) is audited unless the patient reads it."""

from __future__ import annotations

import uuid

from subgraphs.appointments.domain import Actor
from subgraphs.appointments.service import lifecycle as service
from subgraphs.appointments.service import queries
from subgraphs.shared.audit.caller import Caller, acting_as
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from tests.integration.appointments.support import (
    NOW,
    FakeAvailability,
    at,
    make_deps,
    patient,
)
from tests.integration.shared.audit_support import recorded


async def test_a_doctor_reading_an_appointment_is_recorded_once_and_the_patient_not(
    db: Database, availability: FakeAvailability
) -> None:
    doctor = availability.add()
    who = patient()
    row = await service.book(
        deps=make_deps(db, availability=availability),
        actor=who,
        doctor_id=doctor,
        start=at(2, 9),
        reason="Check-up",
        idempotency_key="k1",
    )
    reader = availability.user_of(doctor)
    before = len(await recorded(db))  # the booking's own entry
    with acting_as(Caller(user_id=who.user_id, role="PATIENT")):
        await queries.get(db=db, actor=who, appointment_id=row.id)
    with acting_as(Caller(user_id=reader.user_id, role="DOCTOR")):
        await queries.get(db=db, actor=reader, appointment_id=row.id)
    entries = (await recorded(db))[before:]
    assert [(e["action"], e["actor_role"], e["patient_id"], e["subject_id"]) for e in entries] == [
        ("AppointmentRead", "DOCTOR", str(who.user_id), str(row.id))
    ]


async def _two_patients_booked(
    db: Database, availability: FakeAvailability
) -> tuple[Actor, Actor, Actor]:
    doctor = availability.add()
    first, second = patient(), patient()
    for n, who in enumerate((first, second)):
        await service.book(
            deps=make_deps(db, availability=availability),
            actor=who,
            doctor_id=doctor,
            start=at(2, 9 + n),
            reason="Check-up",
            idempotency_key=f"k{n}",
        )
    return availability.user_of(doctor), first, second


async def test_a_doctor_listing_their_calendar_is_recorded_once_per_patient(
    db: Database, availability: FakeAvailability
) -> None:
    reader, first, second = await _two_patients_booked(db, availability)
    before = len(await recorded(db))
    with acting_as(Caller(user_id=reader.user_id, role="DOCTOR")):
        await queries.calendar(db=db, actor=reader, start=at(1, 0), end=at(5, 0))
        await queries.pending(db=db, actor=reader, now=NOW, offset=0, limit=20)
    entries = (await recorded(db))[before:]
    assert [(e["action"], e["actor_id"], e["patient_id"], e["outcome"]) for e in entries] == [
        ("AppointmentsListed", str(reader.user_id), str(who.user_id), "ALLOWED")
        for who in (first, second, first, second)
    ]
    assert {e["subject_type"] for e in entries} == {"Appointment"}


async def test_an_admin_search_is_recorded_and_a_patients_own_list_is_not(
    db: Database, availability: FakeAvailability
) -> None:
    _, first, second = await _two_patients_booked(db, availability)
    admin = Actor(uuid.uuid4(), Role.ADMIN)
    before = len(await recorded(db))
    with acting_as(Caller(user_id=first.user_id, role="PATIENT")):
        await queries.mine(db=db, actor=first, upcoming=True, now=NOW, offset=0, limit=20)
    assert (await recorded(db))[before:] == []
    with acting_as(Caller(user_id=admin.user_id, role="ADMIN")):
        found = await queries.search(
            db=db, actor=admin, filter=queries.Filter(patient_id=second.user_id), offset=0, limit=5
        )
        await queries.search(
            db=db, actor=admin, filter=queries.Filter(patient_id=uuid.uuid4()), offset=0, limit=5
        )
    assert found.total == 1
    entries = (await recorded(db))[before:]
    assert [(e["action"], e["actor_role"], e["patient_id"]) for e in entries] == [
        ("AppointmentsListed", "ADMIN", str(second.user_id))
    ]
