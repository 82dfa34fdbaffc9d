"""`healthbook up`: every component in one process, on SQLite, with in-process broker,
cache and pub/sub (DESIGN §2, the embedded mode)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import sys
from typing import TYPE_CHECKING

import dramatiq

from healthbook.components import load_spec, present_subgraphs
from healthbook.keys import with_embedded_secrets
from healthbook.port_check import embedded_ports, port_in_use
from healthbook.servers import (
    Server,
    run_on_uvloop,
    serve_together,
    server,
    stop_on_signals,
)
from healthbook.stores import migrate, seed
from healthbook.wiring import build_authenticator, build_bus, declare_actors, router_server
from subgraphs.shared.app import create_subgraph_app
from subgraphs.shared.auth import Authenticator
from subgraphs.shared.bus import EventBus
from subgraphs.shared.logs import configure_logging, wants_human_logs
from subgraphs.shared.private_files import private_directory
from subgraphs.shared.resources import Resources, Shared
from subgraphs.shared.settings import Settings
from subgraphs.shared.telemetry import configure_tracing
from workers.runtime import Runtime

if TYPE_CHECKING:
    from subgraphs.notifications.channels.smtp_sink import SmtpSink

log = logging.getLogger(__name__)


def run_embedded(settings: Settings, *, seed: bool) -> int:
    """Migrate, optionally seed, then serve everything until Ctrl-C."""
    busy = port_in_use(settings.host, embedded_ports(settings))
    if busy is not None:
        print(busy, file=sys.stderr)
        return 2
    configure_logging(
        component="healthbook",
        level=settings.log_level,
        human=wants_human_logs(environment=settings.env),
    )
    os.umask(0o077)  # whatever else lands in the data directory is private too
    private_directory(settings.data_dir, existing_too=True)
    configure_tracing(
        service_name="healthbook", namespace="healthbook", otlp_endpoint=settings.otlp_endpoint
    )
    if settings.broker_url or settings.redis_url:
        print("healthbook up runs the embedded mode: BROKER_URL and REDIS_URL are ignored.")
    settings = with_embedded_secrets(settings)
    settings = dataclasses.replace(settings, broker_url="", redis_url="")
    migrate(settings, None)
    run_on_uvloop(_run(settings, load_demo=seed))
    return 0


async def _run(settings: Settings, *, load_demo: bool) -> None:
    # The local mailbox first: its port taken fails the start before any thread runs (a
    # Dramatiq worker already started would have kept the failed process alive forever).
    mailbox = _local_mailbox(settings)
    try:
        await _serve(settings, load_demo=load_demo, mailbox=mailbox)
    finally:
        if mailbox is not None:
            mailbox.stop()
    print("Healthbook stopped.", file=sys.stderr)


async def _serve(settings: Settings, *, load_demo: bool, mailbox: SmtpSink | None) -> None:
    shared = Shared()
    if load_demo:
        await seed(settings, shared)
    authenticator = build_authenticator(settings, shared.cache)
    bus = build_bus(settings)
    runtime = Runtime(settings, shared=shared, bus=bus, authenticator=authenticator)
    declare_actors(bus.broker, runtime)
    worker = dramatiq.Worker(bus.broker, worker_threads=4)
    worker.start()
    try:
        await _serve_with(
            settings, shared, bus, authenticator, load_demo=load_demo, mailbox=mailbox
        )
    finally:
        worker.stop()
        await runtime.close()


async def _serve_with(
    settings: Settings,
    shared: Shared,
    bus: EventBus,
    authenticator: Authenticator,
    *,
    load_demo: bool,
    mailbox: SmtpSink | None,
) -> None:
    servers: list[Server] = []
    urls: list[tuple[str, str]] = []
    for name in present_subgraphs():
        resources = Resources.open(
            name, settings, shared=shared, bus=bus, authenticator=authenticator
        )
        app = create_subgraph_app(load_spec(name), resources)
        port = settings.ports[name]
        servers.append(server(app, host=settings.host, port=port))
        urls.append((name, f"http://{settings.host}:{port}/graphql"))
    servers.append(router_server(settings, authenticator))
    urls.insert(0, ("router", f"http://{settings.host}:{settings.ports['router']}/graphql"))

    stop = asyncio.Event()
    stop_on_signals(stop)
    if mailbox is not None:
        urls.append(
            ("mail (SMTP)", f"smtp://127.0.0.1:{mailbox.port}  → {settings.data_dir}/mail.mbox")
        )
    scheduler = _scheduler(settings, shared, bus, stop)
    serving = asyncio.create_task(serve_together(servers, stop))
    if await _all_started(servers, serving):
        _announce(settings, urls, demo=load_demo)
    try:
        await serving
    finally:
        stop.set()
        if scheduler is not None:
            await asyncio.gather(scheduler, return_exceptions=True)


def _local_mailbox(settings: Settings) -> SmtpSink | None:
    """The local SMTP server the embedded mode delivers email to (unless SMTP_HOST is set)."""
    if "notifications" not in present_subgraphs() or os.environ.get("SMTP_HOST"):
        return None
    from subgraphs.notifications.channels.smtp_sink import SmtpSink
    from subgraphs.notifications.settings import NotificationSettings

    port = NotificationSettings.from_env().smtp.port
    return SmtpSink(port=port, mbox=settings.data_dir / "mail.mbox").start()


def _scheduler(
    settings: Settings, shared: Shared, bus: EventBus, stop: asyncio.Event
) -> asyncio.Task[None] | None:
    """The reminder dispatcher, in this process."""
    if "notifications" not in present_subgraphs():
        return None
    from healthbook.notifications_scheduler import serve as dispatch

    resources = Resources.open("notifications", settings, shared=shared, bus=bus)

    async def run() -> None:
        try:
            await dispatch(resources, stop)
        finally:
            await resources.close()

    return asyncio.create_task(run(), name="scheduler")


async def _all_started(servers: list[Server], serving: asyncio.Task[None]) -> bool:
    """Wait until every server listens (True) or serving ended early (False)."""
    for _ in range(600):
        if serving.done():
            return False
        if all(s.started for s in servers):
            return True
        await asyncio.sleep(0.05)
    return False


def _announce(settings: Settings, urls: list[tuple[str, str]], *, demo: bool) -> None:
    lines = ["", "Healthbook is running (embedded mode: SQLite, in-process broker/cache/pub-sub)."]
    if urls and urls[0][0] == "router":
        lines.append(f"  Web app        {urls[0][1].removesuffix('graphql')}")
    for name, url in urls:
        lines.append(f"  {name:<14} {url}")
    if urls and urls[0][0] == "router":
        lines.append(f"  GraphiQL       {urls[0][1]}  (open it in a browser)")
    lines.append(f"  data directory {settings.data_dir}")
    if demo:
        lines.append(
            "  demo accounts  admin@healthbook.local, patient@healthbook.local, "
            "dr.silva@healthbook.local (password: healthbook-demo)"
        )
    lines.append("Press Ctrl-C to stop.")
    print("\n".join(lines), flush=True)
