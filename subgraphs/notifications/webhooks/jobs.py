"""The webhook delivery job on the bus: its queue, its actor's name, and how to enqueue it.

The actor is declared in `workers/notifications.py` (like the channels' deliveries).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Final

import dramatiq
import httpx

from subgraphs.notifications.webhooks.delivery import Post

log = logging.getLogger(__name__)

QUEUE: Final = "notifications.webhooks"
ACTOR: Final = "notifications.deliver_webhook"
EXHAUSTED_ACTOR: Final = "notifications.webhook_exhausted"
EXHAUSTED_QUEUE: Final = "notifications.webhooks.dead"

EnqueueWebhook = Callable[[uuid.UUID], None]


def broker_enqueue(broker: dramatiq.Broker) -> EnqueueWebhook:
    def enqueue(delivery_id: uuid.UUID) -> None:
        broker.enqueue(
            dramatiq.Message(
                queue_name=QUEUE,
                actor_name=ACTOR,
                args=(str(delivery_id),),
                kwargs={},
                options={},
            )
        )

    return enqueue


async def submit(enqueue: EnqueueWebhook, delivery_ids: Iterable[uuid.UUID]) -> int:
    """Enqueue each delivery off the event loop; a refused enqueue is logged (replayable)."""
    pending = list(delivery_ids)

    def run() -> int:
        done = 0
        for delivery_id in pending:
            try:
                enqueue(delivery_id)
            except Exception:
                log.warning(
                    "could not enqueue a webhook delivery", extra={"delivery_id": str(delivery_id)}
                )
                continue
            done += 1
        return done

    return await asyncio.to_thread(run) if pending else 0


def http_post(timeout_seconds: float) -> Post:
    """POST with httpx, no redirects followed (a redirect is a failed attempt)."""

    async def post(url: str, headers: dict[str, str], body: str) -> int:
        async with httpx.AsyncClient(timeout=timeout_seconds, follow_redirects=False) as client:
            response = await client.post(url, content=body.encode(), headers=headers)
        return response.status_code

    return post
