"""Admins' webhook use cases: register an endpoint, list endpoints and deliveries, replay.

Changing an endpoint after registration (edit, enable, rotate, delete) is in `lifecycle`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from urllib.parse import urlsplit

from sqlalchemy import func
from sqlmodel import col, select

from subgraphs.notifications.models import WebhookDelivery, WebhookEndpoint
from subgraphs.notifications.service import auditing
from subgraphs.notifications.webhooks.events import EVENT_TYPES
from subgraphs.notifications.webhooks.signing import new_secret
from subgraphs.shared.auth import Principal, Role
from subgraphs.shared.database import Database
from subgraphs.shared.errors import BadUserInput, Conflict, Forbidden, NotFound

PUBLIC_TYPES: Final = frozenset(EVENT_TYPES.values())
DESCRIPTION_MAX: Final = 500
URL_MAX: Final = 2000
_LOCAL_HOSTS: Final = ("127.0.0.1",)


@dataclass(frozen=True)
class Registered:
    endpoint: WebhookEndpoint
    secret: str


@dataclass(frozen=True)
class DeliveryPage:
    items: Sequence[WebhookDelivery]
    total: int
    offset: int


def require_admin(principal: Principal | None) -> Principal:
    if principal is None or principal.role is not Role.ADMIN:
        raise Forbidden("Only admins manage webhooks.")
    return principal


def check_url(url: str, *, allow_local_http: bool) -> str:
    """HTTPS with a host; http://127.0.0.1 only where the deployment allows it."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # a malformed port raises here
    except ValueError:
        raise BadUserInput("Not a valid URL.", field="url") from None
    if len(url) > URL_MAX or not parts.hostname or parts.username or parts.password:
        raise BadUserInput("Give an https:// URL without credentials.", field="url")
    if parts.scheme == "https":
        return url
    if parts.scheme == "http" and allow_local_http and parts.hostname in _LOCAL_HOSTS:
        return url
    raise BadUserInput("Webhook endpoints must use https://.", field="url")


def check_event_types(event_types: Sequence[str]) -> list[str]:
    """One or more of the public types, each once, in the order given."""
    wanted = list(dict.fromkeys(event_types))
    if not wanted or not set(wanted) <= PUBLIC_TYPES:
        raise BadUserInput(
            f"Event types are one or more of {', '.join(sorted(PUBLIC_TYPES))}.",
            field="eventTypes",
        )
    return wanted


def check_description(description: str | None) -> str:
    text = (description or "").strip()
    if len(text) > DESCRIPTION_MAX:
        raise BadUserInput(f"At most {DESCRIPTION_MAX} characters.", field="description")
    return text


async def register(
    *,
    db: Database,
    principal: Principal | None,
    url: str,
    event_types: Sequence[str],
    description: str | None,
    allow_local_http: bool,
    now: datetime,
) -> Registered:
    admin = require_admin(principal)
    secret = new_secret()
    endpoint = WebhookEndpoint(
        id=uuid.uuid4(),
        url=check_url(url.strip(), allow_local_http=allow_local_http),
        description=check_description(description),
        event_types=check_event_types(event_types),
        secret=secret,
        created_by=admin.user_id,
        created_at=now,
    )
    async with db.transaction() as session:
        session.add(endpoint)
        auditing.webhook_changed(session, action="WebhookRegistered", webhook_id=endpoint.id)
    return Registered(endpoint=endpoint, secret=secret)


async def endpoints(
    *, db: Database, principal: Principal | None, include_deleted: bool = False
) -> Sequence[WebhookEndpoint]:
    """Registered endpoints, oldest first; deleted ones only when asked for (history)."""
    require_admin(principal)
    statement = select(WebhookEndpoint).order_by(
        col(WebhookEndpoint.created_at), col(WebhookEndpoint.id)
    )
    if not include_deleted:
        statement = statement.where(col(WebhookEndpoint.deleted_at).is_(None))
    async with db.session() as session:
        return (await session.exec(statement)).all()


async def deliveries(
    *,
    db: Database,
    principal: Principal | None,
    endpoint_id: uuid.UUID,
    offset: int,
    limit: int,
) -> DeliveryPage:
    """An endpoint's deliveries, newest first (a deleted endpoint's too: its history)."""
    require_admin(principal)
    where = col(WebhookDelivery.endpoint_id) == endpoint_id
    async with db.session() as session:
        if await session.get(WebhookEndpoint, endpoint_id) is None:
            raise NotFound("No such webhook.", field="webhookId")
        total = (
            await session.exec(select(func.count()).select_from(WebhookDelivery).where(where))
        ).one()
        rows = (
            await session.exec(
                select(WebhookDelivery)
                .where(where)
                .order_by(col(WebhookDelivery.created_at).desc(), col(WebhookDelivery.id))
                .offset(offset)
                .limit(limit)
            )
        ).all()
    return DeliveryPage(items=rows, total=int(total), offset=offset)


async def replay(
    *, db: Database, principal: Principal | None, delivery_id: uuid.UUID
) -> WebhookDelivery:
    """Send a delivery again (same id and body, freshly signed), whatever its state.

    The endpoint is sent to even when disabled: a replay that succeeds re-enables it. A
    deleted endpoint's deliveries cannot be replayed (CONFLICT).
    """
    require_admin(principal)
    async with db.transaction() as session:
        row = await session.get(WebhookDelivery, delivery_id, with_for_update=True)
        if row is None:
            raise NotFound("No such webhook delivery.", field="id")
        endpoint = await session.get(WebhookEndpoint, row.endpoint_id)
        if endpoint is None or endpoint.deleted_at is not None:
            raise Conflict("The webhook of this delivery was deleted.", field="id")
        row.status = "PENDING"
        session.add(row)
    return row
