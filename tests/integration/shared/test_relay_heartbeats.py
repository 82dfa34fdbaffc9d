"""An idle outbox relay keeps its RabbitMQ connection alive: no reset at the next publish."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import pytest

from subgraphs.shared.bus import build_broker
from subgraphs.shared.relay import OutboxRelay
from subgraphs.shared.settings import Settings
from tests.conftest import MakeStore
from tests.integration.shared.test_event_path import (
    Effects,
    amqp_url,  # noqa: F401 - fixtures
    announce,
    consumer_settings,
    effects,  # noqa: F401
    pending,
    wire,
)

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]


async def test_an_idle_relay_answers_heartbeats_and_publishes_without_reconnecting(
    make_store: MakeStore,
    settings: Settings,
    effects: Effects,  # noqa: F811 - the imported fixture
    amqp_url: str,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    identity, consumer_store = await make_store("identity"), await make_store("identity")
    # A one-second heartbeat: RabbitMQ drops a connection silent for about two of them.
    settings = consumer_settings(settings, consumer_store, f"{amqp_url}?heartbeat=1")
    broker = build_broker(settings)
    bus, _ = wire(settings, broker, effects)
    relay = OutboxRelay(identity, bus, poll_seconds=0.3)
    running = asyncio.create_task(relay.run_forever())
    try:
        await announce(identity, "first@example.org")
        relay.wake()
        async with asyncio.timeout(30):
            while await pending(identity):
                await asyncio.sleep(0.1)
        await asyncio.sleep(5)  # idle, far past the heartbeat timeout
        with caplog.at_level(logging.DEBUG, logger="dramatiq"):
            await announce(identity, "second@example.org")
            relay.wake()
            async with asyncio.timeout(30):
                while await pending(identity):
                    await asyncio.sleep(0.1)
        reconnects = [r for r in caplog.records if "Retrying enqueue" in r.getMessage()]
        assert reconnects == []
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        broker.close()
