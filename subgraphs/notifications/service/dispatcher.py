"""The reminder dispatcher: turns due reminders into deliveries, and re-enqueues lost ones.

Any number of dispatchers may run at once: each reminder is claimed by a conditional
UPDATE (`status = 'SCHEDULED'`, rows locked with SKIP LOCKED on PostgreSQL; SQLite
serializes writers), so it is dispatched exactly once. Time comes from the caller.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlmodel import col, select

from subgraphs.notifications import domain
from subgraphs.notifications.channels import jobs
from subgraphs.notifications.domain import Channel, DeliveryStatus, ReminderStatus
from subgraphs.notifications.models import AppointmentCopy, Notification, Reminder
from subgraphs.notifications.service import planning, waiting
from subgraphs.notifications.service.planning import PlanConfig
from subgraphs.shared.database import Database

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DispatchReport:
    reminders: int
    skipped: int
    enqueued: int


async def dispatch_due(
    *,
    db: Database,
    enqueue: jobs.Enqueue,
    now: datetime,
    config: PlanConfig,
    requeue_after: timedelta = timedelta(minutes=5),
    batch_size: int = 100,
) -> DispatchReport:
    """Dispatch every reminder due at `now`, give up overdue holds (see `waiting`), then
    enqueue pending deliveries nobody picked up."""
    reminders = skipped = 0
    deliveries: list[tuple[uuid.UUID, Channel]] = []
    while True:
        claimed, dropped, planned = await _dispatch_batch(db, now, config, batch_size)
        reminders, skipped = reminders + claimed, skipped + dropped
        deliveries += planned
        if claimed + dropped < batch_size:
            break
    deliveries += await waiting.expire_overdue(db=db, now=now, config=config)
    deliveries += await _claim_stale(db, now - requeue_after, now, batch_size)
    enqueued = await jobs.submit(enqueue, deliveries)
    return DispatchReport(reminders=reminders, skipped=skipped, enqueued=enqueued)


async def _dispatch_batch(
    db: Database, now: datetime, config: PlanConfig, batch_size: int
) -> tuple[int, int, list[tuple[uuid.UUID, Channel]]]:
    due = (
        select(Reminder)
        .where(col(Reminder.status) == ReminderStatus.SCHEDULED, col(Reminder.due_at) <= now)
        .order_by(col(Reminder.due_at))
        .limit(batch_size)
    )
    if db.dialect == "postgresql":
        due = due.with_for_update(skip_locked=True)
    claimed = dropped = 0
    planned: list[Notification] = []
    async with db.transaction() as session:
        for reminder in (await session.exec(due)).all():
            appointment = await session.get(AppointmentCopy, reminder.appointment_id)
            sendable = appointment is not None and domain.reminder_sendable(
                status=appointment.status, start=appointment.start, now=now
            )
            status = ReminderStatus.DISPATCHED if sendable else ReminderStatus.SKIPPED
            won = await session.exec(
                update(Reminder)
                .where(
                    col(Reminder.id) == reminder.id,
                    col(Reminder.status) == ReminderStatus.SCHEDULED,
                )
                .values(status=status, dispatched_at=now)
            )
            if won.rowcount != 1:
                continue
            if not sendable or appointment is None:
                dropped += 1
                continue
            claimed += 1
            planned += await planning.appointment_notifications(
                session,
                appointment=appointment,
                template=domain.REMINDER_TEMPLATE,
                method=None,
                start=appointment.start,
                end=appointment.end,
                now=now,
                config=config,
                lead_minutes=reminder.lead_minutes,
                only_user=reminder.user_id,
            )
        for row in planned:
            row.enqueued_at = now
    return claimed, dropped, [(row.id, row.channel) for row in planned]


async def _claim_stale(
    db: Database, stale_before: datetime, now: datetime, batch_size: int
) -> list[tuple[uuid.UUID, Channel]]:
    """PENDING rows never enqueued (or enqueued long ago and never attempted), and rows whose
    claimant died: claimed, the claim lapsed, not enqueued since (whatever the job's retry
    count; a finished attempt clears its claim)."""
    never_attempted = and_(
        col(Notification.status) == DeliveryStatus.PENDING,
        col(Notification.attempts) == 0,
        or_(
            col(Notification.enqueued_at).is_(None),
            col(Notification.enqueued_at) < stale_before,
        ),
    )
    claimant_died = and_(
        col(Notification.status).in_([DeliveryStatus.PENDING, DeliveryStatus.FAILED]),
        col(Notification.claimed_until).is_not(None),
        col(Notification.claimed_until) <= now,
        or_(
            col(Notification.enqueued_at).is_(None),
            col(Notification.enqueued_at) < col(Notification.claimed_until),
            col(Notification.enqueued_at) < stale_before,
        ),
    )
    query = (
        select(Notification.id, Notification.channel, Notification.enqueued_at)
        .where(or_(never_attempted, claimant_died))
        .limit(batch_size)
    )
    claimed: list[tuple[uuid.UUID, Channel]] = []
    async with db.transaction() as session:
        for notification_id, channel, enqueued_at in (await session.exec(query)).all():
            same = (
                col(Notification.enqueued_at).is_(None)
                if enqueued_at is None
                else col(Notification.enqueued_at) == enqueued_at
            )
            won = await session.exec(
                update(Notification)
                .where(col(Notification.id) == notification_id, same)
                .values(enqueued_at=now)
            )
            if won.rowcount == 1:
                claimed.append((notification_id, Channel(channel)))
    return claimed


async def run_scheduler(
    *,
    db: Database,
    enqueue: jobs.Enqueue,
    config: PlanConfig,
    interval_seconds: float,
    requeue_after: timedelta,
    stop: asyncio.Event,
    clock: Clock = utcnow,
) -> None:
    """Dispatch due reminders every `interval_seconds` until `stop` is set."""
    while not stop.is_set():
        try:
            report = await dispatch_due(
                db=db, enqueue=enqueue, now=clock(), config=config, requeue_after=requeue_after
            )
            if report.reminders or report.enqueued:
                log.info("reminders dispatched", extra=vars(report))
        except Exception:
            log.exception("reminder dispatch failed; retrying")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval_seconds)
