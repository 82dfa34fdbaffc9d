"""The scheduler's metrics: overdue reminders read from the store, enqueued deliveries."""

from __future__ import annotations

import uuid
from datetime import timedelta

from healthbook.scheduler_metrics import SchedulerMetrics
from subgraphs.notifications.domain import Channel, ReminderStatus
from subgraphs.notifications.models import Reminder
from subgraphs.notifications.service.dispatcher import utcnow
from tests.conftest import MakeStore


async def test_overdue_reminders_are_counted_with_the_age_of_the_oldest(
    make_store: MakeStore,
) -> None:
    db = await make_store("notifications")
    metrics = SchedulerMetrics()
    await metrics.refresh(db)
    assert metrics.registry.get_sample_value("scheduler_reminders_overdue") == 0
    assert metrics.registry.get_sample_value("scheduler_oldest_overdue_reminder_seconds") == 0
    now = utcnow()
    async with db.transaction() as session:
        for due, status in (
            (now - timedelta(hours=1), ReminderStatus.SCHEDULED),
            (now - timedelta(minutes=5), ReminderStatus.SCHEDULED),
            (now - timedelta(hours=2), ReminderStatus.DISPATCHED),
            (now + timedelta(hours=1), ReminderStatus.SCHEDULED),
        ):
            reminder = Reminder(
                appointment_id=uuid.uuid4(), user_id=uuid.uuid4(), lead_minutes=60, due_at=due
            )
            reminder.status = status
            session.add(reminder)
    await metrics.refresh(db)
    assert metrics.registry.get_sample_value("scheduler_reminders_overdue") == 2
    oldest = metrics.registry.get_sample_value("scheduler_oldest_overdue_reminder_seconds")
    assert oldest is not None
    assert 3600 <= oldest < 7200


def test_each_enqueued_delivery_is_counted_by_channel() -> None:
    metrics = SchedulerMetrics()
    sent: list[uuid.UUID] = []
    enqueue = metrics.counting(lambda notification_id, _channel: sent.append(notification_id))
    enqueue(uuid.uuid4(), Channel.EMAIL)
    enqueue(uuid.uuid4(), Channel.EMAIL)
    labels = {"channel": str(Channel.EMAIL)}
    assert metrics.registry.get_sample_value("scheduler_deliveries_enqueued_total", labels) == 2
    assert len(sent) == 2
