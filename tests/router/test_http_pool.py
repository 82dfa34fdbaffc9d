"""The lean subgraph connection pool: keep-alive reuse, dead connections, limits, errors."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

import pytest

from router.http_pool import HttpPool, PoolError, PoolTimeout
from router.testing.servers import free_port

# (request head, body) -> the raw bytes to answer, or None to hang up without answering.
Answer = Callable[[bytes, bytes], bytes | None]


def ok(body: bytes = b'{"data":{}}', *, close: bool = False) -> bytes:
    extra = b"connection: close\r\n" if close else b""
    return b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n%s\r\n%s" % (len(body), extra, body)


class RawServer:
    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.connections = 0
        self.heads: list[bytes] = []
        self.writers: list[asyncio.StreamWriter] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.writers.append(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                body = await reader.readexactly(length)
                self.heads.append(head)
                answer = self.answer(head, body)
                if answer is None:
                    break
                writer.write(answer)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@contextlib.asynccontextmanager
async def serving(answer: Answer) -> AsyncIterator[tuple[RawServer, str]]:
    raw = RawServer(answer)
    server = await asyncio.start_server(raw.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield raw, f"http://127.0.0.1:{port}/graphql"
    finally:
        for writer in raw.writers:
            writer.close()
        server.close()
        await server.wait_closed()


async def test_sequential_requests_reuse_one_connection() -> None:
    pool = HttpPool()
    async with serving(lambda _h, body: ok(body)) as (server, url):
        for n in range(5):
            status, body = await pool.request("POST", url, b"%d" % n, {}, time_limit=5)
            assert (status, body) == (200, b"%d" % n)
        await pool.aclose()
    assert server.connections == 1


async def test_headers_and_host_are_sent_on_the_request_line_and_head() -> None:
    pool = HttpPool()
    async with serving(lambda _h, _b: ok()) as (server, url):
        await pool.request("POST", url, b"{}", {"authorization": "Bearer t"}, time_limit=5)
        await pool.aclose()
    (head,) = server.heads
    assert head.startswith(b"POST /graphql HTTP/1.1\r\n")
    assert b"\r\nauthorization: Bearer t\r\n" in head
    assert b"\r\nhost: 127.0.0.1:" in head


async def test_a_chunked_answer_is_read_whole() -> None:
    chunked = (
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
    )
    pool = HttpPool()
    async with serving(lambda _h, _b: chunked) as (_server, url):
        assert await pool.request("POST", url, b"", {}, time_limit=5) == (200, b"abcde")
        await pool.aclose()


async def test_a_connection_the_server_closed_while_idle_is_not_reused() -> None:
    pool = HttpPool()
    async with serving(lambda _h, _b: ok()) as (server, url):
        await pool.request("POST", url, b"{}", {}, time_limit=5)
        for writer in server.writers:
            writer.close()
        await asyncio.sleep(0.1)
        assert await pool.request("POST", url, b"{}", {}, time_limit=5) == (200, b'{"data":{}}')
        await pool.aclose()
    assert server.connections == 2


async def test_a_reused_connection_dying_unanswered_is_retried_once_for_idempotent_calls() -> None:
    answers = iter([ok(), None, ok(b"second")])
    pool = HttpPool()
    async with serving(lambda _h, _b: next(answers)) as (server, url):
        await pool.request("POST", url, b"{}", {}, time_limit=5)
        assert await pool.request("POST", url, b"{}", {}, time_limit=5) == (200, b"second")
        await pool.aclose()
    assert server.connections == 2


async def test_a_non_idempotent_call_is_never_sent_twice() -> None:
    answers = iter([ok(), None, ok(b"second")])
    pool = HttpPool()
    async with serving(lambda _h, _b: next(answers)) as (server, url):
        await pool.request("POST", url, b"{}", {}, time_limit=5)
        with pytest.raises(PoolError):
            await pool.request("POST", url, b"{}", {}, time_limit=5, retry_stale=False)
        await pool.aclose()
    assert len(server.heads) == 2


async def test_connection_close_answers_are_not_kept() -> None:
    pool = HttpPool()
    async with serving(lambda _h, _b: ok(close=True)) as (server, url):
        for _ in range(3):
            await pool.request("POST", url, b"{}", {}, time_limit=5)
        await pool.aclose()
    assert server.connections == 3


async def test_idle_connections_beyond_the_keepalive_limit_are_closed() -> None:
    gate = asyncio.Event()
    writers: list[asyncio.StreamWriter] = []

    async def slow_handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        await reader.readuntil(b"\r\n\r\n")
        await gate.wait()
        writer.write(ok())
        await writer.drain()

    server = await asyncio.start_server(slow_handle, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
    pool = HttpPool(max_connections=10, max_keepalive=2)
    calls = [
        asyncio.create_task(pool.request("POST", url, b"", {}, time_limit=5)) for _ in range(4)
    ]
    await asyncio.sleep(0.2)
    gate.set()
    await asyncio.gather(*calls)
    assert pool.opened == 4
    assert sum(len(idle) for idle in pool._idle.values()) == 2
    await pool.aclose()
    await _stop(server, writers)


async def test_requests_beyond_max_connections_wait_for_a_free_one() -> None:
    pool = HttpPool(max_connections=2)
    async with serving(lambda _h, _b: ok()) as (server, url):
        await asyncio.gather(*(pool.request("POST", url, b"", {}, time_limit=5) for _ in range(10)))
        await pool.aclose()
    assert server.connections <= 2


async def test_an_unanswered_request_times_out() -> None:
    writers: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
    pool = HttpPool()
    with pytest.raises(PoolTimeout):
        await pool.request("POST", url, b"", {}, time_limit=0.2)
    await pool.aclose()
    await _stop(server, writers)


async def test_a_refused_connection_is_a_connect_error() -> None:
    pool = HttpPool()
    with pytest.raises(PoolError, match="ConnectError"):
        await pool.request("POST", f"http://127.0.0.1:{free_port()}/", b"", {}, time_limit=5)


async def test_a_header_value_cannot_inject_another_header() -> None:
    pool = HttpPool()
    with pytest.raises(PoolError, match="LocalProtocolError"):
        await pool.request("POST", "http://127.0.0.1:9/", b"", {"x-a": "1\r\nx-b: 2"}, time_limit=5)


async def test_a_garbled_answer_is_a_protocol_error() -> None:
    pool = HttpPool()
    async with serving(lambda _h, _b: b"NOT HTTP AT ALL\r\n\r\n") as (_server, url):
        with pytest.raises(PoolError, match="RemoteProtocolError"):
            await pool.request("POST", url, b"", {}, time_limit=5)
        await pool.aclose()


async def _stop(server: asyncio.Server, writers: list[asyncio.StreamWriter]) -> None:
    for writer in writers:
        writer.close()
    server.close()
    await server.wait_closed()
