"""The values a template is filled with, formatted for the reader's language."""

from __future__ import annotations

from datetime import datetime

from subgraphs.notifications.models import DoctorCard, Recipient
from subgraphs.notifications.templates import formatting

_CANCELLED_BY = {
    "en": {"PATIENT": "the patient", "DOCTOR": "the doctor", "ADMIN": "the clinic"},
    "de": {
        "PATIENT": "die Patientin / den Patienten",
        "DOCTOR": "die Praxis",
        "ADMIN": "die Praxis",
    },
}
_REASON = {"en": "Reason: {}\n\n", "de": "Grund: {}\n\n"}


def appointment_values(
    *,
    language: str,
    recipient_name: str,
    start: datetime,
    time_zone: str,
    doctor: DoctorCard | None,
    doctor_person: Recipient | None,
    patient: Recipient | None,
    previous_start: datetime | None = None,
    cancelled_by: str | None = None,
    reason: str | None = None,
    lead_minutes: int | None = None,
) -> dict[str, str]:
    """Everything an appointment template may use; the SMS only ever sees date, time, clinic
    and clinic_phone (see `templates.SMS_FIELDS`)."""
    doctor_name = (doctor.name if doctor and doctor.name else None) or (
        doctor_person.name if doctor_person and doctor_person.name else "your doctor"
    )
    clinic_address = doctor.clinic_address if doctor else ""
    values = {
        "recipient_name": recipient_name or "there",
        "doctor_name": doctor_name,
        "patient_name": patient.name if patient and patient.name else "a patient",
        "date": formatting.format_date(start, time_zone, language),
        "time": formatting.format_time(start, time_zone),
        "clinic": clinic_address or (doctor.city if doctor else "") or doctor_name,
        "clinic_address": clinic_address or "-",
        "clinic_phone": (doctor.clinic_phone if doctor else "") or "-",
        "cancelled_by": _who(cancelled_by, language),
        "reason": reason or "",
        "reason_line": _REASON.get(language, _REASON["en"]).format(reason) if reason else "",
    }
    if previous_start is not None:
        values["previous_date"] = formatting.format_date(previous_start, time_zone, language)
        values["previous_time"] = formatting.format_time(previous_start, time_zone)
    if lead_minutes is not None:
        values["lead"] = formatting.format_lead(lead_minutes, language)
    return values


def _who(cancelled_by: str | None, language: str) -> str:
    names = _CANCELLED_BY.get(language, _CANCELLED_BY["en"])
    return names.get((cancelled_by or "").upper(), names["ADMIN"])
