"""Metrics the worker reads from the stores at each scrape: the outbox backlog of every
subgraph, and the business figures (appointments by status, notifications by channel and
status). Every label is bounded: store names, and the status and channel enums."""

from __future__ import annotations

from collections.abc import Mapping

from prometheus_client import CollectorRegistry, Gauge
from sqlalchemy import func
from sqlmodel import col, select

from subgraphs.appointments.models import AppointmentRow
from subgraphs.notifications.models import Notification
from subgraphs.shared.database import Database
from subgraphs.shared.outbox import OutboxMessage, OutboxStatus, utcnow

__all__ = ["StoreMetrics"]


class StoreMetrics:
    def __init__(self, stores: Mapping[str, Database], registry: CollectorRegistry) -> None:
        self.stores = stores
        self.pending = Gauge(
            "outbox_pending_messages", "Events waiting in a store's outbox.", ["store"],
            registry=registry,
        )  # fmt: skip
        self.oldest = Gauge(
            "outbox_oldest_pending_seconds",
            "Age of the oldest event waiting in a store's outbox (0: none).",
            ["store"],
            registry=registry,
        )
        self.appointments = Gauge(
            "appointments", "Appointments in the store, by status.", ["status"],
            registry=registry,
        )  # fmt: skip
        self.notifications = Gauge(
            "notifications",
            "Notifications in the store, by channel and delivery status.",
            ["channel", "status"],
            registry=registry,
        )

    async def refresh(self) -> None:
        now = utcnow()
        for name, db in self.stores.items():
            query = select(func.count(), func.min(col(OutboxMessage.created_at))).where(
                col(OutboxMessage.status) == OutboxStatus.PENDING
            )
            async with db.session() as session:
                count, oldest = (await session.exec(query)).one()
            self.pending.labels(name).set(count)
            if oldest is not None and oldest.tzinfo is None:
                oldest = oldest.replace(tzinfo=now.tzinfo)
            self.oldest.labels(name).set(0 if oldest is None else (now - oldest).total_seconds())
        if "appointments" in self.stores:
            by_status = select(col(AppointmentRow.status), func.count()).group_by(
                col(AppointmentRow.status)
            )
            async with self.stores["appointments"].session() as session:
                for status, count in (await session.exec(by_status)).all():
                    self.appointments.labels(str(status)).set(count)
        if "notifications" in self.stores:
            grouped = select(
                col(Notification.channel), col(Notification.status), func.count()
            ).group_by(col(Notification.channel), col(Notification.status))
            async with self.stores["notifications"].session() as session:
                for channel, status, count in (await session.exec(grouped)).all():
                    self.notifications.labels(str(channel), str(status)).set(count)
