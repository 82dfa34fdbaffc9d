"""The client's address: the right-most untrusted X-Forwarded-For entry, over WebSockets too."""

from __future__ import annotations

import ipaddress
from typing import Any

import httpx
import orjson
import pytest
from starlette.types import Receive, Scope, Send
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from router.edge.transport import TransportPolicy, client_behind_proxies
from tests.router.subscriptions.support import federation

PROXIES = (ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("10.0.0.0/8"))


@pytest.mark.parametrize(
    ("header", "client"),
    [
        ("127.66.9.9, 127.0.7.7", "127.0.7.7"),  # the spoof: the first entry is made up
        ("198.51.100.1, 203.0.113.5, 10.1.1.1", "203.0.113.5"),  # our own proxies skipped
        ("203.0.113.5", "203.0.113.5"),
        ("10.0.0.2, 10.0.0.3", "10.0.0.2"),  # all trusted: the farthest one
        ("198.51.100.1, not-an-address", None),
        ("", None),
    ],
)
def test_the_right_most_untrusted_entry_is_the_client(header: str, client: str | None) -> None:
    assert client_behind_proxies(header, PROXIES) == client


async def test_rotating_the_first_entry_does_not_change_the_client() -> None:
    seen: list[Any] = []

    async def app(scope: Scope, _receive: Receive, _send: Send) -> None:
        seen.append(scope["client"][0])

    policy = TransportPolicy(app, require_https=False, hsts_max_age=0, trusted_proxies=PROXIES)
    for first in ("127.66.9.9", "127.66.9.10", "8.8.8.8"):
        scope = {
            "type": "http",
            "path": "/graphql",
            "scheme": "http",
            "client": ("127.0.0.1", 5000),
            "headers": [(b"x-forwarded-for", f"{first}, 198.51.100.77".encode())],
        }
        await policy(scope, _nothing, _nothing)
    assert seen == ["198.51.100.77"] * 3


async def _nothing(*_args: Any) -> Any:
    return None


async def test_operations_over_a_websocket_carry_the_client_address_to_subgraphs() -> None:
    forwarded: list[str | None] = []

    def doctors(request: httpx.Request) -> httpx.Response:
        forwarded.append(request.headers.get("x-forwarded-for"))
        return httpx.Response(200, json={"data": {"specializations": []}})

    async with federation(handler=doctors) as (_appointments, address):
        protocols = [Subprotocol("graphql-transport-ws")]
        async with connect(f"ws://{address}/graphql", subprotocols=protocols) as socket:
            await socket.send(orjson.dumps({"type": "connection_init", "payload": {}}).decode())
            await socket.recv()
            query = {"query": "{ specializations { name } }"}
            await socket.send(
                orjson.dumps({"id": "q", "type": "subscribe", "payload": query}).decode()
            )
            await socket.recv()
    assert forwarded == ["127.0.0.1"]


async def test_each_operation_over_a_websocket_carries_its_own_request_id() -> None:
    ids: list[str | None] = []

    def doctors(request: httpx.Request) -> httpx.Response:
        ids.append(request.headers.get("x-request-id"))
        return httpx.Response(200, json={"data": {"specializations": []}})

    async with federation(handler=doctors) as (_appointments, address):
        protocols = [Subprotocol("graphql-transport-ws")]
        async with connect(f"ws://{address}/graphql", subprotocols=protocols) as socket:
            await socket.send(orjson.dumps({"type": "connection_init", "payload": {}}).decode())
            await socket.recv()
            query = {"query": "{ specializations { name } }"}
            for operation in ("q1", "q2"):
                message = {"id": operation, "type": "subscribe", "payload": query}
                await socket.send(orjson.dumps(message).decode())
                await socket.recv()  # next
                await socket.recv()  # complete
    assert len(ids) == 2
    assert all(ids)
    assert ids[0] != ids[1]
