"""A lean HTTP/1.1 keep-alive client pool on asyncio protocols, responses parsed by httptools.

Plain HTTP or HTTPS (system trust store) to any origin.

Why not httpx: httpcore checks every idle pooled connection (`getpeername`, `poll(0)`) on
each request and each response close, so its cost per request grows with the pool. Here a
request takes the most recently used idle connection of its origin, or opens one: O(1).
A connection the server closed while idle is known without polling, because the event loop
tells its protocol (`connection_lost`) as soon as the peer hangs up; connections idle longer
than `keepalive_expiry` are closed from the old end of the idle list on each release.

Only what the router needs: POST (or any method) with a body, one request at a time per
connection, `Content-Length` or chunked responses. Errors are `PoolTimeout` (deadline
passed) and `PoolError` (anything else, named after what failed: `ConnectError`,
`ReadError`, `RemoteProtocolError`, `WriteError`).
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit

import httptools

__all__ = ["HttpPool", "Origin", "PoolError", "PoolTimeout"]


class PoolError(Exception):
    """The request failed; `str(error)` is a short class of failure (no peer data)."""


class PoolTimeout(PoolError):
    """The request did not complete before its deadline."""


@dataclass(frozen=True)
class Origin:
    host: str
    port: int
    path: bytes  # path and query of the target, as sent on the request line
    host_header: bytes
    tls: bool = False

    @classmethod
    def parse(cls, url: str) -> Origin:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        tls = parts.scheme == "https"
        port = parts.port or (443 if tls else 80)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
        return cls(parts.hostname, port, target.encode(), host.encode(), tls)


class _Connection(asyncio.Protocol):
    """One keep-alive connection; at most one request in flight."""

    __slots__ = (
        "_body",
        "_done",
        "_parser",
        "closed",
        "idle_since",
        "received",
        "reusable",
        "transport",
    )

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self._parser = httptools.HttpResponseParser(self)
        self._body: list[bytes] = []
        self._done: asyncio.Future[tuple[int, bytes]] | None = None
        self.closed = False
        self.reusable = False
        self.received = False
        self.idle_since = 0.0

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's are not subclasses

    def data_received(self, data: bytes) -> None:
        self.received = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError:
            self._fail(PoolError("RemoteProtocolError"))
            self.close()

    def eof_received(self) -> bool:
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(PoolError("ReadError" if self.received else "RemoteProtocolError"))

    # httptools callbacks
    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        done, self._done = self._done, None
        body = b"".join(self._body)
        self._body = []
        self.reusable = self._parser.should_keep_alive()
        if done is not None and not done.done():
            done.set_result((self._parser.get_status_code(), body))

    # ours
    def send(self, head: bytes, content: bytes) -> asyncio.Future[tuple[int, bytes]]:
        assert self.transport is not None
        done: asyncio.Future[tuple[int, bytes]] = asyncio.get_running_loop().create_future()
        self._done = done
        self.received = False
        self.reusable = False
        self.transport.write(head + content if len(content) < 65536 else head)
        if len(content) >= 65536:
            self.transport.write(content)
        return done

    def _fail(self, error: PoolError) -> None:
        done, self._done = self._done, None
        if done is not None and not done.done():
            done.set_exception(error)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class HttpPool:
    """Pooled keep-alive connections to any number of plain-HTTP origins.

    `max_connections` bounds the requests in flight, i.e. connections in use, in all (more
    wait for a slot); `max_keepalive` bounds the idle connections kept per origin;
    `keepalive_expiry` is how long an idle connection is kept.
    """

    def __init__(
        self,
        *,
        max_connections: int = 100,
        max_keepalive: int | None = None,
        keepalive_expiry: float = 4.0,
    ) -> None:
        self.max_keepalive = max_connections if max_keepalive is None else max_keepalive
        self.keepalive_expiry = keepalive_expiry
        self._slots = asyncio.Semaphore(max_connections)
        self._idle: dict[tuple[str, int, bool], deque[_Connection]] = {}
        self._tls: ssl.SSLContext | None = None
        self._origins: dict[str, Origin] = {}
        self.opened = 0  # connections opened so far (for tests and benches)

    def origin(self, url: str) -> Origin:
        origin = self._origins.get(url)
        if origin is None:
            origin = self._origins[url] = Origin.parse(url)
        return origin

    async def request(
        self,
        method: str,
        url: str,
        content: bytes,
        headers: Mapping[str, str],
        *,
        time_limit: float,
        retry_stale: bool = True,
    ) -> tuple[int, bytes]:
        """(status, body). `retry_stale`: when a reused connection turns out dead before any
        answer byte, send once more on a fresh one (leave it off for non-idempotent calls)."""
        origin = self.origin(url)
        head = _head(method, origin, headers, len(content))
        try:
            async with asyncio.timeout(time_limit):
                async with self._slots:
                    return await self._exchange(origin, head, content, retry_stale)
        except TimeoutError:
            raise PoolTimeout("TimeoutError") from None

    async def _exchange(
        self, origin: Origin, head: bytes, content: bytes, retry_stale: bool
    ) -> tuple[int, bytes]:
        connection, reused = self._take(origin), True
        if connection is None:
            connection, reused = await self._open(origin), False
        try:
            status, body = await connection.send(head, content)
        except PoolError:
            connection.close()
            if not (reused and retry_stale and not connection.received):
                raise
            connection = await self._open(origin)
            try:
                status, body = await connection.send(head, content)
            except BaseException:
                connection.close()
                raise
        except BaseException:  # cancelled or timed out mid-exchange: the stream is unusable
            connection.close()
            raise
        self._release(origin, connection)
        return status, body

    def _take(self, origin: Origin) -> _Connection | None:
        idle = self._idle.get((origin.host, origin.port, origin.tls))
        while idle:
            connection = idle.pop()
            if not connection.closed:
                return connection
        return None

    async def _open(self, origin: Origin) -> _Connection:
        loop = asyncio.get_running_loop()
        tls = None
        if origin.tls:
            tls = self._tls = self._tls or ssl.create_default_context()
        try:
            _, connection = await loop.create_connection(
                _Connection, origin.host, origin.port, ssl=tls
            )
        except OSError:
            raise PoolError("ConnectError") from None
        self.opened += 1
        return connection

    def _release(self, origin: Origin, connection: _Connection) -> None:
        if connection.closed or not connection.reusable:
            connection.close()
            return
        now = time.monotonic()
        key = (origin.host, origin.port, origin.tls)
        idle = self._idle.get(key)
        if idle is None:
            idle = self._idle[key] = deque()
        while idle and (idle[0].closed or now - idle[0].idle_since > self.keepalive_expiry):
            idle.popleft().close()
        if len(idle) >= self.max_keepalive:
            connection.close()
            return
        connection.idle_since = now
        idle.append(connection)

    async def aclose(self) -> None:
        for idle in self._idle.values():
            while idle:
                idle.pop().close()
        self._idle.clear()
        await asyncio.sleep(0)  # let the transports finish closing


def _head(method: str, origin: Origin, headers: Mapping[str, str], length: int) -> bytes:
    lines = [
        f"{method} ".encode() + origin.path + b" HTTP/1.1\r\nhost: " + origin.host_header,
        f"content-length: {length}".encode(),
    ]
    for name, value in headers.items():
        line = f"{name}: {value}"
        if "\r" in line or "\n" in line:
            raise PoolError("LocalProtocolError")
        try:
            lines.append(line.encode("latin-1"))
        except UnicodeEncodeError:
            raise PoolError("LocalProtocolError") from None
    lines.append(b"\r\n")
    return b"\r\n".join(lines)
