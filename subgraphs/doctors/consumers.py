"""Events the doctors subgraph consumes (each read through its own copy of the shape).

- identity `UserRegistered` with role DOCTOR: a PENDING doctor profile.
- identity `DoctorInvited`: an APPROVED doctor profile (an admin added them); identity also
  sends `UserRegistered` for them, in either order, so an invitation approves a PENDING one.
- identity `UserProfileUpdated`: the doctor's name follows the user's.
- identity `UserDeactivated`: an approved doctor is suspended (hidden, not bookable).
- appointments `AppointmentBooked|Confirmed|Rescheduled`: busy time (moved on reschedule);
  `AppointmentCancelled|Rejected`: busy time freed.
- appointments `WaitlistOfferMade`: the offered slot is held (busy) until the offer expires;
  `WaitlistOfferClosed`: the hold ends (`service/holds.py`).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from subgraphs.doctors.service import busy, holds, onboarding
from subgraphs.doctors.service.publishing import Delivery
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.resources import Resources

BUSY = frozenset({"AppointmentBooked", "AppointmentConfirmed", "AppointmentRescheduled"})
FREE = frozenset({"AppointmentCancelled", "AppointmentRejected"})
HOLDS = frozenset({"WaitlistOfferMade", "WaitlistOfferClosed"})
HANDLED_EVENTS: frozenset[str] = frozenset(
    {
        "UserRegistered",
        "DoctorInvited",
        "UserProfileUpdated",
        "UserDeactivated",
        *BUSY,
        *FREE,
        *HOLDS,
    }
)


def _text(payload: dict[str, Any], name: str) -> str | None:
    value = payload.get(name)
    return str(value) if value is not None else None


async def handle(envelope: EventEnvelope, resources: Resources) -> None:
    """Apply one event to the doctors store, at most once."""
    payload = envelope.payload
    delivery = Delivery(event_id=envelope.uuid, event_type=envelope.type)
    db, cache = resources.database, resources.cache
    if envelope.type in {"UserRegistered", "DoctorInvited"}:
        invited = envelope.type == "DoctorInvited"
        if not invited and str(payload.get("role", "")).upper() != "DOCTOR":
            return
        await onboarding.register_doctor(
            db=db,
            cache=cache,
            user_id=uuid.UUID(str(payload["user_id"])),
            email=_text(payload, "email"),
            name=_text(payload, "name") or "",
            time_zone=_text(payload, "time_zone"),
            invited=invited,
            city=_text(payload, "city"),
            invited_by=uuid.UUID(by) if (by := _text(payload, "invited_by")) else None,
            delivery=delivery,
        )
    elif envelope.type == "UserProfileUpdated":
        await onboarding.rename_doctor(
            db=db,
            cache=cache,
            user_id=uuid.UUID(str(payload["user_id"])),
            name=_text(payload, "name") or "",
            delivery=delivery,
        )
    elif envelope.type == "UserDeactivated":
        await onboarding.suspend_deactivated(
            db=db, cache=cache, user_id=uuid.UUID(str(payload["user_id"])), delivery=delivery
        )
    elif envelope.type in BUSY | FREE:
        await busy.record_busy_time(
            db=db,
            cache=cache,
            delivery=delivery,
            appointment_id=uuid.UUID(str(payload["appointment_id"])),
            doctor_id=uuid.UUID(str(payload["doctor_id"])),
            start=datetime.fromisoformat(str(payload["start"])),
            end=datetime.fromisoformat(str(payload["end"])),
            active=envelope.type in BUSY,
            event_time=envelope.time,
        )
    elif envelope.type in HOLDS:
        await holds.record_hold(
            db=db,
            cache=cache,
            delivery=delivery,
            offer_id=uuid.UUID(str(payload["offer_id"])),
            doctor_id=uuid.UUID(str(payload["doctor_id"])),
            start=datetime.fromisoformat(str(payload["start"])),
            end=datetime.fromisoformat(str(payload["end"])),
            held_until=datetime.fromisoformat(str(payload["expires_at"])),
            active=envelope.type == "WaitlistOfferMade",
        )
