"""Events the appointments subgraph consumes (each read through its own copy of the shape).

- doctors `DoctorSuspended` (an admin suspended the doctor, or identity deactivated their
  account): the doctor's future appointments are cancelled, each patient notified.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from subgraphs.appointments.service import withdrawal
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.resources import Resources

HANDLED_EVENTS: frozenset[str] = frozenset({"DoctorSuspended"})


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
