"""Webhooks through a real Dramatiq worker (in-process, StubBroker): the event is consumed,
the delivery retried with back-off until the receiver recovers, or DEAD once retries run out."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from subgraphs.notifications.channels.smtp_sink import SmtpSink
from subgraphs.notifications.models import WebhookDelivery
from subgraphs.notifications.webhooks import registry
from subgraphs.shared.auth import Principal, Role
from subgraphs.shared.database import Database
from subgraphs.shared.pubsub import MemoryPubSub
from subgraphs.shared.settings import Settings
from tests.integration.notifications.harness import running_worker, worker_environment
from tests.integration.notifications.scenario import Cast
from tests.support.fake_sms import FakeSmsProvider
from tests.support.webhook_receiver import WebhookReceiver


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
    env["WEBHOOK_TIMEOUT_SECONDS"] = "5"
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


async def deliveries(db: Database) -> list[WebhookDelivery]:
    async with db.session() as session:
        return list((await session.exec(select(WebhookDelivery))).all())


async def registered(db: Database, receiver: WebhookReceiver) -> None:
    done = await registry.register(
        db=db,
        principal=Principal(user_id=uuid.uuid4(), role=Role.ADMIN),
        url=receiver.url,
        event_types=["appointment.booked"],
        description=None,
        allow_local_http=True,
        now=datetime.now(UTC),
    )
    receiver.secret = done.secret


async def test_the_worker_retries_with_back_off_until_the_receiver_recovers(
    db: Database, environment: dict[str, str]
) -> None:
    with WebhookReceiver() as receiver:
        await registered(db, receiver)
        receiver.fail_next(2, status=502)
        async with running_worker(Settings.from_env(environment), MemoryPubSub()) as worker:
            worker.publish(Cast().appointment("AppointmentBooked"))
            await worker.settle()
    [row] = await deliveries(db)
    assert (row.status, row.attempts, row.last_error) == ("SENT", 3, None)
    assert [r.verified for r in receiver.received] == [True, True, True]


async def test_a_receiver_that_never_recovers_ends_dead_after_the_retries(
    db: Database, environment: dict[str, str]
) -> None:
    with WebhookReceiver() as receiver:
        await registered(db, receiver)
        receiver.fail_next(-1, status=500)
        async with running_worker(Settings.from_env(environment), MemoryPubSub()) as worker:
            worker.publish(Cast().appointment("AppointmentBooked"))
            await worker.settle()
    [row] = await deliveries(db)
    assert row.status == "DEAD"
    assert row.attempts == 5, "JOB_MAX_RETRIES=4: the first attempt and four retries"
    assert row.last_error is not None
    assert row.last_error == ("retries exhausted after 5 attempts; the endpoint answered HTTP 500")
    assert len(receiver.received) == 5
