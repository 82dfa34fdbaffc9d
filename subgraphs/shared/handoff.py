"""Handing a secret from one component to another without it travelling in an event or a log.

The producer (identity: password reset and invitation tokens) stores the secret in the
shared cache under a random `delivery_id` and puts only that id in its event. The consumer
(notifications) reveals the secret with the id when it renders the message, and discards it
after a successful delivery; the entry also expires with the secret. Events, outbox rows,
dead-letter queues and logs therefore never contain the secret, and an id alone is
worthless once the entry is gone.

Cache key namespace: ``handoff:<delivery_id>`` → the secret (UTF-8), TTL = its lifetime.
"""

from __future__ import annotations

import secrets

from subgraphs.shared.cache import Cache

PREFIX = "handoff:"


async def deposit(cache: Cache, secret: str, *, ttl_seconds: int) -> str:
    """Store `secret` for a consumer; returns the delivery id to put in the event."""
    delivery_id = secrets.token_urlsafe(18)
    await cache.set(f"{PREFIX}{delivery_id}", secret.encode(), ttl_seconds=ttl_seconds)
    return delivery_id


async def reveal(cache: Cache, delivery_id: str) -> str | None:
    """The secret deposited under `delivery_id`, or None when expired or discarded."""
    raw = await cache.get(f"{PREFIX}{delivery_id}")
    return raw.decode() if raw is not None else None


async def discard(cache: Cache, delivery_id: str) -> None:
    """Forget the secret (after it was delivered)."""
    await cache.delete(f"{PREFIX}{delivery_id}")
