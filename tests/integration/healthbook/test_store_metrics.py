"""The worker's store metrics: the outbox backlog per store, read at each scrape."""

from __future__ import annotations

import uuid
from datetime import timedelta

from prometheus_client import CollectorRegistry
from sqlmodel import select

from healthbook.store_metrics import StoreMetrics
from subgraphs.shared.outbox import OutboxMessage, OutboxStatus, utcnow
from tests.conftest import MakeStore


async def test_the_outbox_backlog_and_its_oldest_event_are_measured_per_store(
    make_store: MakeStore,
) -> None:
    stores = {name: await make_store(name) for name in ("doctors", "notifications")}
    registry = CollectorRegistry()
    metrics = StoreMetrics(stores, registry)
    now = utcnow()
    async with stores["doctors"].transaction() as session:
        for age, status in ((30, OutboxStatus.PENDING), (5, OutboxStatus.PENDING),
                            (90, OutboxStatus.SENT)):  # fmt: skip
            session.add(
                OutboxMessage(
                    id=uuid.uuid4(),
                    event_type="DoctorApproved",
                    version=1,
                    source="doctors",
                    occurred_at=now,
                    payload={},
                    status=status,
                    created_at=now - timedelta(minutes=age),
                )
            )
    await metrics.refresh()

    def value(name: str, store: str) -> float | None:
        return registry.get_sample_value(name, {"store": store})

    async with stores["doctors"].session() as session:
        pending = (
            await session.exec(
                select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
            )
        ).all()
    # Our two pending events plus the audit trail's AuditRecorded row for each event written.
    assert sum(m.event_type == "DoctorApproved" for m in pending) == 2
    assert value("outbox_pending_messages", "doctors") == len(pending)
    oldest = value("outbox_oldest_pending_seconds", "doctors")
    assert oldest is not None
    assert 30 * 60 <= oldest < 60 * 60
    assert value("outbox_pending_messages", "notifications") == 0
    assert value("outbox_oldest_pending_seconds", "notifications") == 0
