"""From an event to signed POSTs: rows first (in the event's transaction), sends second.

An attempt sends outside any transaction, then records the outcome: SENT, or FAILED with
the error and a raise so the job is retried with back-off; the endpoint's run of failed
attempts is counted and, at WEBHOOK_DISABLE_AFTER_FAILURES, the endpoint is disabled
(its later deliveries end DEAD unsent). A success resets the run and re-enables it.
A deleted endpoint is sent nothing more, whatever its deliveries' state.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Final

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.notifications.models import WebhookDelivery, WebhookEndpoint
from subgraphs.notifications.webhooks import events, signing
from subgraphs.shared.database import Database
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.inbox import first_delivery
from subgraphs.shared.upsert import insert_or_skip

CONSUMER: Final = "notifications.webhooks"
ERROR_MAX: Final = 500
ENDPOINT_DISABLED: Final = "the endpoint is disabled"
ENDPOINT_DELETED: Final = "the endpoint was deleted"

# (url, headers, body) → the HTTP status; raises on a transport failure.
Post = Callable[[str, dict[str, str], str], Awaitable[int]]


class DeliveryFailed(RuntimeError):
    """The endpoint did not accept the delivery; the job retries with back-off."""


def message_id(delivery_id: uuid.UUID) -> str:
    """`webhook-id`: the same for every attempt and replay of one delivery."""
    return f"msg_{delivery_id.hex}"


async def plan(db: Database, envelope: EventEnvelope, *, now: datetime) -> list[uuid.UUID]:
    """One PENDING delivery per enabled endpoint hearing the event, once per event.

    An endpoint hears what happens from its registration on: an event that occurred before
    it (still travelling through an outbox or a queue) is not sent to it.
    """
    public = events.EVENT_TYPES.get(envelope.type)
    if public is None:
        return []
    async with db.transaction() as session:
        if not await first_delivery(
            session, event_id=envelope.uuid, event_type=envelope.type, consumer=CONSUMER
        ):
            return []
        endpoints = (
            await session.exec(
                select(WebhookEndpoint).where(
                    col(WebhookEndpoint.enabled), col(WebhookEndpoint.deleted_at).is_(None)
                )
            )
        ).all()
        body = events.body(envelope)
        planned: list[uuid.UUID] = []
        for endpoint in endpoints:
            if public not in endpoint.event_types or _registered_after(endpoint, envelope):
                continue
            delivery_id = uuid.uuid4()
            values = {
                "id": delivery_id,
                "endpoint_id": endpoint.id,
                "event_id": envelope.uuid,
                "event_type": public,
                "body": body,
                "status": "PENDING",
                "attempts": 0,
                "created_at": now,
            }
            if await insert_or_skip(session, WebhookDelivery, values, ["endpoint_id", "event_id"]):
                planned.append(delivery_id)
    return planned


def _registered_after(endpoint: WebhookEndpoint, envelope: EventEnvelope) -> bool:
    return _utc(endpoint.created_at) > envelope.time


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment  # SQLite: naive


def signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    """The secrets a delivery is signed with now: during a rotation's rollover the previous
    one first, then the current one (`v1,<old> v1,<new>`); otherwise the current one."""
    until = endpoint.previous_secret_expires_at
    if endpoint.previous_secret and until is not None and _utc(until) > now:
        return [endpoint.previous_secret, endpoint.secret]
    return [endpoint.secret]


async def attempt(
    *,
    db: Database,
    delivery_id: uuid.UUID,
    post: Post,
    now: datetime,
    disable_after: int,
) -> str:
    """Send one delivery once; returns its status (raises `DeliveryFailed` to be retried)."""
    async with db.session() as session:
        row = await session.get(WebhookDelivery, delivery_id)
        endpoint = None if row is None else await session.get(WebhookEndpoint, row.endpoint_id)
    if row is None or endpoint is None or row.status in ("SENT", "DEAD"):
        return "GONE" if row is None else row.status
    if endpoint.deleted_at is not None:
        return await _finish(db, delivery_id, "DEAD", error=ENDPOINT_DELETED, now=now)
    if not endpoint.enabled and row.status != "PENDING":  # a replay is PENDING again
        return await _finish(db, delivery_id, "DEAD", error=ENDPOINT_DISABLED, now=now)
    secrets = signing_secrets(endpoint, now)
    headers = signing.headers(secrets, message_id(row.id), int(now.timestamp()), row.body)
    code: int | None = None
    error: str | None = None
    try:
        code = await post(endpoint.url, headers, row.body)
        if not 200 <= code < 300:
            error = f"the endpoint answered HTTP {code}"
    except Exception as failure:
        error = f"{type(failure).__name__}: {failure}"[:ERROR_MAX]
    async with db.transaction() as session:
        await _record(session, delivery_id, endpoint.id, code, error, now, disable_after)
    if error is not None:
        raise DeliveryFailed(error)
    return "SENT"


async def _record(
    session: AsyncSession,
    delivery_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    code: int | None,
    error: str | None,
    now: datetime,
    disable_after: int,
) -> None:
    row = await session.get(WebhookDelivery, delivery_id, with_for_update=True)
    endpoint = await session.get(WebhookEndpoint, endpoint_id, with_for_update=True)
    assert row is not None
    assert endpoint is not None
    row.attempts += 1
    row.attempted_at = now
    row.last_status_code = code
    row.last_error = error
    if error is None:
        row.status, row.sent_at = "SENT", now
        endpoint.consecutive_failures = 0
        if endpoint.deleted_at is None:  # deleted while this attempt was on its way
            endpoint.enabled, endpoint.disabled_at = True, None
    else:
        row.status = "FAILED"
        endpoint.consecutive_failures += 1
        if endpoint.enabled and endpoint.consecutive_failures >= disable_after:
            endpoint.enabled, endpoint.disabled_at = False, now
    session.add(row)
    session.add(endpoint)


async def _finish(
    db: Database,
    delivery_id: uuid.UUID,
    status: str,
    *,
    error: str,
    now: datetime,
    keep_last: bool = False,
) -> str:
    async with db.transaction() as session:
        row = await session.get(WebhookDelivery, delivery_id, with_for_update=True)
        if row is not None and row.status not in ("SENT",):
            if keep_last and row.last_error:
                error = f"{error}; {row.last_error}"
            row.status, row.last_error, row.attempted_at = status, error[:ERROR_MAX], now
            session.add(row)
    return status


async def mark_dead(*, db: Database, delivery_id: uuid.UUID, now: datetime, error: str) -> None:
    """Retries exhausted: the delivery is DEAD (an admin may still replay it)."""
    await _finish(db, delivery_id, "DEAD", error=error, now=now, keep_last=True)
