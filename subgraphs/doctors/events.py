"""Events the doctors subgraph publishes (payload shapes are the contract in TEAM.md)."""

from __future__ import annotations

import dataclasses
import uuid

from subgraphs.shared.events import DomainEvent

SOURCE = "doctors"


@dataclasses.dataclass(frozen=True, kw_only=True)
class DoctorEvent(DomainEvent):
    """Fields every onboarding and profile event carries."""

    doctor_id: uuid.UUID
    user_id: uuid.UUID
    name: str
    time_zone: str
    city: str
    clinic_address: str
    clinic_phone: str | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class DoctorRegistered(DoctorEvent):
    """A doctor profile exists; `status` is PENDING (self-registered) or APPROVED (invited)."""

    type = "DoctorRegistered"

    status: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class DoctorApproved(DoctorEvent):
    type = "DoctorApproved"


@dataclasses.dataclass(frozen=True, kw_only=True)
class DoctorRejected(DoctorEvent):
    type = "DoctorRejected"

    reason: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class DoctorSuspended(DoctorEvent):
    type = "DoctorSuspended"

    reason: str | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class DoctorProfileUpdated(DoctorEvent):
    type = "DoctorProfileUpdated"


@dataclasses.dataclass(frozen=True, kw_only=True)
class AvailabilityChanged(DomainEvent):
    """Rules, exceptions, ad-hoc slots or the booking policy of a doctor changed."""

    type = "AvailabilityChanged"

    doctor_id: uuid.UUID
