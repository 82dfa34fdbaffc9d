"""The delivery jobs on the bus: one queue and one actor per channel, and how to enqueue them.

The actors themselves are declared in `workers/notifications.py`; enqueueing needs only the
names, so the subgraph (its consumers and the dispatcher) never imports the workers.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Final

import dramatiq

from subgraphs.notifications.domain import Channel

log = logging.getLogger(__name__)

QUEUES: Final = {
    Channel.EMAIL: "notifications.email",
    Channel.SMS: "notifications.sms",
    Channel.IN_APP: "notifications.in_app",
}
ACTORS: Final = {
    Channel.EMAIL: "notifications.deliver_email",
    Channel.SMS: "notifications.deliver_sms",
    Channel.IN_APP: "notifications.deliver_in_app",
}
EXHAUSTED_ACTOR: Final = "notifications.delivery_exhausted"
EXHAUSTED_QUEUE: Final = "notifications.dead"

Enqueue = Callable[[uuid.UUID, Channel], None]


def broker_enqueue(broker: dramatiq.Broker) -> Enqueue:
    """Enqueue a delivery on `broker` (blocks until a RabbitMQ broker confirms)."""

    def enqueue(notification_id: uuid.UUID, channel: Channel) -> None:
        broker.enqueue(
            dramatiq.Message(
                queue_name=QUEUES[channel],
                actor_name=ACTORS[channel],
                args=(str(notification_id),),
                kwargs={},
                options={},
            )
        )

    return enqueue


async def submit(enqueue: Enqueue, items: Iterable[tuple[uuid.UUID, Channel]]) -> int:
    """Enqueue each delivery off the event loop; returns how many were accepted.

    A refused enqueue is only logged: the row stays PENDING and the dispatcher's sweep
    enqueues it again later.
    """
    pending = list(items)

    def run() -> int:
        done = 0
        for notification_id, channel in pending:
            try:
                enqueue(notification_id, channel)
            except Exception:
                log.warning(
                    "could not enqueue a delivery; the dispatcher will retry",
                    extra={"notification_id": str(notification_id), "channel": channel.value},
                )
                continue
            done += 1
        return done

    return await asyncio.to_thread(run) if pending else 0
