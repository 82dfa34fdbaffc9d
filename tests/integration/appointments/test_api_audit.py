"""Through the subgraph's API: a booking names its caller, a refused read is recorded."""

from __future__ import annotations

from subgraphs.shared.database import Database
from tests.integration.appointments.api import Api
from tests.integration.appointments.support import FakeAvailability, at, patient
from tests.integration.shared.audit_support import recorded

ONE = "query($id: ID!) { appointment(id: $id) { id reason } }"


async def test_a_booking_is_audited_with_the_patient_as_actor(
    api: Api, db: Database, availability: FakeAvailability
) -> None:
    doctor, who = availability.add(), patient()
    appointment_id = await api.book(who, doctor, at(2, 9).isoformat())
    [entry] = await recorded(db)
    assert (entry["action"], entry["actor_id"], entry["actor_role"]) == (
        "AppointmentBooked",
        str(who.user_id),
        "PATIENT",
    )
    assert (entry["subject_id"], entry["patient_id"]) == (appointment_id, str(who.user_id))


async def test_another_patients_attempt_to_read_is_recorded_as_refused(
    api: Api, db: Database, availability: FakeAvailability
) -> None:
    doctor, who, stranger = availability.add(), patient(), patient()
    appointment_id = await api.book(who, doctor, at(2, 9).isoformat())
    assert await api.error_code(ONE, {"id": appointment_id}, as_=stranger) == "NOT_FOUND"
    refused = [e for e in await recorded(db) if e["outcome"] == "REFUSED"]
    assert [(e["action"], e["actor_id"], e["reason"], e["subject_id"]) for e in refused] == [
        ("Query.appointment", str(stranger.user_id), "NOT_FOUND", appointment_id)
    ]
