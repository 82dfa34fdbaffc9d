"""Run ASGI apps on loopback (uvicorn in a thread) for the length of a `with` block."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route

__all__ = ["OPERATION_TAG", "ServedSubgraph", "Traffic", "free_port", "running", "subgraphs_app"]

# The header a test puts on a client request to find that operation's subgraph requests
# (Hive Gateway in `hive_many.mjs` copies it onto each subgraph request it sends).
OPERATION_TAG = "x-differential-operation"


class ServedSubgraph(Protocol):
    """A subgraph with a name and an ASGI app or Starlette endpoint answering its POSTs."""

    @property
    def name(self) -> str: ...

    @property
    def handle(self) -> Any: ...


class Traffic:
    """An ASGI app wrapped to know when it is quiet: no HTTP request in flight and none
    started or finished for a while. Counting a gateway's subgraph requests per operation
    needs it: a gateway may answer its client before its last subgraph request has arrived
    (Hive Gateway does, when a non-null error has already nulled the data), and that late
    request must not be counted in the next operation. Requests carrying `OPERATION_TAG`
    are also counted per tag (`tagged`, `untagged`), whenever they arrive."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.in_flight = 0
        self.last_activity = time.monotonic()
        self.tagged: Counter[str] = Counter()
        self.untagged = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.in_flight += 1
        self.last_activity = time.monotonic()
        tag = _header(scope, OPERATION_TAG)
        if tag is None:
            self.untagged += 1
        else:
            self.tagged[tag] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
            self.last_activity = time.monotonic()

    def wait_until_quiet(self, settle: float = 0.05, timeout: float = 5.0) -> None:
        """Return once nothing is in flight and nothing happened for `settle` seconds;
        raise `TimeoutError` if that does not come within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            idle = now - self.last_activity
            if self.in_flight == 0 and idle >= settle:
                return
            if now >= deadline:
                raise TimeoutError(f"requests still arriving after {timeout} s")
            time.sleep(max(settle - idle, 0.005) if self.in_flight == 0 else 0.005)


def _header(scope: Any, name: str) -> str | None:
    wanted = name.encode()
    for key, value in scope.get("headers", []):
        if key.lower() == wanted:
            return bytes(value).decode("latin-1")
    return None


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
