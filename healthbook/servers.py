"""Several uvicorn servers in one event loop, stopped together by one signal."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from collections.abc import Coroutine, Generator, Sequence
from typing import Any, TypeVar

import uvicorn
import uvloop
from starlette.types import ASGIApp

from router.collector import settle_collector

T = TypeVar("T")


def run_on_uvloop(main: Coroutine[Any, Any, T]) -> T:
    """Run the servers' coroutine to completion on uvloop (as `serve` does through uvicorn's
    `loop="uvloop"`): a cheaper event loop for every server of the process, with the
    collector set for a long-running server (`router.collector`)."""
    settle_collector()
    return uvloop.run(main)


class Server(uvicorn.Server):
    """A uvicorn server that leaves signal handling to whoever runs it; `sockets`, when
    given, are listened on instead of binding host:port (workers sharing a port)."""

    sockets: list[socket.socket] | None = None

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def server(
    app: ASGIApp,
    *,
    host: str,
    port: int,
    ssl_certfile: str | None = None,
    ssl_keyfile: str | None = None,
    sock: socket.socket | None = None,
) -> Server:
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="on",
        ws_ping_interval=20,
        http="httptools",
        # Which proxies to trust is the router's decision (ROUTER_TRUSTED_PROXIES), never
        # uvicorn's default of believing X-Forwarded-For from 127.0.0.1.
        proxy_headers=False,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
    )
    served = Server(config)
    served.sockets = [sock] if sock is not None else None
    return served


async def serve_together(servers: Sequence[Server], stop: asyncio.Event) -> None:
    """Run every server until `stop` is set or one of them ends, then stop them all."""
    tasks = [asyncio.create_task(s.serve(sockets=s.sockets)) for s in servers]
    stopper = asyncio.create_task(stop.wait())
    await asyncio.wait([*tasks, stopper], return_when=asyncio.FIRST_COMPLETED)
    for s in servers:
        s.should_exit = True
    stopper.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def stop_on_signals(stop: asyncio.Event) -> None:
    """Set `stop` on SIGINT or SIGTERM (call from the running loop's thread)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
