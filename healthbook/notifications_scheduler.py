"""`healthbook serve scheduler`: the notifications dispatcher as a process of its own.

It dispatches due reminders and re-enqueues lost deliveries every SCHEDULER_INTERVAL_SECONDS
on the configured broker. Several may run at once (each reminder is claimed exactly once).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from healthbook.servers import stop_on_signals
from healthbook.wiring import build_bus
from subgraphs.notifications import dispatcher
from subgraphs.notifications.jobs import broker_enqueue
from subgraphs.notifications.wiring import plan_config, settings_of
from subgraphs.shared.logs import configure_logging
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings

log = logging.getLogger(__name__)


def run(settings: Settings) -> int:
    """Run until SIGINT/SIGTERM."""
    configure_logging(component="scheduler", level=settings.log_level)
    asyncio.run(_run(settings))
    return 0


async def serve(resources: Resources, stop: asyncio.Event) -> None:
    """Dispatch on `resources.bus` until `stop` is set (the embedded mode calls this too)."""
    if resources.bus is None:
        raise RuntimeError("the scheduler needs the bus to enqueue deliveries")
    config = settings_of(resources)
    await dispatcher.run_scheduler(
        db=resources.database,
        enqueue=broker_enqueue(resources.bus.broker),
        config=plan_config(resources),
        interval_seconds=config.scheduler_interval_seconds,
        requeue_after=timedelta(seconds=config.requeue_seconds),
        stop=stop,
    )


async def _run(settings: Settings) -> None:
    bus = build_bus(settings)
    resources = Resources.open("notifications", settings, bus=bus)
    stop = asyncio.Event()
    stop_on_signals(stop)
    log.info("scheduler started")
    try:
        await serve(resources, stop)
    finally:
        await resources.close()
        bus.broker.close()
