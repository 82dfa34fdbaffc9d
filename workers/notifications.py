"""Notification delivery actors: one per channel, with retries and back-off, then DEAD.

Each delivery job carries a notification id. Failing attempts raise, so Dramatiq's
`Retries` middleware re-enqueues them with exponential back-off (JOB_MAX_RETRIES,
JOB_MIN_BACKOFF_MS, JOB_MAX_BACKOFF_MS); once retries are exhausted the message goes to the
dead-letter queue and `on_retry_exhausted` calls `notifications.delivery_exhausted`, which
marks the row DEAD for the admins to see.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import dramatiq

from subgraphs.notifications.channels import jobs
from subgraphs.notifications.domain import Channel
from subgraphs.notifications.service import delivery
from subgraphs.notifications.webhooks import delivery as webhooks
from subgraphs.notifications.webhooks import jobs as webhook_jobs
from subgraphs.notifications.wiring import channels_of, settings_of
from subgraphs.shared.logs import hide_message_arguments
from workers.runtime import Runtime

COMPONENT = "notifications"


def declare(broker: dramatiq.Broker, runtime: Runtime) -> list[dramatiq.Actor[Any, Any]]:
    """Declare the delivery actors (one queue per channel) and the exhausted-retries actor."""
    actors: list[dramatiq.Actor[Any, Any]] = []
    for channel in Channel:

        async def deliver(notification_id: str, _channel: Channel = channel) -> None:
            resources = runtime.resources(COMPONENT)
            await delivery.deliver(
                db=resources.database,
                notification_id=uuid.UUID(notification_id),
                channels=channels_of(resources),
                pubsub=resources.pubsub,
                now=datetime.now(UTC),
                lease=settings_of(resources).lease,
            )

        deliver.__name__ = f"deliver_{channel.value.lower()}"
        actors.append(
            dramatiq.Actor(
                deliver,
                broker=broker,
                actor_name=jobs.ACTORS[channel],
                queue_name=jobs.QUEUES[channel],
                priority=0,
                options={"on_retry_exhausted": jobs.EXHAUSTED_ACTOR},
            )
        )

    async def delivery_exhausted(message: dict[str, Any], retry_info: dict[str, Any]) -> None:
        resources = runtime.resources(COMPONENT)
        error = str(message.get("options", {}).get("traceback", "")).strip().splitlines()
        await delivery.mark_dead(
            db=resources.database,
            notification_id=uuid.UUID(str(message["args"][0])),
            now=datetime.now(UTC),
            error=f"retries exhausted after {retry_info.get('retries', 0) + 1} attempts"
            + (f"; {error[-1]}" if error else ""),
        )

    actors.append(
        dramatiq.Actor(
            delivery_exhausted,
            broker=broker,
            actor_name=jobs.EXHAUSTED_ACTOR,
            queue_name=jobs.EXHAUSTED_QUEUE,
            priority=0,
            options={"max_retries": 20},
        )
    )
    actors += _webhook_actors(broker, runtime)
    hide_message_arguments(actor.logger for actor in actors)
    return actors


def _webhook_actors(broker: dramatiq.Broker, runtime: Runtime) -> list[dramatiq.Actor[Any, Any]]:
    """Webhook delivery (retried with the same back-off) and its exhausted-retries actor."""

    async def deliver_webhook(delivery_id: str) -> None:
        resources = runtime.resources(COMPONENT)
        settings = settings_of(resources)
        await webhooks.attempt(
            db=resources.database,
            delivery_id=uuid.UUID(delivery_id),
            post=webhook_jobs.http_post(settings.webhook_timeout_seconds),
            now=datetime.now(UTC),
            disable_after=settings.webhook_disable_after_failures,
        )

    async def webhook_exhausted(message: dict[str, Any], retry_info: dict[str, Any]) -> None:
        resources = runtime.resources(COMPONENT)
        await webhooks.mark_dead(
            db=resources.database,
            delivery_id=uuid.UUID(str(message["args"][0])),
            now=datetime.now(UTC),
            error=f"retries exhausted after {retry_info.get('retries', 0) + 1} attempts",
        )

    return [
        dramatiq.Actor(
            deliver_webhook,
            broker=broker,
            actor_name=webhook_jobs.ACTOR,
            queue_name=webhook_jobs.QUEUE,
            priority=0,
            options={"on_retry_exhausted": webhook_jobs.EXHAUSTED_ACTOR},
        ),
        dramatiq.Actor(
            webhook_exhausted,
            broker=broker,
            actor_name=webhook_jobs.EXHAUSTED_ACTOR,
            queue_name=webhook_jobs.EXHAUSTED_QUEUE,
            priority=0,
            options={"max_retries": 20},
        ),
    ]
