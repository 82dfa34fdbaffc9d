"""A TCP proxy on loopback that a test can cut and restore, to simulate a service outage."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target; `cut()` drops every connection and hangs up on
    new ones until `restore()`. It keeps listening while cut: a closed port could be taken
    by another socket's ephemeral port meanwhile. Runs its own event loop in a thread.

    Given several targets it balances: each new connection goes to the next one in turn
    (a round-robin load balancer in front of replicas)."""

    def __init__(self, target: tuple[str, int], *replicas: tuple[str, int]) -> None:
        self.target = target
        self.targets = (target, *replicas)
        self._turn = 0
        self.port = free_port()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._cut = False

    def start(self) -> None:
        self._thread.start()
        self.restore()

    def restore(self) -> None:
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(10)

    def cut(self) -> None:
        asyncio.run_coroutine_threadsafe(self._drop(), self._loop).result(10)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _listen(self) -> None:
        self._cut = False
        if self._server is None:
            self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)

    async def _drop(self) -> None:
        self._cut = True
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    async def _close(self) -> None:
        await self._drop()
        if self._server is not None:
            self._server.close()
            self._server = None

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._cut:  # the service is "down": hang up at once
            writer.close()
            return
        target = self.targets[self._turn % len(self.targets)]
        self._turn += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(*target)
        except OSError:
            writer.close()
            return
        self._writers.update((writer, up_writer))
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()
            self._writers.discard(writer)


@contextmanager
def tcp_proxy(target: tuple[str, int], *replicas: tuple[str, int]) -> Iterator[TcpProxy]:
    proxy = TcpProxy(target, *replicas)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()
