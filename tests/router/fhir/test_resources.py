"""Each mapping yields a resource that validates against FHIR's structure definitions."""

from __future__ import annotations

from typing import Any

from router.fhir import resources
from router.fhir.capability import capability_statement
from tests.router.fhir.validation import validate

DOCTOR: dict[str, Any] = {
    "id": "3f1c",
    "name": "Dr. Ana Silva",
    "city": "Berlin",
    "clinicAddress": "Torstraße 1, 10119 Berlin",
    "clinicPhone": "+4930123456",
    "languages": ["de", "en"],
    "timeZone": "Europe/Berlin",
    "status": "APPROVED",
    "acceptingNewPatients": True,
    "consultationMinutes": 30,
    "specializations": [{"code": "cardiology", "name": "Cardiology"}],
}


def appointment(**changes: Any) -> dict[str, Any]:
    return {
        "id": "a1",
        "start": "2027-01-05T08:00:00+00:00",
        "end": "2027-01-05T08:30:00+00:00",
        "status": "CONFIRMED",
        "fhirStatus": "booked",
        "createdAt": "2026-12-01T10:00:00+00:00",
        "reason": "Palpitations",
        "statusReason": None,
        "doctor": {"id": "3f1c", "name": "Dr. Ana Silva"},
        "patient": {"id": "p1"},
        **changes,
    }


def test_a_doctor_is_a_valid_practitioner_role_and_schedule() -> None:
    for make in (resources.practitioner, resources.practitioner_role, resources.schedule):
        validate(make(DOCTOR))
    assert resources.practitioner_role(DOCTOR)["specialty"][0]["coding"][0]["code"] == "cardiology"


def test_a_doctor_without_a_phone_has_no_telecom() -> None:
    assert "telecom" not in resources.practitioner({**DOCTOR, "clinicPhone": None})


def test_slots_are_valid_with_a_stable_id_from_doctor_and_start() -> None:
    item = {"start": "2027-01-05T08:00:00+00:00", "end": "2027-01-05T08:30:00+00:00"}
    for status in ("free", "busy", "busy-tentative"):
        validate(resources.slot("3f1c", item, status))
    assert resources.slot("3f1c", item, "free")["id"] == "3f1c.1799136000"


def test_appointments_are_valid_in_every_state() -> None:
    validate(resources.appointment(appointment()))
    cancelled = resources.appointment(
        appointment(status="CANCELLED", fhirStatus="cancelled", statusReason="Travel")
    )
    validate(cancelled)
    assert cancelled["cancelationReason"] == {"text": "Travel"}
    pending = resources.appointment(
        appointment(status="PENDING", fhirStatus="pending", reason=None)
    )
    validate(pending)
    assert "reasonCode" not in pending
    assert pending["participant"][0]["status"] == "needs-action"


def test_the_capability_statement_is_valid_and_names_every_resource() -> None:
    statement = capability_statement("http://r/fhir", "2026-12-01")
    validate(statement)
    kinds = {r["type"] for r in statement["rest"][0]["resource"]}
    assert kinds == {"Practitioner", "PractitionerRole", "Schedule", "Slot", "Appointment"}
