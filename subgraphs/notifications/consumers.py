"""The events the notifications subgraph consumes, and its one handler."""

from __future__ import annotations

from datetime import UTC, datetime

from subgraphs.notifications.channels import jobs
from subgraphs.notifications.service import intake
from subgraphs.notifications.wiring import enqueue_of, plan_config
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.resources import Resources

HANDLED_EVENTS: frozenset[str] = intake.HANDLED


async def handle(envelope: EventEnvelope, resources: Resources) -> None:
    """Apply the event once, then enqueue the deliveries it planned."""
    enqueue = enqueue_of(resources)
    created = await intake.apply_event(
        db=resources.database,
        envelope=envelope,
        now=datetime.now(UTC),
        config=plan_config(resources),
        enqueue_soon=enqueue is not None,
    )
    if enqueue is not None:
        await jobs.submit(enqueue, created)
