"""Event envelopes as identity, doctors and appointments publish them, for a small cast."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from subgraphs.shared.events import EventEnvelope

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def envelope(
    kind: str, payload: dict[str, Any], *, source: str, at: datetime = NOW
) -> EventEnvelope:
    return EventEnvelope(
        id=str(uuid.uuid4()),
        type=kind,
        version=1,
        source=source,
        occurred_at=at.isoformat(),
        payload=payload,
    )


@dataclass
class Cast:
    """A patient with a phone, a doctor without one, and an appointment between them."""

    patient_id: uuid.UUID = field(default_factory=uuid.uuid4)
    doctor_user_id: uuid.UUID = field(default_factory=uuid.uuid4)
    doctor_id: uuid.UUID = field(default_factory=uuid.uuid4)
    appointment_id: uuid.UUID = field(default_factory=uuid.uuid4)
    start: datetime = NOW + timedelta(days=3)

    def patient_registered(
        self,
        *,
        phone: str | None = "+15550001111",
        channels: tuple[str, ...] = ("EMAIL", "SMS", "IN_APP"),
    ) -> EventEnvelope:
        return envelope(
            "UserRegistered",
            {
                "user_id": str(self.patient_id),
                "email": "pat@example.test",
                "name": "Pat Patient",
                "role": "PATIENT",
                "phone": phone,
                "language": "en",
                "time_zone": "Europe/Berlin",
                "notification_channels": list(channels),
            },
            source="identity",
        )

    def doctor_registered(self) -> EventEnvelope:
        return envelope(
            "UserRegistered",
            {
                "user_id": str(self.doctor_user_id),
                "email": "dr.who@example.test",
                "name": "Dana Who",
                "role": "DOCTOR",
                "language": "en",
                "time_zone": "Europe/Berlin",
            },
            source="identity",
        )

    def doctor_event(self, kind: str = "DoctorApproved", **extra: Any) -> EventEnvelope:
        return envelope(
            kind,
            {
                "doctor_id": str(self.doctor_id),
                "user_id": str(self.doctor_user_id),
                "name": "Dr. Dana Who",
                "time_zone": "Europe/Berlin",
                "city": "Berlin",
                "clinic_address": "Hauptstr. 1, Berlin",
                "clinic_phone": "+49301234567",
                **extra,
            },
            source="doctors",
        )

    def appointment(
        self,
        kind: str,
        *,
        status: str = "PENDING",
        start: datetime | None = None,
        at: datetime = NOW,
        **extra: Any,
    ) -> EventEnvelope:
        begin = start or self.start
        return envelope(
            kind,
            {
                "appointment_id": str(self.appointment_id),
                "doctor_id": str(self.doctor_id),
                "doctor_user_id": str(self.doctor_user_id),
                "patient_id": str(self.patient_id),
                "start": begin.isoformat(),
                "end": (begin + timedelta(minutes=30)).isoformat(),
                "status": status,
                "time_zone": "Europe/Berlin",
                **extra,
            },
            source="appointments",
            at=at,
        )

    def setup_events(self) -> list[EventEnvelope]:
        return [
            self.patient_registered(),
            self.doctor_registered(),
            self.doctor_event("DoctorRegistered"),
        ]
