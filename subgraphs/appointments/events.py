"""Events the appointments subgraph publishes: one per change of an appointment, and the
waitlist's offers of freed slots.

Every appointment payload carries appointment_id, doctor_id, doctor_user_id, patient_id, start, end,
status and time_zone (the doctor's IANA zone); the patient's own booking reason never
leaves this store.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime
from typing import Any, Final

from subgraphs.appointments.domain import Action, Appointment, Change
from subgraphs.shared.events import DomainEvent

SOURCE: Final = "appointments"


@dataclasses.dataclass(frozen=True, kw_only=True)
class AppointmentEvent(DomainEvent):
    """What every appointment event says about the appointment after the change."""

    appointment_id: uuid.UUID
    doctor_id: uuid.UUID
    doctor_user_id: uuid.UUID
    patient_id: uuid.UUID
    start: datetime
    end: datetime
    status: str
    time_zone: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class AppointmentBooked(AppointmentEvent):
    type = "AppointmentBooked"


@dataclasses.dataclass(frozen=True, kw_only=True)
class AppointmentConfirmed(AppointmentEvent):
    type = "AppointmentConfirmed"


@dataclasses.dataclass(frozen=True, kw_only=True)
class AppointmentRejected(AppointmentEvent):
    type = "AppointmentRejected"

    reason: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class AppointmentRescheduled(AppointmentEvent):
    type = "AppointmentRescheduled"

    previous_start: datetime
    previous_end: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class AppointmentCancelled(AppointmentEvent):
    type = "AppointmentCancelled"

    cancelled_by: str
    """The canceller's role: PATIENT, DOCTOR or ADMIN."""
    reason: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class AppointmentCompleted(AppointmentEvent):
    type = "AppointmentCompleted"


@dataclasses.dataclass(frozen=True, kw_only=True)
class AppointmentMarkedNoShow(AppointmentEvent):
    type = "AppointmentMarkedNoShow"


_SIMPLE: Final[dict[Action, type[AppointmentEvent]]] = {
    Action.BOOKED: AppointmentBooked,
    Action.CONFIRMED: AppointmentConfirmed,
    Action.COMPLETED: AppointmentCompleted,
    Action.MARKED_NO_SHOW: AppointmentMarkedNoShow,
}


def event_for(appointment: Appointment, change: Change) -> AppointmentEvent:
    """The event announcing `change` of `appointment` (its state after the change)."""
    common: dict[str, Any] = {
        "occurred_at": change.at,
        "appointment_id": appointment.id,
        "doctor_id": appointment.doctor_id,
        "doctor_user_id": appointment.doctor_user_id,
        "patient_id": appointment.patient_id,
        "start": change.to_start,
        "end": change.to_end,
        "status": change.to_status.value,
        "time_zone": appointment.time_zone,
    }
    if change.action is Action.REJECTED:
        return AppointmentRejected(**common, reason=change.reason)
    if change.action is Action.CANCELLED:
        return AppointmentCancelled(
            **common,
            cancelled_by=change.actor_role.value,
            reason=change.reason,
        )
    if change.action is Action.RESCHEDULED:
        assert change.from_start is not None
        assert change.from_end is not None
        return AppointmentRescheduled(
            **common,
            previous_start=change.from_start,
            previous_end=change.from_end,
        )
    return _SIMPLE[change.action](**common)


@dataclasses.dataclass(frozen=True, kw_only=True)
class WaitlistOfferMade(DomainEvent):
    """A freed slot is offered to a waiting patient, held for them until `expires_at`.

    Carries no reason and nothing about the appointment that freed the slot.
    """

    type = "WaitlistOfferMade"

    offer_id: uuid.UUID
    entry_id: uuid.UUID
    patient_id: uuid.UUID
    doctor_id: uuid.UUID
    start: datetime
    end: datetime
    time_zone: str
    expires_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class WaitlistOfferClosed(DomainEvent):
    """An offer no longer holds its slot: `state` ACCEPTED, DECLINED or EXPIRED (its hold ran
    out, or the slot went). The doctors subgraph ends the slot's hold with it."""

    type = "WaitlistOfferClosed"

    offer_id: uuid.UUID
    doctor_id: uuid.UUID
    start: datetime
    end: datetime
    expires_at: datetime
    state: str
