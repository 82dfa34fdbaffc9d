"""Prometheus metrics of the reminder scheduler: deliveries it enqueued, reminders overdue.

Reminders overdue are counted in the notifications store at each scrape: SCHEDULED
reminders whose due time has passed (a healthy scheduler keeps this near zero), and the
age of the oldest, which the alert rules watch.
"""

from __future__ import annotations

import uuid

from prometheus_client import CollectorRegistry, Counter, Gauge
from sqlalchemy import func
from sqlmodel import col, select

from subgraphs.notifications.channels.jobs import Enqueue
from subgraphs.notifications.domain import Channel, ReminderStatus
from subgraphs.notifications.models import Reminder
from subgraphs.notifications.service.dispatcher import utcnow
from subgraphs.shared.database import Database

__all__ = ["SchedulerMetrics"]


class SchedulerMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.enqueued = Counter(
            "scheduler_deliveries_enqueued",
            "Reminder and notification deliveries the scheduler enqueued, by channel.",
            ["channel"],
            registry=self.registry,
        )
        self.due = Gauge(
            "scheduler_reminders_overdue",
            "SCHEDULED reminders whose due time has passed (not dispatched yet).",
            registry=self.registry,
        )
        self.oldest = Gauge(
            "scheduler_oldest_overdue_reminder_seconds",
            "How long the oldest overdue reminder has been due (0: none).",
            registry=self.registry,
        )

    def counting(self, enqueue: Enqueue) -> Enqueue:
        """`enqueue`, counting each delivery it accepts."""

        def counted(notification_id: uuid.UUID, channel: Channel) -> None:
            enqueue(notification_id, channel)
            self.enqueued.labels(str(channel)).inc()

        return counted

    async def refresh(self, db: Database) -> None:
        """Read the overdue reminders from the store."""
        now = utcnow()
        query = select(func.count(), func.min(col(Reminder.due_at))).where(
            col(Reminder.status) == ReminderStatus.SCHEDULED, col(Reminder.due_at) <= now
        )
        async with db.session() as session:
            count, oldest = (await session.exec(query)).one()
        self.due.set(count)
        if oldest is None:
            self.oldest.set(0)
        else:
            if oldest.tzinfo is None:
                oldest = oldest.replace(tzinfo=now.tzinfo)
            self.oldest.set(max(0.0, (now - oldest).total_seconds()))
