"""Recording what happened to a doctor: outbox events, the audit trail, inbox deduplication."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.doctors import events
from subgraphs.doctors.domain.onboarding import DoctorStatus
from subgraphs.doctors.models import Doctor, DoctorStatusChange, utcnow
from subgraphs.doctors.service.next_free import forget
from subgraphs.shared import outbox
from subgraphs.shared.inbox import first_delivery

CONSUMER = "doctors"


@dataclass(frozen=True)
class Delivery:
    """The event a consumer is applying, for deduplication in the effect's transaction."""

    event_id: uuid.UUID
    event_type: str


async def first_time(session: AsyncSession, delivery: Delivery | None) -> bool:
    """True unless this event was already applied to this store (then do nothing)."""
    if delivery is None:
        return True
    return await first_delivery(
        session, event_id=delivery.event_id, event_type=delivery.event_type, consumer=CONSUMER
    )


def publish(
    session: AsyncSession, event_type: type[events.DoctorEvent], doctor: Doctor, **extra: Any
) -> None:
    """Record a doctor event with the common fields taken from the row."""
    outbox.record(
        session,
        event_type(
            doctor_id=doctor.id,
            user_id=doctor.user_id,
            name=doctor.name,
            time_zone=doctor.time_zone,
            city=doctor.city,
            clinic_address=doctor.clinic_address,
            clinic_phone=doctor.clinic_phone,
            **extra,
        ),
        source=events.SOURCE,
    )


def availability_changed(session: AsyncSession, doctor: Doctor) -> None:
    doctor.updated_at = utcnow()
    forget(doctor)  # its stored next free slot
    session.add(doctor)
    outbox.record(session, events.AvailabilityChanged(doctor_id=doctor.id), source=events.SOURCE)


def audit(
    session: AsyncSession,
    doctor: Doctor,
    *,
    previous: DoctorStatus | None,
    reason: str | None,
    actor: uuid.UUID | None,
) -> None:
    """Append one row to the onboarding history (None actor: the system, from an event)."""
    session.add(
        DoctorStatusChange(
            doctor_id=doctor.id,
            from_status=previous,
            to_status=doctor.status,
            reason=reason,
            changed_by=actor,
        )
    )
