"""Through a real Dramatiq worker (in-process, StubBroker): events in, messages out on every
channel, retries with back-off deliver exactly once, a channel that keeps failing ends DEAD."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from dramatiq.brokers.stub import StubBroker
from sqlmodel import col, select

from subgraphs.notifications.channels.jobs import broker_enqueue
from subgraphs.notifications.channels.smtp_sink import SmtpSink
from subgraphs.notifications.domain import Channel, DeliveryStatus
from subgraphs.notifications.models import Notification
from subgraphs.notifications.service import delivery, dispatcher
from subgraphs.shared.database import Database
from subgraphs.shared.pubsub import MemoryPubSub
from subgraphs.shared.settings import Settings
from tests.integration.notifications.conftest import CONFIG
from tests.integration.notifications.harness import running_worker, worker_environment
from tests.integration.notifications.scenario import Cast
from tests.support.fake_sms import FakeSmsProvider


@pytest.fixture
def environment(
    db: Database,
    tmp_path: Path,
    smtp_sink: SmtpSink,
    sms_provider: FakeSmsProvider,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, str]:
    env = worker_environment(
        db=db, data_dir=tmp_path / "data", smtp_port=smtp_sink.port, sms=sms_provider
    )
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


async def rows(db: Database) -> list[Notification]:
    async with db.session() as session:
        return list((await session.exec(select(Notification))).all())


async def test_a_booking_reaches_email_sms_and_in_app_through_the_worker(
    db: Database,
    environment: dict[str, str],
    smtp_sink: SmtpSink,
    sms_provider: FakeSmsProvider,
) -> None:
    cast = Cast()
    pubsub = MemoryPubSub()
    async with (
        running_worker(Settings.from_env(environment), pubsub) as worker,
        pubsub.subscription(delivery.user_channel(cast.patient_id)) as stream,
    ):
        worker.publish(*cast.setup_events())
        await worker.settle()
        worker.publish(cast.appointment("AppointmentBooked"))
        await worker.settle()
        announced = await asyncio.wait_for(anext(aiter(stream)), 10)
    sent = await rows(db)
    assert {row.status for row in sent} == {DeliveryStatus.SENT}
    assert len(sent) == 5
    assert sorted(m["To"] for m in smtp_sink.messages) == [
        "dr.who@example.test",
        "pat@example.test",
    ]
    assert all(
        any(p.get_content_type() == "text/calendar" for p in m.walk()) for m in smtp_sink.messages
    )
    [sms] = sms_provider.messages
    assert sms["To"] == "+15550001111"
    in_app = next(r for r in sent if r.channel is Channel.IN_APP and r.user_id == cast.patient_id)
    assert announced == {"id": str(in_app.id)}


async def test_smtp_failing_three_times_then_recovering_yields_exactly_one_email(
    db: Database, environment: dict[str, str], smtp_sink: SmtpSink
) -> None:
    cast = Cast()
    smtp_sink.handler.reject_next(3)
    async with running_worker(Settings.from_env(environment), MemoryPubSub()) as worker:
        worker.publish(cast.patient_registered(), cast.doctor_event("DoctorRegistered"))
        await worker.settle()
        worker.publish(cast.appointment("AppointmentBooked"))
        await worker.settle()
    emails = [r for r in await rows(db) if r.channel is Channel.EMAIL]
    assert [m["To"] for m in smtp_sink.messages] == ["pat@example.test"]
    [email] = emails
    assert email.status is DeliveryStatus.SENT
    assert email.attempts == 4


async def test_a_channel_that_keeps_failing_ends_dead_and_dead_lettered(
    db: Database, environment: dict[str, str], sms_provider: FakeSmsProvider
) -> None:
    cast = Cast()
    sms_provider.fail_next(-1, status=503)
    async with running_worker(Settings.from_env(environment), MemoryPubSub()) as worker:
        worker.publish(*cast.setup_events())
        await worker.settle()
        worker.publish(cast.appointment("AppointmentBooked"))
        await worker.settle()
        broker = worker.bus.broker
        assert isinstance(broker, StubBroker)
        dead_letters = list(broker.dead_letters)
    async with db.session() as session:
        sms = (
            await session.exec(select(Notification).where(col(Notification.channel) == "SMS"))
        ).one()
    assert sms.status is DeliveryStatus.DEAD
    assert sms.attempts == 5  # the first try and JOB_MAX_RETRIES=4 retries
    assert "retries exhausted" in (sms.last_error or "")
    assert [m.actor_name for m in dead_letters] == ["notifications.deliver_sms"]
    others = [r for r in await rows(db) if r.channel is not Channel.SMS]
    assert {r.status for r in others} == {DeliveryStatus.SENT}


async def test_a_due_reminder_is_dispatched_and_delivered_by_the_worker(
    db: Database, environment: dict[str, str], smtp_sink: SmtpSink
) -> None:
    cast = Cast()
    async with running_worker(Settings.from_env(environment), MemoryPubSub()) as worker:
        worker.publish(*cast.setup_events())
        await worker.settle()
        worker.publish(cast.appointment("AppointmentBooked"))
        await worker.settle()
        booked = len(smtp_sink.messages)
        report = await dispatcher.dispatch_due(
            db=db,
            enqueue=broker_enqueue(worker.bus.broker),
            now=cast.start - timedelta(hours=2),  # the clock says: two hours before the visit
            config=CONFIG,
        )
        await worker.settle()
    assert report.reminders == 4  # 24 h and 2 h, patient and doctor (both now due)
    reminders = smtp_sink.messages[booked:]
    assert len(reminders) == 4
    assert all(m["Subject"].startswith("Reminder") for m in reminders)
