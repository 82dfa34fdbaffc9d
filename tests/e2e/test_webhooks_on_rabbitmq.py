"""Webhooks in the distributed topology: RabbitMQ (a private virtual host) and two real
`healthbook serve worker` processes. An event published twice is planned once; the
delivery is retried with back-off by whichever worker takes it until the receiver recovers,
every attempt signed with the same `webhook-id`; a disabled endpoint hears nothing.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from subgraphs.notifications.channels.smtp_sink import SmtpSink
from subgraphs.notifications.models import WebhookDelivery
from subgraphs.notifications.webhooks import delivery, lifecycle, registry
from subgraphs.shared.auth import Principal, Role
from subgraphs.shared.bus import EventBus, build_broker
from subgraphs.shared.database import Database
from subgraphs.shared.settings import Settings
from tests.conftest import MakeStore
from tests.integration.notifications.harness import worker_environment
from tests.integration.notifications.scenario import Cast
from tests.support.fake_sms import FakeSmsProvider
from tests.support.processes import healthbook
from tests.support.rabbitmq import private_vhost
from tests.support.webhook_receiver import WebhookReceiver

pytestmark = [pytest.mark.rabbitmq]
BOUND_SECONDS = 90  # an upper bound against hanging, never a timing assertion
ADMIN = Principal(user_id=uuid.uuid4(), role=Role.ADMIN)


@pytest.fixture
def amqp_url() -> Iterator[str]:
    with private_vhost() as url:
        yield url


async def register(db: Database, receiver: WebhookReceiver) -> uuid.UUID:
    done = await registry.register(
        db=db,
        principal=ADMIN,
        url=receiver.url,
        event_types=["appointment.booked"],
        description="ERP",
        allow_local_http=True,
        now=datetime.now(UTC),
    )
    receiver.secret = done.secret
    return done.endpoint.id


async def sent(db: Database, endpoint_id: uuid.UUID) -> list[WebhookDelivery]:
    """The endpoint's deliveries once one of them is SENT or DEAD (bounded)."""
    deadline = time.monotonic() + BOUND_SECONDS
    where = col(WebhookDelivery.endpoint_id) == endpoint_id
    while True:
        async with db.session() as session:
            rows = list((await session.exec(select(WebhookDelivery).where(where))).all())
        if any(r.status in ("SENT", "DEAD") for r in rows) or time.monotonic() > deadline:
            return rows
        await asyncio.sleep(0.2)


async def test_workers_on_rabbitmq_retry_a_webhook_until_the_receiver_recovers(
    make_store: MakeStore, amqp_url: str, tmp_path: Path
) -> None:
    db = await make_store("notifications")
    with (
        FakeSmsProvider(account_sid="AC_E2E", auth_token="s3cret") as sms,
        _sink(tmp_path) as smtp,
        WebhookReceiver() as receiver,
        WebhookReceiver() as paused,
    ):
        endpoint_id = await register(db, receiver)
        paused_id = await register(db, paused)
        await lifecycle.update(
            db=db,
            principal=ADMIN,
            endpoint_id=paused_id,
            changes=lifecycle.Changes(enabled=False),
            allow_local_http=True,
            now=datetime.now(UTC),
        )
        env = {
            **worker_environment(
                db=db,
                data_dir=tmp_path / "data",
                smtp_port=smtp.port,
                sms=sms,
                broker_url=amqp_url,
            ),
            "JOB_MAX_RETRIES": "4",
            "WEBHOOK_TIMEOUT_SECONDS": "5",
            "LOG_LEVEL": "WARNING",
        }
        settings = Settings.from_env(env)
        bus = EventBus(build_broker(settings), {"AppointmentBooked": ("notifications",)})
        receiver.fail_next(2, status=502)
        event = Cast().appointment("AppointmentBooked")
        try:
            with (
                healthbook(["serve", "worker"], env, tmp_path / "worker-1.log"),
                healthbook(["serve", "worker"], env, tmp_path / "worker-2.log"),
            ):
                bus.publish(event)
                bus.publish(event)  # redelivered: planned once, whichever worker sees it
                rows = await sent(db, endpoint_id)
        finally:
            bus.broker.close()
        received = list(receiver.received)
    [row] = rows
    assert (row.status, row.attempts, row.last_error) == ("SENT", 3, None)
    assert [r.verified for r in received] == [True, True, True]
    assert {r.headers["webhook-id"] for r in received} == {delivery.message_id(row.id)}
    assert paused.received == []
    async with db.session() as session:
        planned = (await session.exec(select(WebhookDelivery))).all()
    assert [r.endpoint_id for r in planned] == [endpoint_id], "nothing for the disabled one"


class _sink:
    def __init__(self, tmp_path: Path) -> None:
        self.sink = SmtpSink(mbox=tmp_path / "mail.mbox")

    def __enter__(self) -> SmtpSink:
        return self.sink.start()

    def __exit__(self, *_: object) -> None:
        self.sink.stop()
