"""Admins' webhook use cases: register an endpoint, list endpoints and deliveries, replay."""

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
from subgraphs.notifications.webhooks.events import EVENT_TYPES
from subgraphs.notifications.webhooks.signing import new_secret
from subgraphs.shared.auth import Principal, Role
from subgraphs.shared.database import Database
from subgraphs.shared.errors import BadUserInput, Forbidden, NotFound

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
    checked = check_url(url.strip(), allow_local_http=allow_local_http)
    wanted = list(dict.fromkeys(event_types))
    if not wanted or not set(wanted) <= PUBLIC_TYPES:
        raise BadUserInput(
            f"Event types are one or more of {', '.join(sorted(PUBLIC_TYPES))}.",
            field="eventTypes",
        )
    text = (description or "").strip()
    if len(text) > DESCRIPTION_MAX:
        raise BadUserInput(f"At most {DESCRIPTION_MAX} characters.", field="description")
    secret = new_secret()
    endpoint = WebhookEndpoint(
        id=uuid.uuid4(),
        url=checked,
        description=text,
        event_types=wanted,
        secret=secret,
        created_by=admin.user_id,
        created_at=now,
    )
    async with db.transaction() as session:
        session.add(endpoint)
    return Registered(endpoint=endpoint, secret=secret)


async def endpoints(*, db: Database, principal: Principal | None) -> Sequence[WebhookEndpoint]:
    require_admin(principal)
    statement = select(WebhookEndpoint).order_by(
        col(WebhookEndpoint.created_at), col(WebhookEndpoint.id)
    )
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
    """An endpoint's deliveries, newest first."""
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

    The endpoint is sent to even when disabled: a replay that succeeds re-enables it.
    """
    require_admin(principal)
    async with db.transaction() as session:
        row = await session.get(WebhookDelivery, delivery_id, with_for_update=True)
        if row is None:
            raise NotFound("No such webhook delivery.", field="id")
        row.status = "PENDING"
        session.add(row)
    return row
