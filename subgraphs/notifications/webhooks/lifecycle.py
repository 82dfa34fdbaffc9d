"""An endpoint's life after registration: edited, disabled and enabled, its secret rotated,
deleted (admins only; each change is one transaction and one audit entry).

Deletion is soft: the row stays, its URL kept and its secrets emptied, so that the clinic
keeps the delivery history (`webhookDeliveries` still answers for it and `webhooks` lists
it when asked). It hears no new event, its unsent deliveries end DEAD at once, and an
attempt already queued sends nothing; it cannot be changed, rotated or replayed any more.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.notifications.models import WebhookDelivery, WebhookEndpoint
from subgraphs.notifications.service import auditing
from subgraphs.notifications.webhooks import delivery
from subgraphs.notifications.webhooks.registry import (
    check_description,
    check_event_types,
    check_url,
    require_admin,
)
from subgraphs.notifications.webhooks.signing import new_secret
from subgraphs.shared.auth import Principal
from subgraphs.shared.database import Database
from subgraphs.shared.errors import NotFound


@dataclass(frozen=True)
class Changes:
    """What an admin changes; None keeps the current value."""

    url: str | None = None
    event_types: Sequence[str] | None = None
    description: str | None = None
    enabled: bool | None = None


@dataclass(frozen=True)
class Rotated:
    endpoint: WebhookEndpoint
    secret: str


async def update(
    *,
    db: Database,
    principal: Principal | None,
    endpoint_id: uuid.UUID,
    changes: Changes,
    allow_local_http: bool,
    now: datetime,
) -> WebhookEndpoint:
    """Change an endpoint; re-enabling resets its failure run, disabling ends its unsent
    deliveries DEAD (an admin may replay them). A new URL applies to attempts still to come.
    """
    require_admin(principal)
    url = (
        None
        if changes.url is None
        else check_url(changes.url.strip(), allow_local_http=allow_local_http)
    )
    types = None if changes.event_types is None else check_event_types(changes.event_types)
    text = None if changes.description is None else check_description(changes.description)
    async with db.transaction() as session:
        endpoint = await _live(session, endpoint_id)
        endpoint.url = url or endpoint.url
        endpoint.event_types = endpoint.event_types if types is None else types
        endpoint.description = endpoint.description if text is None else text
        if changes.enabled is True and not endpoint.enabled:
            endpoint.enabled, endpoint.disabled_at = True, None
            endpoint.consecutive_failures = 0
        elif changes.enabled is False and endpoint.enabled:
            endpoint.enabled, endpoint.disabled_at = False, now
            await _end_unsent(session, endpoint_id, delivery.ENDPOINT_DISABLED, now)
        session.add(endpoint)
        auditing.webhook_changed(session, action="WebhookUpdated", webhook_id=endpoint_id)
    return endpoint


async def rotate_secret(
    *,
    db: Database,
    principal: Principal | None,
    endpoint_id: uuid.UUID,
    rollover: timedelta,
    revoke_previous: bool,
    now: datetime,
) -> Rotated:
    """A new signing secret, returned once. For `rollover` the old one still signs beside it
    (unless `revoke_previous`, e.g. after a leak, or a zero rollover): the receiver accepts
    either while it switches. Rotating again within a rollover drops the oldest secret."""
    require_admin(principal)
    secret = new_secret()
    async with db.transaction() as session:
        endpoint = await _live(session, endpoint_id)
        if revoke_previous or rollover <= timedelta(0):
            endpoint.previous_secret, endpoint.previous_secret_expires_at = None, None
        else:
            endpoint.previous_secret = endpoint.secret
            endpoint.previous_secret_expires_at = now + rollover
        endpoint.secret = secret
        session.add(endpoint)
        auditing.webhook_changed(session, action="WebhookSecretRotated", webhook_id=endpoint_id)
    return Rotated(endpoint=endpoint, secret=secret)


async def delete(
    *, db: Database, principal: Principal | None, endpoint_id: uuid.UUID, now: datetime
) -> WebhookEndpoint:
    """Soft-delete an endpoint (see the module's docstring): history kept, nothing sent."""
    require_admin(principal)
    async with db.transaction() as session:
        endpoint = await _live(session, endpoint_id)
        endpoint.deleted_at = now
        endpoint.enabled, endpoint.disabled_at = False, endpoint.disabled_at or now
        endpoint.secret, endpoint.previous_secret = "", None
        endpoint.previous_secret_expires_at = None
        await _end_unsent(session, endpoint_id, delivery.ENDPOINT_DELETED, now)
        session.add(endpoint)
        auditing.webhook_changed(session, action="WebhookDeleted", webhook_id=endpoint_id)
    return endpoint


async def _live(session: AsyncSession, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    endpoint = await session.get(WebhookEndpoint, endpoint_id, with_for_update=True)
    if endpoint is None or endpoint.deleted_at is not None:
        raise NotFound("No such webhook.", field="id")
    return endpoint


async def _end_unsent(
    session: AsyncSession, endpoint_id: uuid.UUID, error: str, now: datetime
) -> None:
    """Deliveries waiting for a (next) attempt end DEAD; one already on its way finds it so."""
    await session.exec(
        sqlalchemy.update(WebhookDelivery)
        .where(
            col(WebhookDelivery.endpoint_id) == endpoint_id,
            col(WebhookDelivery.status).in_(("PENDING", "FAILED")),
        )
        .values(status="DEAD", last_error=error, attempted_at=now)
    )
