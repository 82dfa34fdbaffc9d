"""Reminders fire at their due time (time given, never slept for), exactly once, and only
for active appointments in the future; lost deliveries are enqueued again."""

from __future__ import annotations

import asyncio
import threading
import uuid
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import col, select

from subgraphs.notifications.domain import Channel, ReminderStatus
from subgraphs.notifications.models import Notification, Reminder
from subgraphs.notifications.service import dispatcher, intake
from subgraphs.shared.database import Database
from tests.integration.notifications.conftest import CONFIG
from tests.integration.notifications.scenario import NOW, Cast


class Recorder:
    """An enqueue function that remembers what it was given (from any thread)."""

    def __init__(self) -> None:
        self.items: list[tuple[uuid.UUID, Channel]] = []
        self._lock = threading.Lock()

    def __call__(self, notification_id: uuid.UUID, channel: Channel) -> None:
        with self._lock:
            self.items.append((notification_id, channel))


async def booked(db: Database, cast: Cast) -> None:
    for event in [*cast.setup_events(), cast.appointment("AppointmentBooked")]:
        await intake.apply_event(db=db, envelope=event, now=NOW, config=CONFIG, enqueue_soon=True)
    async with db.transaction() as session:  # the booking messages themselves went out
        await session.exec(update(Notification).values(status="SENT", attempts=1))


async def reminder_rows(db: Database) -> list[Notification]:
    async with db.session() as session:
        rows = await session.exec(
            select(Notification).where(col(Notification.template) == "appointment_reminder")
        )
        return list(rows.all())


async def test_a_reminder_fires_at_its_due_time_and_not_before(db: Database) -> None:
    cast = Cast()
    await booked(db, cast)
    enqueue = Recorder()
    day_before = cast.start - timedelta(hours=24)
    early = await dispatcher.dispatch_due(
        db=db, enqueue=enqueue, now=day_before - timedelta(seconds=1), config=CONFIG
    )
    assert early.reminders == 0
    assert await reminder_rows(db) == []
    due = await dispatcher.dispatch_due(db=db, enqueue=enqueue, now=day_before, config=CONFIG)
    assert due.reminders == 2  # the patient's and the doctor's 24-hour reminders
    rows = await reminder_rows(db)
    assert {(r.user_id, r.channel) for r in rows} == {
        (cast.patient_id, Channel.EMAIL),
        (cast.patient_id, Channel.SMS),
        (cast.patient_id, Channel.IN_APP),
        (cast.doctor_user_id, Channel.EMAIL),
        (cast.doctor_user_id, Channel.IN_APP),
    }
    reminded = [item for item in enqueue.items if item[0] in {r.id for r in rows}]
    assert sorted(reminded) == sorted((r.id, r.channel) for r in rows)
    patient_email = next(r for r in rows if r.recipient == "pat@example.test")
    assert "24 hours" in patient_email.subject
    again = await dispatcher.dispatch_due(db=db, enqueue=enqueue, now=day_before, config=CONFIG)
    assert again.reminders == 0
    assert len([item for item in enqueue.items if item[0] in {r.id for r in rows}]) == 5


async def test_no_reminder_for_a_cancelled_appointment(db: Database) -> None:
    cast = Cast()
    await booked(db, cast)
    async with db.transaction() as session:  # cancelled behind the reminders' back
        from subgraphs.notifications.models import AppointmentCopy

        await session.exec(
            update(AppointmentCopy)
            .where(col(AppointmentCopy.appointment_id) == cast.appointment_id)
            .values(status="CANCELLED")
        )
    report = await dispatcher.dispatch_due(
        db=db, enqueue=Recorder(), now=cast.start - timedelta(hours=2), config=CONFIG
    )
    assert report.reminders == 0
    assert report.skipped == 4
    assert await reminder_rows(db) == []


async def test_no_reminder_once_the_appointment_has_started(db: Database) -> None:
    cast = Cast()
    await booked(db, cast)
    report = await dispatcher.dispatch_due(
        db=db, enqueue=Recorder(), now=cast.start + timedelta(minutes=1), config=CONFIG
    )
    assert report.reminders == 0
    assert report.skipped == 4
    async with db.session() as session:
        statuses = {r.status for r in (await session.exec(select(Reminder))).all()}
    assert statuses == {ReminderStatus.SKIPPED}


async def test_concurrent_dispatchers_send_each_reminder_once(db: Database) -> None:
    casts = [Cast() for _ in range(5)]
    for cast in casts:
        await booked(db, cast)
    enqueue = Recorder()
    url = db.engine.url.render_as_string(hide_password=False)
    others = [Database.from_url(url) for _ in range(4)]
    try:
        reports = await asyncio.gather(
            *(
                dispatcher.dispatch_due(
                    db=store,
                    enqueue=enqueue,
                    now=casts[0].start - timedelta(hours=2),
                    config=CONFIG,
                    batch_size=3,
                )
                for store in [db, *others]
            )
        )
    finally:
        for store in others:
            await store.dispose()
    assert sum(r.reminders for r in reports) == 20  # 5 appointments x 2 people x 2 leads
    rows = await reminder_rows(db)
    assert len(rows) == 20 * 5 // 2  # patient: 3 channels, doctor: 2
    assert len(enqueue.items) == len(set(enqueue.items)) == len(rows)


async def test_a_delivery_never_enqueued_is_swept_up(db: Database) -> None:
    cast = Cast()
    for event in [*cast.setup_events(), cast.appointment("AppointmentBooked")]:
        await intake.apply_event(db=db, envelope=event, now=NOW, config=CONFIG, enqueue_soon=False)
    enqueue = Recorder()
    report = await dispatcher.dispatch_due(db=db, enqueue=enqueue, now=NOW, config=CONFIG)
    assert report.enqueued == 5
    again = await dispatcher.dispatch_due(db=db, enqueue=enqueue, now=NOW, config=CONFIG)
    assert again.enqueued == 0
    much_later = await dispatcher.dispatch_due(
        db=db, enqueue=enqueue, now=NOW + timedelta(minutes=6), config=CONFIG
    )
    assert much_later.enqueued == 5  # still never attempted: enqueued once more


async def test_the_scheduler_loop_dispatches_with_its_clock_until_stopped(db: Database) -> None:
    cast = Cast()
    await booked(db, cast)
    enqueue = Recorder()
    stop = asyncio.Event()
    ticks = 0

    def clock() -> object:
        nonlocal ticks
        ticks += 1
        if ticks >= 2:
            stop.set()
        return cast.start - timedelta(hours=2)

    await asyncio.wait_for(
        dispatcher.run_scheduler(
            db=db,
            enqueue=enqueue,
            config=CONFIG,
            interval_seconds=0.01,
            requeue_after=timedelta(minutes=5),
            stop=stop,
            clock=clock,  # type: ignore[arg-type]
        ),
        10,
    )
    assert len(await reminder_rows(db)) == 10
