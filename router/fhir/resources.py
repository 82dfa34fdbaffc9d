"""GraphQL results → FHIR R4 resources (plain JSON dicts). Mapping only, no I/O."""

from __future__ import annotations

from datetime import datetime
from typing import Any

__all__ = [
    "APPOINTMENT_FIELDS",
    "DOCTOR_FIELDS",
    "appointment",
    "practitioner",
    "practitioner_role",
    "schedule",
    "slot",
    "slot_id",
]

Resource = dict[str, Any]

DOCTOR_FIELDS = """
  id name city clinicAddress clinicPhone languages timeZone status acceptingNewPatients
  consultationMinutes specializations { code name }
"""
APPOINTMENT_FIELDS = """
  id start end status fhirStatus createdAt reason statusReason
  doctor { id name } patient { id }
"""

_SPECIALTY_SYSTEM = "urn:healthbook:specialization"
_LANGUAGE_SYSTEM = "urn:ietf:bcp:47"
# Our appointment states → the participant's FHIR `ParticipationStatus`.
_PARTICIPATION = {
    "PENDING": "needs-action",
    "CONFIRMED": "accepted",
    "REJECTED": "declined",
    "CANCELLED": "declined",
    "COMPLETED": "accepted",
    "NO_SHOW": "accepted",
}


def practitioner(doctor: dict[str, Any]) -> Resource:
    resource: Resource = {
        "resourceType": "Practitioner",
        "id": doctor["id"],
        "active": doctor["status"] == "APPROVED",
        "name": [{"use": "official", "text": doctor["name"]}],
        "address": [{"use": "work", "text": doctor["clinicAddress"], "city": doctor["city"]}],
        "communication": [
            {"coding": [{"system": _LANGUAGE_SYSTEM, "code": code}]} for code in doctor["languages"]
        ],
    }
    if doctor.get("clinicPhone"):
        resource["telecom"] = [{"system": "phone", "value": doctor["clinicPhone"], "use": "work"}]
    return resource


def practitioner_role(doctor: dict[str, Any]) -> Resource:
    resource: Resource = {
        "resourceType": "PractitionerRole",
        "id": doctor["id"],
        "active": doctor["status"] == "APPROVED",
        "practitioner": {"reference": f"Practitioner/{doctor['id']}", "display": doctor["name"]},
        "specialty": [
            {
                "coding": [{"system": _SPECIALTY_SYSTEM, "code": s["code"], "display": s["name"]}],
                "text": s["name"],
            }
            for s in doctor["specializations"]
        ],
    }
    if doctor.get("clinicPhone"):
        resource["telecom"] = [{"system": "phone", "value": doctor["clinicPhone"], "use": "work"}]
    return resource


def schedule(doctor: dict[str, Any]) -> Resource:
    """One schedule per doctor (same id): their bookable time, in their zone."""
    return {
        "resourceType": "Schedule",
        "id": doctor["id"],
        "active": doctor["status"] == "APPROVED" and doctor["acceptingNewPatients"],
        "actor": [{"reference": f"Practitioner/{doctor['id']}", "display": doctor["name"]}],
        "serviceType": [{"text": f"Consultation ({doctor['consultationMinutes']} min)"}],
        "comment": f"Times are offered in {doctor['timeZone']}.",
    }


def slot_id(doctor_id: str, start: str) -> str:
    """`<doctor id>.<start as UTC epoch seconds>`: a stable id FHIR clients can read back."""
    return f"{doctor_id}.{int(datetime.fromisoformat(start).timestamp())}"


def slot(doctor_id: str, item: dict[str, Any], status: str) -> Resource:
    return {
        "resourceType": "Slot",
        "id": slot_id(doctor_id, item["start"]),
        "schedule": {"reference": f"Schedule/{doctor_id}"},
        "status": status,
        "start": item["start"],
        "end": item["end"],
    }


def appointment(item: dict[str, Any]) -> Resource:
    start = datetime.fromisoformat(item["start"])
    end = datetime.fromisoformat(item["end"])
    status = _PARTICIPATION[item["status"]]
    doctor = item["doctor"]
    resource: Resource = {
        "resourceType": "Appointment",
        "id": item["id"],
        "status": item["fhirStatus"],
        "start": item["start"],
        "end": item["end"],
        "minutesDuration": int((end - start).total_seconds() // 60),
        "created": item["createdAt"][:10],
        "participant": [
            {
                "actor": {"reference": f"Practitioner/{doctor['id']}", "display": doctor["name"]},
                "required": "required",
                "status": status,
            },
            {
                "actor": {"reference": f"Patient/{item['patient']['id']}"},
                "required": "required",
                "status": "accepted",
            },
        ],
    }
    if item.get("reason"):
        resource["reasonCode"] = [{"text": item["reason"]}]
    if item["status"] in ("CANCELLED", "REJECTED") and item.get("statusReason"):
        resource["cancelationReason"] = {"text": item["statusReason"]}
    return resource
