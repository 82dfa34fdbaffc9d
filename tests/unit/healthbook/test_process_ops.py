"""The worker's and scheduler's ops app: liveness apart from the broker, readiness on it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from prometheus_client import CollectorRegistry, Counter

from healthbook.process_ops import AMQP_HEADER, broker_check, process_ops_app
from tests.support.proxy import free_port


async def _serve(answer: bytes | None) -> asyncio.Server:
    """A TCP server that reads the AMQP header, then answers `answer` (None: hangs up)."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if await reader.readexactly(len(AMQP_HEADER)) == AMQP_HEADER and answer:
            writer.write(answer)
            await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


@pytest.fixture
async def greeting_broker() -> AsyncIterator[str]:
    server = await _serve(b"\x01\x00\x00")
    yield f"amqp://guest:guest@127.0.0.1:{server.sockets[0].getsockname()[1]}/"
    server.close()


async def test_a_broker_that_greets_is_reachable(greeting_broker: str) -> None:
    await broker_check(greeting_broker)()


async def test_a_port_that_hangs_up_or_refuses_is_no_broker() -> None:
    server = await _serve(None)
    with pytest.raises(ConnectionError):
        await broker_check(f"amqp://127.0.0.1:{server.sockets[0].getsockname()[1]}/")()
    server.close()
    with pytest.raises(ConnectionRefusedError):
        await broker_check(f"amqp://127.0.0.1:{free_port()}/")()
    await broker_check("")()  # the in-process broker


async def _get(app: object, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://ops") as client:
        return await client.get(path)


async def test_liveness_holds_while_the_broker_is_down_and_readiness_names_it() -> None:
    async def store() -> None:
        pass

    down = broker_check(f"amqp://127.0.0.1:{free_port()}/")
    app = process_ops_app(CollectorRegistry(), {"broker": down, "store": store})
    assert (await _get(app, "/health/live")).status_code == 200
    ready = await _get(app, "/health/ready")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "failed": ["broker"]}


async def test_ready_when_every_check_passes_and_live_follows_the_process(
    greeting_broker: str,
) -> None:
    stopped = False
    app = process_ops_app(
        CollectorRegistry(), {"broker": broker_check(greeting_broker)}, alive=lambda: not stopped
    )
    assert (await _get(app, "/health/ready")).status_code == 200
    stopped = True
    assert (await _get(app, "/health/live")).status_code == 503


async def test_metrics_are_refreshed_before_each_scrape() -> None:
    registry = CollectorRegistry()
    scrapes = Counter("scrapes", "refreshes", registry=registry)

    async def refresh() -> None:
        scrapes.inc()

    app = process_ops_app(registry, {}, before_scrape=refresh)
    await _get(app, "/metrics")
    assert "scrapes_total 2.0" in (await _get(app, "/metrics")).text
