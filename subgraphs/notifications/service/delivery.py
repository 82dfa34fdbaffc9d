"""Delivering one notification on its channel, at most once however often the job runs.

An attempt first claims the row (a conditional UPDATE: only a PENDING or FAILED row whose
claim has lapsed), sends outside any transaction, then records SENT with the provider's
message id, or FAILED with the error and raises so that the job is retried with back-off.
A retry of a SENT row does nothing. When the retries are exhausted, :func:`mark_dead`
gives up only on a row whose last attempt reached the provider and failed: retries spent
waiting for a claimant that died leave the row to the dispatcher, which enqueues it again
once the claim has lapsed (see `dispatcher`). An attempt records its outcome only while its
claim is still the row's latest, and a message that was sent is always recorded SENT.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from html import escape as html_escape
from typing import Final

from sqlalchemy import or_, update
from sqlmodel import col

from subgraphs.notifications.channels import Channels, PermanentDeliveryError
from subgraphs.notifications.domain import ONE_TIME_LINK, Channel, DeliveryStatus, short_error
from subgraphs.notifications.models import Notification
from subgraphs.notifications.templates.email_message import build_email
from subgraphs.shared.database import Database
from subgraphs.shared.pubsub import PubSub

log = logging.getLogger(__name__)

DEFAULT_LEASE: Final = timedelta(minutes=2)  # NOTIFICATION_LEASE_SECONDS when unset (settings)
REDACTED: Final = "[redacted after delivery]"


def user_channel(user_id: uuid.UUID) -> str:
    """The pub/sub channel of a user's in-app notifications."""
    return f"notifications.user.{user_id}"


class Outcome(StrEnum):
    SENT = "SENT"
    ALREADY_DONE = "ALREADY_DONE"
    DEAD = "DEAD"
    MISSING = "MISSING"


class DeliveryFailed(RuntimeError):
    """This attempt failed; the job should be retried later."""


class DeliveryBusy(DeliveryFailed):
    """Another attempt holds the row right now."""


@dataclass(frozen=True)
class Attempt:
    outcome: Outcome
    provider_message_id: str | None = None


async def deliver(
    *,
    db: Database,
    notification_id: uuid.UUID,
    channels: Channels,
    pubsub: PubSub,
    now: datetime,
    lease: timedelta = DEFAULT_LEASE,
) -> Attempt:
    """One delivery attempt; raises :class:`DeliveryFailed` when it should be retried."""
    row = await _claim(db, notification_id, now=now, lease=lease)
    if isinstance(row, Attempt):
        return row
    mine = row.attempts
    try:
        provider_id = await _send(row, channels)
    except PermanentDeliveryError as error:
        await _finish(db, row.id, DeliveryStatus.DEAD, now=now, error=short_error(error), mine=mine)
        log.warning("notification undeliverable", extra=_log_fields(row))
        return Attempt(Outcome.DEAD)
    except Exception as error:
        await _finish(
            db, row.id, DeliveryStatus.FAILED, now=now, error=short_error(error), mine=mine
        )
        log.info("notification delivery failed; will retry", extra=_log_fields(row))
        # Not chained: the worker logs the whole traceback, and the cause's own text (the
        # provider's answer) may quote the recipient; short_error is that text, redacted.
        raise DeliveryFailed(short_error(error)) from None
    await _finish(
        db,
        row.id,
        DeliveryStatus.SENT,
        now=now,
        provider_id=provider_id,
        redact=row.sensitive,
        mine=mine,
    )
    if row.secret_ref and channels.links is not None:
        await channels.links.forget(row.secret_ref)
    if row.channel is Channel.IN_APP:
        await _announce(pubsub, row)
    return Attempt(Outcome.SENT, provider_id)


async def mark_dead(
    *, db: Database, notification_id: uuid.UUID, now: datetime, error: str | None = None
) -> bool:
    """Give up on a notification whose retries are exhausted, when its last attempt reached
    the provider and failed (FAILED, not claimed now). A PENDING row, or one a live attempt
    holds, stays for the dispatcher to enqueue again; a SENT one stays SENT."""
    async with db.transaction() as session:
        result = await session.exec(
            update(Notification)
            .where(
                col(Notification.id) == notification_id,
                col(Notification.status) == DeliveryStatus.FAILED,
                or_(
                    col(Notification.claimed_until).is_(None),
                    col(Notification.claimed_until) <= now,
                ),
            )
            .values(
                status=DeliveryStatus.DEAD,
                claimed_until=None,
                updated_at=now,
                last_error=(error or "retries exhausted")[:500],
            )
        )
    return bool(result.rowcount)


async def _claim(
    db: Database, notification_id: uuid.UUID, *, now: datetime, lease: timedelta
) -> Notification | Attempt:
    async with db.transaction() as session:
        result = await session.exec(
            update(Notification)
            .where(
                col(Notification.id) == notification_id,
                col(Notification.status).in_([DeliveryStatus.PENDING, DeliveryStatus.FAILED]),
                or_(
                    col(Notification.claimed_until).is_(None),
                    col(Notification.claimed_until) <= now,
                ),
            )
            .values(
                claimed_until=now + lease,
                attempts=col(Notification.attempts) + 1,
                updated_at=now,
            )
        )
        row = await session.get(Notification, notification_id)
    if row is None:
        return Attempt(Outcome.MISSING)
    if result.rowcount == 1:
        return row
    if row.status in (DeliveryStatus.SENT, DeliveryStatus.DEAD):
        return Attempt(Outcome.ALREADY_DONE, row.provider_message_id)
    raise DeliveryBusy("another attempt is delivering this notification")


async def _send(row: Notification, channels: Channels) -> str | None:
    if row.channel is Channel.EMAIL:
        text, html = row.body, row.html
        if row.secret_ref:
            text, html = await _with_link(row, channels)
        message = build_email(
            notification_id=row.id,
            sender=channels.sender,
            to=row.recipient,
            subject=row.subject,
            text=text,
            html=html,
            ics=row.ics,
            created_at=row.created_at,
        )
        return await channels.email.send(message)
    if row.channel is Channel.SMS:
        return await channels.sms.send(to=row.recipient, body=row.body, reference=str(row.id))
    return None


async def _with_link(row: Notification, channels: Channels) -> tuple[str, str | None]:
    """The texts with the one-time link put in (kept in memory only, never stored)."""
    link = (
        await channels.links.reveal(row.secret_ref or "", template=row.template)
        if channels.links
        else None
    )
    if link is None:
        raise PermanentDeliveryError("the one-time link expired before it could be sent")
    text = row.body.replace(ONE_TIME_LINK, link)
    anchor = f'<a href="{html_escape(link)}">{html_escape(link)}</a>'
    page = row.html.replace(html_escape(ONE_TIME_LINK), anchor) if row.html else None
    return text, page


async def _finish(
    db: Database,
    notification_id: uuid.UUID,
    status: DeliveryStatus,
    *,
    now: datetime,
    error: str | None = None,
    provider_id: str | None = None,
    redact: bool = False,
    mine: int,
) -> None:
    """Record an attempt's outcome: a sent message always (unless another attempt already
    recorded its sending); a failure only while attempt number `mine` is the row's latest."""
    values: dict[str, object] = {"status": status, "claimed_until": None, "updated_at": now}
    where = [
        col(Notification.id) == notification_id,
        col(Notification.status) != DeliveryStatus.SENT,
    ]
    if status is DeliveryStatus.SENT:
        values.update(sent_at=now, provider_message_id=provider_id, last_error=None)
        if redact:
            values.update(body=REDACTED, html=None)
    else:
        values["last_error"] = error
        where.append(col(Notification.attempts) == mine)
    async with db.transaction() as session:
        await session.exec(update(Notification).where(*where).values(**values))


async def _announce(pubsub: PubSub, row: Notification) -> None:
    try:
        await pubsub.publish(user_channel(row.user_id), {"id": str(row.id)})
    except Exception:  # live updates are best effort: the notification is stored either way
        log.warning("could not publish an in-app notification", extra=_log_fields(row))


def _log_fields(row: Notification) -> dict[str, str]:
    return {"notification_id": str(row.id), "channel": row.channel.value, "template": row.template}
