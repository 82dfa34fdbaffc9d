"""Messages planned before their recipient's contact details are known wait for them.

Events from different components reach this store in any order: a booking made right after
`register` can arrive before identity's `UserRegistered`. Planning then holds the event for
that user (a :class:`HeldEvent` row) instead of planning an in-app message only; the user's
contact details arriving plan it for them, once. A hold that outlives its wait is given up:
the in-app message goes out anyway, and a DEAD email row records that nobody could be told
by email (visible to admins in `notifications` and `notificationStats`).
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.notifications import domain
from subgraphs.notifications.domain import Channel, DeliveryStatus, HoldStatus
from subgraphs.notifications.models import AppointmentCopy, HeldEvent, Notification
from subgraphs.notifications.payloads import (
    AppointmentFacts,
    DoctorFacts,
    SeriesFacts,
    WaitlistOfferFacts,
)
from subgraphs.notifications.service import planning, series_notices, waitlist_offers
from subgraphs.notifications.service.planning import PlanConfig
from subgraphs.notifications.service.projections import audience, locked_recipient
from subgraphs.shared.database import Database
from subgraphs.shared.events import EventEnvelope

log = logging.getLogger(__name__)

NEVER_ARRIVED = "the recipient's contact details did not arrive in time"


async def unknown_users(session: AsyncSession, *user_ids: uuid.UUID) -> set[uuid.UUID]:
    """Those of `user_ids` whose contact details this store has not heard yet (rows locked)."""
    missing: set[uuid.UUID] = set()
    for user_id in dict.fromkeys(user_ids):
        if not (await locked_recipient(session, user_id)).known:
            missing.add(user_id)
    return missing


def hold(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    envelope: EventEnvelope,
    now: datetime,
    config: PlanConfig,
) -> HeldEvent:
    """Keep `envelope` until `user_id`'s contact details arrive (or the wait ends)."""
    row = HeldEvent(
        user_id=user_id,
        event_id=envelope.uuid,
        event_type=envelope.type,
        payload=dict(envelope.payload),
        occurred_at=envelope.time,
        wait_until=now + config.contact_wait,
        created_at=now,
    )
    session.add(row)
    log.info(
        "notification held until the recipient is known",
        extra={"event_type": envelope.type, "event_id": envelope.id},
    )
    return row


async def release(
    session: AsyncSession, user_id: uuid.UUID, *, now: datetime, config: PlanConfig
) -> list[Notification]:
    """Plan every message held for `user_id`, whose contact details just arrived."""
    held = (
        await session.exec(
            select(HeldEvent)
            .where(col(HeldEvent.user_id) == user_id, col(HeldEvent.status) == HoldStatus.WAITING)
            .order_by(col(HeldEvent.occurred_at))
        )
    ).all()
    rows: list[Notification] = []
    for item in held:
        rows += await _plan(session, item, now=now, config=config)
        item.status, item.resolved_at = HoldStatus.PLANNED, now
        session.add(item)
    return rows


async def expire_overdue(
    *, db: Database, now: datetime, config: PlanConfig, batch_size: int = 100
) -> list[tuple[uuid.UUID, Channel]]:
    """Give up the holds whose wait has ended; returns the deliveries to enqueue."""
    due = (
        select(HeldEvent)
        .where(col(HeldEvent.status) == HoldStatus.WAITING, col(HeldEvent.wait_until) <= now)
        .order_by(col(HeldEvent.wait_until))
        .limit(batch_size)
    )
    if db.dialect == "postgresql":
        due = due.with_for_update(skip_locked=True)
    planned: list[Notification] = []
    async with db.transaction() as session:
        for item in (await session.exec(due)).all():
            won = await session.exec(
                update(HeldEvent)
                .where(col(HeldEvent.id) == item.id, col(HeldEvent.status) == HoldStatus.WAITING)
                .values(status=HoldStatus.EXPIRED, resolved_at=now)
            )
            if won.rowcount != 1:
                continue
            rows = await _plan(session, item, now=now, config=config)
            planned += rows
            template = rows[0].template if rows else _template(item.event_type)
            if template is not None:
                session.add(_failure(item, template, now))
            log.warning(
                "gave up waiting for a recipient's contact details",
                extra={"event_type": item.event_type, "event_id": str(item.event_id)},
            )
        for row in planned:
            row.enqueued_at = now
    return [(row.id, row.channel) for row in planned]


def _template(event_type: str) -> str | None:
    if event_type == domain.WAITLIST_OFFER_EVENT:
        return domain.WAITLIST_OFFER_TEMPLATE
    if event_type in domain.APPOINTMENT_TEMPLATES:
        return domain.APPOINTMENT_TEMPLATES[event_type][0]
    if event_type in domain.SERIES_TEMPLATES:
        return domain.SERIES_TEMPLATES[event_type][0]
    return domain.DOCTOR_TEMPLATES.get(event_type)


def _failure(item: HeldEvent, template: str, now: datetime) -> Notification:
    """The email that could not be sent, as a DEAD row admins can see and count."""
    return Notification(
        user_id=item.user_id,
        channel=Channel.EMAIL,
        template=template,
        language=domain.DEFAULT_LANGUAGE,
        recipient="",
        subject="",
        body="",
        status=DeliveryStatus.DEAD,
        last_error=NEVER_ARRIVED,
        source_event_id=item.event_id,
        created_at=now,
        updated_at=now,
    )


async def _plan(
    session: AsyncSession, item: HeldEvent, *, now: datetime, config: PlanConfig
) -> list[Notification]:
    """The messages `item`'s event means for its user, with what this store knows now."""
    if item.event_type in domain.APPOINTMENT_TEMPLATES:
        facts = AppointmentFacts.parse(item.payload)
        appointment = await session.get(AppointmentCopy, facts.appointment_id)
        if appointment is None:
            return []
        template, method = domain.APPOINTMENT_TEMPLATES[item.event_type]
        return await planning.appointment_notifications(
            session,
            appointment=appointment,
            template=template,
            method=method,
            start=facts.start,
            end=facts.end,
            now=now,
            config=config,
            previous_start=facts.previous_start,
            cancelled_by=facts.cancelled_by,
            reason=facts.reason,
            event_id=item.event_id,
            only_user=item.user_id,
        )
    if item.event_type in domain.SERIES_TEMPLATES:
        template, method = domain.SERIES_TEMPLATES[item.event_type]
        return await series_notices.plan(
            session,
            SeriesFacts.parse(item.payload),
            template=template,
            method=method,
            now=now,
            config=config,
            event_id=item.event_id,
            only_user=item.user_id,
        )
    if item.event_type == domain.WAITLIST_OFFER_EVENT:
        offer = WaitlistOfferFacts.parse(item.payload)
        return await waitlist_offers.plan(session, offer, now=now, event_id=item.event_id)
    decision = domain.DOCTOR_TEMPLATES.get(item.event_type)
    if decision is None:
        return []
    return planning.notify(
        session,
        who=await audience(session, item.user_id),
        template=decision,
        role="user",
        values=domain.doctor_decision_values(DoctorFacts.parse(item.payload).reason),
        now=now,
        event_id=item.event_id,
    )
