"""No worker actor logs the messages it receives: Dramatiq's actors log each one's arguments
(whole event payloads, names and phone numbers included) at DEBUG under their own names."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from dramatiq.brokers.stub import StubBroker

from subgraphs.shared.bus import EventBus
from subgraphs.shared.pubsub import MemoryPubSub
from subgraphs.shared.resources import Shared
from subgraphs.shared.settings import Settings
from workers import events, notifications
from workers.runtime import Runtime


def test_every_declared_actor_logs_no_message_arguments(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # LOG_LEVEL=DEBUG
    broker = StubBroker()
    consumers = events.load_consumers()
    bus = EventBus(broker, events.event_routes(consumers))
    settings = Settings.from_env({"HEALTHBOOK_DATA_DIR": str(tmp_path)})
    runtime = Runtime(settings, shared=Shared(pubsub=MemoryPubSub()), bus=bus)
    events.declare(broker, runtime, consumers)
    notifications.declare(broker, runtime)
    actors = [broker.get_actor(name) for name in broker.get_declared_actors()]
    assert len(actors) >= 5  # the event consumers, the channels' and the webhooks' jobs
    talkative = [actor.actor_name for actor in actors if actor.logger.isEnabledFor(logging.DEBUG)]
    assert talkative == []
    broker.close()
