"""Reading an appointment (its reason is patient data) is audited unless the patient reads it."""

from __future__ import annotations

from subgraphs.appointments.service import lifecycle as service
from subgraphs.appointments.service import queries
from subgraphs.shared.audit.caller import Caller, acting_as
from subgraphs.shared.database import Database
from tests.integration.appointments.support import FakeAvailability, at, make_deps, patient
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
