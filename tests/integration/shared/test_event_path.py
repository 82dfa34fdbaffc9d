"""The whole event path on both brokers: commit → outbox → relay → broker → consumer, once."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import uuid
from collections.abc import Iterator

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker
from sqlalchemy import func
from sqlmodel import col, select

from subgraphs.identity.events import UserRegistered
from subgraphs.shared import inbox, outbox
from subgraphs.shared.audit.entry import AUDIT_RECORDED
from subgraphs.shared.bus import EventBus, build_broker
from subgraphs.shared.database import Database
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.inbox import HandledEvent
from subgraphs.shared.outbox import OutboxMessage, OutboxStatus
from subgraphs.shared.relay import OutboxRelay, RelayUnavailable
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings
from subgraphs.shared.telemetry import configure_tracing, current_trace_id, tracer
from tests.conftest import MakeStore
from tests.support.proxy import tcp_proxy
from tests.support.rabbitmq import private_vhost
from workers import events
from workers.runtime import Runtime

CONSUMER = "notifications"  # the component whose store records the effect

NOT_AUDIT = col(OutboxMessage.event_type) != AUDIT_RECORDED  # audit entries: tests of their own


async def announce(database: Database, email: str) -> None:
    """A committed change with exactly one event (a user registered) in its outbox."""
    event = UserRegistered(
        user_id=uuid.uuid4(),
        email=email,
        name=email.split("@")[0],
        role="PATIENT",
        phone=None,
        language="en",
        time_zone="UTC",
        city=None,
        notification_channels=["EMAIL"],
    )
    async with database.transaction() as session:
        outbox.record(session, event, source="identity")


class Effects:
    """A consumer that applies each UserRegistered once, recording it in its own store."""

    def __init__(self) -> None:
        self.calls = 0
        self.trace_ids: set[str | None] = set()
        self.lock = threading.Lock()

    async def handle(self, envelope: EventEnvelope, resources: Resources) -> None:
        with self.lock:
            self.calls += 1
            self.trace_ids.add(current_trace_id())
        async with resources.database.transaction() as session:
            await inbox.first_delivery(
                session, event_id=envelope.uuid, event_type=envelope.type, consumer=CONSUMER
            )


async def applied(database: Database) -> int:
    async with database.session() as session:
        count = await session.scalar(select(func.count()).select_from(HandledEvent))
    return int(count or 0)


async def pending(database: Database) -> list[OutboxMessage]:
    async with database.session() as session:
        rows = await session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.status) == OutboxStatus.PENDING)
            .where(NOT_AUDIT)
        )
        return list(rows.all())


def consumer_settings(settings: Settings, store: Database, broker_url: str = "") -> Settings:
    url = store.engine.url.render_as_string(hide_password=False)
    return dataclasses.replace(
        settings,
        broker_url=broker_url,
        job_max_retries=1,
        job_min_backoff_ms=10,
        job_max_backoff_ms=20,
        database_urls={**settings.database_urls, CONSUMER: url},
    )


@pytest.fixture
def effects() -> Effects:
    return Effects()


def wire(settings: Settings, broker: dramatiq.Broker, effects: Effects) -> tuple[EventBus, Runtime]:
    consumer = events.Consumer(CONSUMER, frozenset({"UserRegistered"}), effects.handle)
    bus = EventBus(broker, events.event_routes({CONSUMER: consumer}))
    runtime = Runtime(settings, bus=bus)
    runtime.attach(broker)
    events.declare(broker, runtime, {CONSUMER: consumer})
    return bus, runtime


@pytest.fixture
def amqp_url() -> Iterator[str]:
    with private_vhost() as url:
        yield url


async def drain(broker: dramatiq.Broker, queue: str) -> None:
    worker = dramatiq.Worker(broker, worker_threads=2, worker_timeout=100)
    worker.start()
    try:
        await asyncio.to_thread(broker.join, queue, timeout=30_000)
        await asyncio.to_thread(worker.join)
    finally:
        await asyncio.to_thread(worker.stop)


async def test_event_reaches_consumer_exactly_once_on_the_in_process_broker(
    make_store: MakeStore, settings: Settings, effects: Effects
) -> None:
    identity, consumer_store = await make_store("identity"), await make_store("identity")
    settings = consumer_settings(settings, consumer_store)
    broker = build_broker(settings)
    bus, _ = wire(settings, broker, effects)
    configure_tracing(service_name="tests", namespace="tests", otlp_endpoint="")

    with tracer("tests").start_as_current_span("register") as span:
        await announce(identity, "ann@example.org")
    request_trace = format(span.get_span_context().trace_id, "032x")
    assert len(await pending(identity)) == 1
    assert await OutboxRelay(identity, bus).run_once() == 2  # the event and its audit entry
    assert await pending(identity) == []
    # At-least-once delivery: the same event delivered a second time changes nothing.
    async with identity.session() as session:
        row = (await session.exec(select(OutboxMessage).where(NOT_AUDIT))).one()
    bus.publish(
        EventEnvelope(
            str(row.id),
            row.event_type,
            row.version,
            row.source,
            row.occurred_at.isoformat(),
            row.payload,
            row.traceparent,
        )
    )
    await drain(broker, "notifications.events")

    assert effects.calls == 2
    assert await applied(consumer_store) == 1
    assert effects.trace_ids == {request_trace}  # the consumer continued the request's trace


@pytest.mark.rabbitmq
async def test_event_survives_a_rabbitmq_outage_and_is_handled_once(
    make_store: MakeStore, settings: Settings, effects: Effects, amqp_url: str
) -> None:
    identity, consumer_store = await make_store("identity"), await make_store("identity")
    with tcp_proxy(("127.0.0.1", 5672)) as proxy:
        vhost = amqp_url.rsplit("/", 1)[1]
        proxied = f"amqp://guest:guest@127.0.0.1:{proxy.port}/{vhost}"
        settings = consumer_settings(settings, consumer_store, proxied)
        broker = build_broker(settings)
        bus, _ = wire(settings, broker, effects)
        relay = OutboxRelay(identity, bus)
        try:
            proxy.cut()
            await announce(identity, "bob@example.org")
            with pytest.raises(RelayUnavailable):
                await relay.run_once()
            (row,) = await pending(identity)
            assert row.attempts == 1
            assert row.last_error

            proxy.restore()
            assert await relay.run_once() == 2  # the event and its audit entry
            assert await pending(identity) == []
            await drain(broker, "notifications.events")
        finally:
            broker.close()

    assert effects.calls == 1
    assert await applied(consumer_store) == 1


@pytest.mark.rabbitmq
async def test_duplicate_delivery_over_rabbitmq_is_applied_once(
    make_store: MakeStore, settings: Settings, effects: Effects, amqp_url: str
) -> None:
    identity, consumer_store = await make_store("identity"), await make_store("identity")
    settings = consumer_settings(settings, consumer_store, amqp_url)
    broker = build_broker(settings)
    bus, _ = wire(settings, broker, effects)
    try:
        await announce(identity, "cy@example.org")
        assert await OutboxRelay(identity, bus).run_once() == 2  # the event and its audit entry
        async with identity.session() as session:
            row = (await session.exec(select(OutboxMessage).where(NOT_AUDIT))).one()
        envelope = EventEnvelope(
            str(row.id),
            row.event_type,
            row.version,
            row.source,
            row.occurred_at.isoformat(),
            row.payload,
        )
        bus.publish(envelope)
        await drain(broker, "notifications.events")
    finally:
        broker.close()
    assert effects.calls == 2
    assert await applied(consumer_store) == 1


class FailingFirst(Effects):
    """A consumer whose first `failures` deliveries raise `error`, then applies the event."""

    def __init__(self, failures: int, error: Exception) -> None:
        super().__init__()
        self.failures = failures
        self.error = error

    async def handle(self, envelope: EventEnvelope, resources: Resources) -> None:
        with self.lock:
            failing = self.calls < self.failures
            if failing:
                self.calls += 1
        if failing:
            raise self.error
        await super().handle(envelope, resources)


async def test_event_is_retried_past_the_retry_budget_while_a_dependency_is_down(
    make_store: MakeStore, settings: Settings
) -> None:
    # A database that refuses connections for longer than the budget (1 retry here) lasts:
    # the event waits the outage out instead of going to the dead letters.
    identity, consumer_store = await make_store("identity"), await make_store("identity")
    settings = consumer_settings(settings, consumer_store)
    broker = build_broker(settings)
    assert isinstance(broker, StubBroker)
    down = FailingFirst(6, ConnectionRefusedError("connection refused"))
    bus, _ = wire(settings, broker, down)

    await announce(identity, "cy@example.org")
    await OutboxRelay(identity, bus).run_once()
    await drain(broker, "notifications.events")

    assert down.calls == 7  # six refused, the seventh applied
    assert await applied(consumer_store) == 1
    assert broker.dead_letters == []


async def test_an_event_that_fails_for_another_reason_keeps_its_retry_budget(
    make_store: MakeStore, settings: Settings
) -> None:
    identity, consumer_store = await make_store("identity"), await make_store("identity")
    settings = consumer_settings(settings, consumer_store)
    broker = build_broker(settings)
    assert isinstance(broker, StubBroker)
    broken = FailingFirst(6, ValueError("a bug, not an outage"))
    bus, _ = wire(settings, broker, broken)

    await announce(identity, "di@example.org")
    await OutboxRelay(identity, bus).run_once()
    with pytest.raises(ValueError, match="a bug"):  # the in-process broker re-raises a dead letter
        await drain(broker, "notifications.events")

    assert broken.calls == 2  # the first attempt and the one retry the budget allows
    assert await applied(consumer_store) == 0
    assert len(broker.dead_letters) == 1
