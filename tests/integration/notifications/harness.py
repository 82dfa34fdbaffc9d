"""A real Dramatiq worker in this process (StubBroker or RabbitMQ) running every actor."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import dramatiq
from dramatiq.asyncio import get_event_loop_thread
from dramatiq.brokers.stub import StubBroker

from subgraphs.notifications.channels.jobs import EXHAUSTED_QUEUE, QUEUES
from subgraphs.notifications.webhooks import jobs as webhook_jobs
from subgraphs.shared.bus import EventBus, build_broker, event_queue
from subgraphs.shared.database import Database
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.pubsub import PubSub
from subgraphs.shared.resources import Shared
from subgraphs.shared.settings import Settings
from tests.integration.notifications.conftest import SENDER
from tests.support.fake_sms import FakeSmsProvider
from workers import events, notifications
from workers.runtime import Runtime


def worker_environment(
    *, db: Database, data_dir: Path, smtp_port: int, sms: FakeSmsProvider, broker_url: str = ""
) -> dict[str, str]:
    """Everything a worker process reads: the store, the broker, SMTP and the SMS provider."""
    return {
        "HEALTHBOOK_DATA_DIR": str(data_dir),
        "NOTIFICATIONS_DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "BROKER_URL": broker_url,
        "JOB_MAX_RETRIES": "4",
        "JOB_MIN_BACKOFF_MS": "10",
        "JOB_MAX_BACKOFF_MS": "40",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "SMTP_FROM": SENDER,
        "SMS_PROVIDER": "twilio",
        "SMS_API_URL": sms.url,
        "SMS_ACCOUNT_SID": sms.account_sid,
        "SMS_AUTH_TOKEN": sms.auth_token,
        "SMS_FROM": "+15005550006",
        "REMINDER_LEAD_MINUTES": "1440,120",
    }


@dataclass
class RunningWorker:
    bus: EventBus

    def publish(self, *events: EventEnvelope) -> None:
        for event in events:
            self.bus.publish(event)

    async def settle(self) -> None:
        """Wait until every event and delivery job (retries included) has been processed."""
        broker = self.bus.broker
        queues = (
            event_queue("notifications"),
            *QUEUES.values(),
            EXHAUSTED_QUEUE,
            webhook_jobs.QUEUE,
            webhook_jobs.EXHAUSTED_QUEUE,
        )
        for queue in queues:
            if isinstance(broker, StubBroker):
                join = functools.partial(broker.join, queue, timeout=60_000, fail_fast=False)
            else:
                join = functools.partial(broker.join, queue, timeout=60_000)
            await asyncio.to_thread(join)
        worker_join = getattr(self._worker, "join", None)
        if worker_join is not None:
            await asyncio.to_thread(worker_join)

    _worker: dramatiq.Worker | None = None


@asynccontextmanager
async def running_worker(settings: Settings, pubsub: PubSub) -> AsyncIterator[RunningWorker]:
    """Declare the notifications actors on the broker of `settings`; run an in-process worker."""
    consumers = events.load_consumers(("notifications",))  # only this store is migrated here
    bus = EventBus(build_broker(settings), events.event_routes(consumers))
    runtime = Runtime(settings, shared=Shared(pubsub=pubsub), bus=bus)
    events.declare(bus.broker, runtime, consumers)
    notifications.declare(bus.broker, runtime)
    worker = dramatiq.Worker(bus.broker, worker_threads=2, worker_timeout=50)
    worker.start()
    running = RunningWorker(bus)
    running._worker = worker
    try:
        yield running
    finally:
        loop_thread = get_event_loop_thread()
        if loop_thread is not None:
            loop_thread.run_coroutine(runtime.close())
        worker.stop()
        bus.broker.close()
