"""Events the appointments subgraph consumes (each read through its own copy of the shape).

- doctors `DoctorSuspended` (an admin suspended the doctor, or identity deactivated their
  account): the doctor's future appointments are cancelled, each patient notified.
- its own `AppointmentCancelled` and `AppointmentRejected` (the slot at start) and
  `AppointmentRescheduled` (the slot at previous_start): a freed slot, offered to the
  doctor's waitlist (`service/waitlist_offers.py`), at most once per event.
- doctors `AvailabilityChanged`: the doctor's open slots offered to their waiting entries
  (`service/waitlist_openings.py`; handled again, it offers nothing twice).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from subgraphs.appointments import wiring
from subgraphs.appointments.service import waitlist_offers, waitlist_openings, withdrawal
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.resources import Resources

FREED_AT_START = frozenset({"AppointmentCancelled", "AppointmentRejected"})
FREED_AT_PREVIOUS = frozenset({"AppointmentRescheduled"})
HANDLED_EVENTS: frozenset[str] = frozenset(
    {"DoctorSuspended", "AvailabilityChanged", *FREED_AT_START, *FREED_AT_PREVIOUS}
)


async def handle(envelope: EventEnvelope, resources: Resources) -> None:
    """Apply one event to the appointments store, at most once."""
    if envelope.type == "DoctorSuspended":
        await withdrawal.cancel_future_visits(
            db=resources.database,
            pubsub=resources.pubsub,
            doctor_id=uuid.UUID(str(envelope.payload["doctor_id"])),
            event_id=envelope.uuid,
            event_type=envelope.type,
            now=datetime.now(UTC),
        )
    elif envelope.type in FREED_AT_START | FREED_AT_PREVIOUS:
        payload = envelope.payload
        field = "start" if envelope.type in FREED_AT_START else "previous_start"
        await waitlist_offers.slot_freed(
            wiring.install(resources),
            doctor_id=uuid.UUID(str(payload["doctor_id"])),
            start=datetime.fromisoformat(str(payload[field])),
            appointment_id=uuid.UUID(str(payload["appointment_id"])),
            delivery=(envelope.uuid, envelope.type),
        )
    elif envelope.type == "AvailabilityChanged":
        await waitlist_openings.availability_changed(
            wiring.install(resources), doctor_id=uuid.UUID(str(envelope.payload["doctor_id"]))
        )
