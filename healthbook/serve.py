"""`healthbook serve <component>`: one component per process (the distributed mode)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from pathlib import Path

import dramatiq
from starlette.types import ASGIApp

from healthbook.components import SUPERGRAPH_PATH, load_spec
from healthbook.gateway import gateway_app, tls_files
from healthbook.job_metrics import JobMetrics
from healthbook.ops import ops_app, ops_port, public_app
from healthbook.process_ops import broker_check, process_ops_app
from healthbook.servers import Server, serve_together, server, stop_on_signals
from healthbook.store_metrics import StoreMetrics
from healthbook.wiring import build_authenticator, build_bus, declare_actors
from router.config import RouterConfig
from router.edge.config import EdgeConfig
from router.workers import listening_socket, run_loop, run_workers
from subgraphs.shared.app import create_subgraph_app
from subgraphs.shared.cache import Cache, MemoryCache, RedisCache
from subgraphs.shared.database import Database
from subgraphs.shared.logs import configure_logging, wants_human_logs
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import COMPONENTS, Settings
from subgraphs.shared.telemetry import configure_tracing
from workers.runtime import Runtime

log = logging.getLogger(__name__)


def serve(settings: Settings, component: str, *, port: int | None, supergraph: Path | None) -> int:
    configure_logging(
        component=component,
        level=settings.log_level,
        human=wants_human_logs(environment=settings.env),
    )
    configure_tracing(
        service_name=component, namespace="healthbook", otlp_endpoint=settings.otlp_endpoint
    )
    if port is not None:
        settings = dataclasses.replace(settings, ports={**settings.ports, component: port})
    if component in COMPONENTS:
        run_loop(_serve_subgraph(settings, component))
        return 0
    if component == "worker":
        return _serve_worker(settings)
    if component == "router":
        return _serve_router(settings, supergraph or SUPERGRAPH_PATH)
    if component == "scheduler":
        from healthbook.notifications_scheduler import run as run_scheduler

        return run_scheduler(settings)
    raise ValueError(component)


def _serve_router(settings: Settings, supergraph: Path) -> int:
    """ROUTER_WORKERS processes on one port, each with its own SO_REUSEPORT socket, app and
    event loop (built after the fork)."""
    edge_config = EdgeConfig.from_env()
    workers = RouterConfig.from_env().workers
    host, port = settings.host, settings.ports["router"]

    def serve_one() -> None:
        app = gateway_app(
            settings,
            supergraph,
            local_subgraphs=False,
            authenticator=build_authenticator(settings, _shared_cache(settings)),
            edge_config=edge_config,
        )
        sock = listening_socket(host, port, reuse_port=workers > 1) if workers > 1 else None
        run_loop(
            _serve_app(
                app,
                host,
                port,
                exposition=app.state.metrics.exposition,
                sock=sock,
                **tls_files(edge_config),
            )
        )

    log.info("serving", extra={"component": "router", "port": port, "workers": workers})
    return run_workers(workers, serve_one)


def _shared_cache(settings: Settings) -> Cache:
    if settings.redis_url:
        return RedisCache.from_url(settings.redis_url, prefix=settings.redis_prefix)
    return MemoryCache()


async def _serve_subgraph(settings: Settings, component: str) -> None:
    bus = build_bus(settings)
    authenticator = build_authenticator(settings, _shared_cache(settings))
    resources = Resources.open(component, settings, bus=bus, authenticator=authenticator)
    app = create_subgraph_app(load_spec(component), resources)
    log.info("serving", extra={"component": component, "port": settings.ports[component]})
    await _serve_app(app, settings.host, settings.ports[component])


async def _serve_app(
    app: ASGIApp,
    host: str,
    port: int,
    *,
    exposition: Callable[[], bytes] | None = None,
    ssl_certfile: str | None = None,
    ssl_keyfile: str | None = None,
    sock: socket.socket | None = None,
) -> None:
    """Serve `app` on host:port (or `sock`), and its /metrics and health on
    HEALTHBOOK_OPS_PORT if set (shared by the workers too when `sock` is shared)."""
    stop = asyncio.Event()
    stop_on_signals(stop)
    ops = ops_port(os.environ)
    public = app if ops is None else public_app(app)
    servers = [
        server(
            public,
            host=host,
            port=port,
            ssl_certfile=ssl_certfile,
            ssl_keyfile=ssl_keyfile,
            sock=sock,
        )
    ]
    if ops is not None:
        ops_sock = listening_socket(host, ops, reuse_port=True) if sock is not None else None
        servers.append(server(ops_app(app, exposition), host=host, port=ops, sock=ops_sock))
    await serve_together(servers, stop)


def _worker_ops(
    settings: Settings, broker: dramatiq.Broker, port: int, stopped: threading.Event
) -> Server:
    """The worker's ops port, on a thread of its own: job metrics, broker and stores."""
    metrics = JobMetrics()
    broker.add_middleware(metrics)
    stores = {
        f"store:{name}": Database.from_url(settings.database_urls[name]) for name in COMPONENTS
    }
    checks = {"broker": broker_check(settings.broker_url)}
    checks |= {name: db.ping for name, db in stores.items()}
    figures = StoreMetrics(stores, metrics.registry)
    app = process_ops_app(
        metrics.registry, checks, alive=lambda: not stopped.is_set(), before_scrape=figures.refresh
    )
    ops = server(app, host=settings.host, port=port)
    threading.Thread(target=lambda: asyncio.run(ops.serve()), name="ops", daemon=True).start()
    return ops


def _serve_worker(settings: Settings) -> int:
    """Consume every queue of this system until SIGINT/SIGTERM."""
    bus = build_bus(settings)
    runtime = Runtime(
        settings, bus=bus, authenticator=build_authenticator(settings, _shared_cache(settings))
    )
    declare_actors(bus.broker, runtime)
    stopped = threading.Event()
    port = ops_port(os.environ)
    ops = None if port is None else _worker_ops(settings, bus.broker, port, stopped)
    worker = dramatiq.Worker(bus.broker, worker_threads=8)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    worker.start()
    log.info("worker started", extra={"queues": sorted(bus.broker.get_declared_queues())})
    stopped.wait()
    if ops is not None:
        ops.should_exit = True
    worker.stop()
    bus.broker.close()
    return 0
