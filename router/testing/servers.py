"""Run ASGI apps on loopback (uvicorn in a thread) for the length of a `with` block."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route

__all__ = ["ServedSubgraph", "free_port", "running", "subgraphs_app"]


class ServedSubgraph(Protocol):
    """A subgraph with a name and an ASGI app or Starlette endpoint answering its POSTs."""

    @property
    def name(self) -> str: ...

    @property
    def handle(self) -> Any: ...


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def running(app: Any, *, startup_timeout: float = 10.0) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 on a free port; yields its base URL."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=free_port(),
        log_level="warning",
        lifespan="auto",
        proxy_headers=False,  # as in production: the app decides which proxies to trust
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the loopback server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def subgraphs_app(subgraphs: Sequence[ServedSubgraph]) -> Starlette:
    """One app serving each subgraph at POST /<name>."""
    return Starlette(routes=[Route(f"/{s.name}", s.handle, methods=["POST"]) for s in subgraphs])
