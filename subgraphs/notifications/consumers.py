"""The events the notifications subgraph consumes, and its one handler."""

from __future__ import annotations

from datetime import UTC, datetime

from subgraphs.notifications.channels import jobs
from subgraphs.notifications.service import intake
from subgraphs.notifications.webhooks import delivery as webhooks
from subgraphs.notifications.webhooks import jobs as webhook_jobs
from subgraphs.notifications.webhooks.events import EVENT_TYPES
from subgraphs.notifications.wiring import enqueue_of, plan_config, webhook_enqueue_of
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.resources import Resources

HANDLED_EVENTS: frozenset[str] = intake.HANDLED | frozenset(EVENT_TYPES)


async def handle(envelope: EventEnvelope, resources: Resources) -> None:
    """Apply the event once, then enqueue the deliveries it planned (messages, webhooks)."""
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

    planned = await webhooks.plan(resources.database, envelope, now=datetime.now(UTC))
    enqueue_webhook = webhook_enqueue_of(resources)
    if planned and enqueue_webhook is not None:
        await webhook_jobs.submit(enqueue_webhook, planned)
