"""Notifications in the distributed topology: RabbitMQ (a private virtual host), two real
`healthbook serve worker` processes, Redis pub/sub, a local SMTP server and SMS provider.

A flaky SMTP server still yields exactly one email per message; an SMS provider that keeps
failing ends DEAD after the configured retries; the in-app message reaches a Redis subscriber.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from subgraphs.notifications.channels.smtp_sink import SmtpSink
from subgraphs.notifications.domain import Channel, DeliveryStatus
from subgraphs.notifications.models import Notification
from subgraphs.notifications.service import delivery
from subgraphs.shared.bus import EventBus, build_broker
from subgraphs.shared.database import Database
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.pubsub import RedisPubSub
from subgraphs.shared.settings import Settings
from tests.conftest import MakeStore
from tests.integration.notifications.harness import worker_environment
from tests.integration.notifications.scenario import Cast
from tests.support import services
from tests.support.fake_sms import FakeSmsProvider
from tests.support.processes import healthbook
from tests.support.rabbitmq import private_vhost

pytestmark = [pytest.mark.rabbitmq, pytest.mark.redis]
BOUND_SECONDS = 90  # an upper bound against hanging, never a timing assertion


@pytest.fixture
def amqp_url() -> Iterator[str]:
    with private_vhost() as url:
        yield url


async def settled(db: Database, expected: int) -> list[Notification]:
    """The notifications once `expected` of them are SENT or DEAD (bounded)."""
    deadline = time.monotonic() + BOUND_SECONDS
    while True:
        async with db.session() as session:
            rows = list((await session.exec(select(Notification))).all())
        done = [r for r in rows if r.status in (DeliveryStatus.SENT, DeliveryStatus.DEAD)]
        if len(done) >= expected or time.monotonic() > deadline:
            return rows
        await asyncio.sleep(0.2)


async def test_workers_on_rabbitmq_deliver_each_message_once_and_give_up_on_a_dead_channel(
    make_store: MakeStore, amqp_url: str, tmp_path: Path
) -> None:
    services.require("Redis", services.REDIS)
    db = await make_store("notifications")
    prefix = f"hb-test-{uuid.uuid4().hex[:8]}:"
    cast = Cast()
    with (
        FakeSmsProvider(account_sid="AC_E2E", auth_token="s3cret") as sms,
        _sink(tmp_path) as smtp,
    ):
        env = {
            **worker_environment(
                db=db,
                data_dir=tmp_path / "data",
                smtp_port=smtp.port,
                sms=sms,
                broker_url=amqp_url,
            ),
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "REDIS_PREFIX": prefix,
            "JOB_MAX_RETRIES": "3",
            "LOG_LEVEL": "WARNING",
        }
        settings = Settings.from_env(env)
        bus = EventBus(build_broker(settings), {})
        pubsub = RedisPubSub.from_url(env["REDIS_URL"], prefix=prefix)
        smtp.handler.reject_next(3)
        sms.fail_next(-1, status=503)
        try:
            with (
                healthbook(["serve", "worker"], env, tmp_path / "worker-1.log"),
                healthbook(["serve", "worker"], env, tmp_path / "worker-2.log"),
            ):
                async with pubsub.subscription(delivery.user_channel(cast.patient_id)) as stream:
                    routed = EventBus(bus.broker, {e.type: ("notifications",) for e in _all(cast)})
                    for event in cast.setup_events():
                        routed.publish(event)
                    await _known(db, cast)
                    routed.publish(cast.appointment("AppointmentBooked"))
                    rows = await settled(db, expected=5)
                    announced = await asyncio.wait_for(anext(aiter(stream)), BOUND_SECONDS)
        finally:
            await pubsub.close()
            bus.broker.close()
        by_channel = {(r.user_id, r.channel): r for r in rows}
        assert len(rows) == 5
        sms_row = by_channel[(cast.patient_id, Channel.SMS)]
        assert sms_row.status is DeliveryStatus.DEAD
        assert sms_row.attempts == 4  # the first try and JOB_MAX_RETRIES=3 retries
        others = [r for r in rows if r.channel is not Channel.SMS]
        assert {r.status for r in others} == {DeliveryStatus.SENT}
        ids = [m["Message-ID"] for m in smtp.messages]
        assert sorted(ids) == sorted(
            f"<{r.id}@healthbook.local>" for r in others if r.channel is Channel.EMAIL
        )
        assert announced == {"id": str(by_channel[(cast.patient_id, Channel.IN_APP)].id)}


def _all(cast: Cast) -> list[EventEnvelope]:
    return [*cast.setup_events(), cast.appointment("AppointmentBooked")]


async def _known(db: Database, cast: Cast) -> None:
    """Wait (bounded) until the workers have recorded the cast's contact details."""
    from subgraphs.notifications.models import DoctorCard, Recipient

    deadline = time.monotonic() + BOUND_SECONDS
    while time.monotonic() < deadline:
        async with db.session() as session:
            patient = await session.get(Recipient, cast.patient_id)
            doctor = await session.get(DoctorCard, cast.doctor_id)
            colleague = await session.get(Recipient, cast.doctor_user_id)
        if patient and doctor and colleague:
            return
        await asyncio.sleep(0.2)


class _sink:
    def __init__(self, tmp_path: Path) -> None:
        self.sink = SmtpSink(mbox=tmp_path / "mail.mbox")

    def __enter__(self) -> SmtpSink:
        return self.sink.start()

    def __exit__(self, *_: object) -> None:
        self.sink.stop()
