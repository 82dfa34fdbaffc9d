"""Read models handed to the GraphQL layer (never the table rows themselves)."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

from subgraphs.doctors.domain.onboarding import DoctorStatus
from subgraphs.doctors.domain.slots import Slot
from subgraphs.doctors.models import Doctor


@dataclass(frozen=True)
class DoctorView:
    """A doctor as the API shows it; JSON round-trips for the search cache."""

    id: uuid.UUID
    user_id: uuid.UUID
    name: str
    specializations: list[str]
    city: str
    clinic_address: str
    clinic_phone: str | None
    languages: list[str]
    bio: str
    consultation_minutes: int
    fee_cents: int
    currency: str
    accepted_insurance: list[str]
    photo_url: str | None
    time_zone: str
    accepting_new_patients: bool
    status: DoctorStatus
    status_reason: str | None
    buffer_before_minutes: int
    buffer_after_minutes: int
    minimum_notice_minutes: int
    booking_window_days: int
    next_available: Slot | None = None
    next_available_known: bool = False

    @classmethod
    def of(cls, doctor: Doctor) -> DoctorView:
        return cls(
            id=doctor.id,
            user_id=doctor.user_id,
            name=doctor.name,
            specializations=list(doctor.specializations),
            city=doctor.city,
            clinic_address=doctor.clinic_address,
            clinic_phone=doctor.clinic_phone,
            languages=list(doctor.languages),
            bio=doctor.bio,
            consultation_minutes=doctor.consultation_minutes,
            fee_cents=doctor.fee_cents,
            currency=doctor.currency,
            accepted_insurance=list(doctor.accepted_insurance),
            photo_url=doctor.photo_url,
            time_zone=doctor.time_zone,
            accepting_new_patients=doctor.accepting_new_patients,
            status=DoctorStatus(doctor.status),
            status_reason=doctor.status_reason,
            buffer_before_minutes=doctor.buffer_before_minutes,
            buffer_after_minutes=doctor.buffer_after_minutes,
            minimum_notice_minutes=doctor.minimum_notice_minutes,
            booking_window_days=doctor.booking_window_days,
        )

    def with_next(self, slot: Slot | None) -> DoctorView:
        return replace(self, next_available=slot, next_available_known=True)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["id"], data["user_id"] = str(self.id), str(self.user_id)
        if self.next_available is not None:
            data["next_available"] = [
                self.next_available.start.isoformat(),
                self.next_available.end.isoformat(),
            ]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DoctorView:
        values = dict(data)
        values["id"], values["user_id"] = uuid.UUID(data["id"]), uuid.UUID(data["user_id"])
        values["status"] = DoctorStatus(data["status"])
        nxt = data.get("next_available")
        values["next_available"] = (
            Slot(datetime.fromisoformat(nxt[0]), datetime.fromisoformat(nxt[1])) if nxt else None
        )
        return cls(**values)
