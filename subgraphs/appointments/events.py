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
from subgraphs.appointments.models import AppointmentRow, SeriesRow
from subgraphs.appointments.service.feeds import refused_starts
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
    series_id: uuid.UUID | None = None
    """The recurring series it is an occurrence of, if any."""
    recurrence_start: datetime | None = None
    """An occurrence's rule instance in its series (the start it was booked at, unchanged by
    moves): its RECURRENCE-ID in calendars."""
    series_event_id: uuid.UUID | None = None
    """Set when this change is one of a series-wide change (booking a series, moving or
    cancelling its rest): the id of the `AppointmentSeries…` event announcing them together,
    which people are told about instead of each occurrence."""


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


def event_for(
    appointment: Appointment,
    change: Change,
    *,
    series_id: uuid.UUID | None = None,
    series_event_id: uuid.UUID | None = None,
    recurrence_start: datetime | None = None,
) -> AppointmentEvent:
    """The event announcing `change` of `appointment` (its state after the change)."""
    common: dict[str, Any] = {
        "series_id": series_id,
        "recurrence_start": recurrence_start,
        "series_event_id": series_event_id,
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


@dataclasses.dataclass(frozen=True, kw_only=True)
class SeriesEvent(DomainEvent):
    """A change of several occurrences of a series at once, announced together (each
    occurrence has its own event too, naming this one as its `series_event_id`).

    `occurrences`: each changed occurrence's appointment_id, start, end, status,
    recurrence_start (its rule instance, when known) and for a move its previous_start,
    soonest first. `rule` from `first_start` in `time_zone`, and `refused_starts` (the rule's
    instances never booked) describe the recurring event. No booking reason.
    """

    series_id: uuid.UUID
    doctor_id: uuid.UUID
    doctor_user_id: uuid.UUID
    patient_id: uuid.UUID
    time_zone: str
    rule: str
    occurrences: list[dict[str, Any]]
    first_start: datetime | None = None
    refused_starts: list[datetime] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True, kw_only=True)
class AppointmentSeriesBooked(SeriesEvent):
    type = "AppointmentSeriesBooked"


@dataclasses.dataclass(frozen=True, kw_only=True)
class AppointmentSeriesRescheduled(SeriesEvent):
    type = "AppointmentSeriesRescheduled"

    rescheduled_by: str
    """The mover's role: PATIENT, DOCTOR or ADMIN."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class AppointmentSeriesCancelled(SeriesEvent):
    type = "AppointmentSeriesCancelled"

    cancelled_by: str
    reason: str | None = None


def occurrence_of(row: AppointmentRow, *, previous_start: datetime | None = None) -> dict[str, Any]:
    """One occurrence as a series event lists it."""
    entry = {
        "appointment_id": row.id,
        "start": row.starts_at,
        "end": row.ends_at,
        "status": row.status,
    }
    if row.recurrence_start is not None:
        entry["recurrence_start"] = row.recurrence_start
    return entry if previous_start is None else {**entry, "previous_start": previous_start}


def series_fields(series: SeriesRow) -> dict[str, Any]:
    """What every series event says about the series."""
    return {
        "series_id": series.id,
        "doctor_id": series.doctor_id,
        "doctor_user_id": series.doctor_user_id,
        "patient_id": series.patient_id,
        "time_zone": series.time_zone,
        "rule": series.rule,
        "first_start": series.first_start,
        "refused_starts": refused_starts(series),
    }
