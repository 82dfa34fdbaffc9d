"""`healthbook serve scheduler`: the notifications dispatcher as a process of its own.

It dispatches due reminders and re-enqueues lost deliveries every SCHEDULER_INTERVAL_SECONDS
on the configured broker. Several may run at once (each reminder is claimed exactly once).
"""

from __future__ import annotations

import asyncio
import logging
import os
from datetime import timedelta

from healthbook.ops import ops_port
from healthbook.process_ops import broker_check, process_ops_app
from healthbook.scheduler_metrics import SchedulerMetrics
from healthbook.servers import serve_together, server, stop_on_signals
from healthbook.wiring import build_bus
from subgraphs.notifications.channels.jobs import broker_enqueue
from subgraphs.notifications.service import dispatcher
from subgraphs.notifications.wiring import plan_config, settings_of
from subgraphs.shared.logs import configure_logging, wants_human_logs
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings

log = logging.getLogger(__name__)


def run(settings: Settings) -> int:
    """Run until SIGINT/SIGTERM."""
    configure_logging(
        component="scheduler",
        level=settings.log_level,
        human=wants_human_logs(environment=settings.env),
    )
    asyncio.run(_run(settings))
    return 0


async def serve(
    resources: Resources, stop: asyncio.Event, *, metrics: SchedulerMetrics | None = None
) -> None:
    """Dispatch on `resources.bus` until `stop` is set (the embedded mode calls this too)."""
    if resources.bus is None:
        raise RuntimeError("the scheduler needs the bus to enqueue deliveries")
    config = settings_of(resources)
    enqueue = broker_enqueue(resources.bus.broker)
    await dispatcher.run_scheduler(
        db=resources.database,
        enqueue=metrics.counting(enqueue) if metrics is not None else enqueue,
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
    port = ops_port(os.environ)
    try:
        if port is None:
            await serve(resources, stop)
            return
        metrics = SchedulerMetrics()
        app = process_ops_app(
            metrics.registry,
            {"broker": broker_check(settings.broker_url), "store": resources.database.ping},
            before_scrape=lambda: metrics.refresh(resources.database),
        )
        ops = asyncio.create_task(
            serve_together([server(app, host=settings.host, port=port)], stop)
        )
        try:
            await serve(resources, stop, metrics=metrics)
        finally:
            stop.set()
            await ops
    finally:
        await resources.close()
        bus.broker.close()
