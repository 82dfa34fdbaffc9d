"""graphql-transport-ws through the router: events completed from other subgraphs, auth on
connection_init, ping/pong, completion both ways, upstream failures, token expiry."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from router.testing.servers import free_port
from subgraphs.shared.auth import Role
from subgraphs.shared.cache import MemoryCache
from tests.router.subscriptions.support import SUBSCRIBE, ExpiringSoon, federation, update
from tests.support.tokens import make_test_tokens

pytestmark = pytest.mark.timeout(60)


async def receive(socket: ClientConnection) -> Any:
    async with asyncio.timeout(20):
        return orjson.loads(await socket.recv())


async def send(socket: ClientConnection, message: Any) -> None:
    await socket.send(orjson.dumps(message).decode())


async def close_code(socket: ClientConnection) -> int | None:
    """Read until the router closes the socket; its close code."""
    try:
        while True:
            await receive(socket)
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None


@asynccontextmanager
async def client(address: str, authorization: str | None) -> AsyncIterator[ClientConnection]:
    async with connect(
        f"ws://{address}/graphql", subprotocols=[Subprotocol("graphql-transport-ws")]
    ) as socket:
        payload = {"authorization": authorization} if authorization else {}
        await send(socket, {"type": "connection_init", "payload": payload})
        yield socket


async def test_events_carry_fields_from_other_subgraphs_and_the_token_reaches_the_owner() -> None:
    authenticator, mint = make_test_tokens()
    token = f"Bearer {mint(uuid.uuid4(), Role.PATIENT)}"
    async with (
        federation(authenticator=authenticator) as (appointments, address),
        client(address, token) as socket,
    ):
        assert await receive(socket) == {"type": "connection_ack"}
        await send(socket, {"id": "s1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        await asyncio.wait_for(appointments.connected.wait(), 20)
        await appointments.script.put(update())
        message = await receive(socket)
        assert message == {
            "id": "s1",
            "type": "next",
            "payload": {
                "data": {
                    "appointmentUpdates": {
                        "action": "RESCHEDULED",
                        "appointment": {
                            "id": "a1",
                            "start": "2030-01-07T09:00:00+00:00",
                            "doctor": {
                                "name": "Dr. Ada Lovelace",
                                "specializations": [{"name": "Cardiology"}],
                            },
                        },
                    }
                }
            },
        }
        # One signed socket as the router itself; the caller's token rides on the subscribe,
        # signed with the operation.
        assert appointments.inits == [{}]
        assert appointments.signed == [True]
        assert appointments.subscribed[0]["query"].startswith("subscription {")
        forwarded = appointments.subscribed[0]["extensions"]["forwarded"]
        assert forwarded["authorization"] == token
        assert appointments.signed_subscriptions == [True]
        # The subgraph completes: the client hears `complete`.
        await appointments.script.put("complete")
        assert await receive(socket) == {"id": "s1", "type": "complete"}


async def test_the_client_completing_closes_the_upstream_subscription() -> None:
    async with (
        federation() as (appointments, address),
        client(address, None) as socket,
    ):
        await receive(socket)
        await send(socket, {"id": "s1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        await asyncio.wait_for(appointments.connected.wait(), 20)
        await send(socket, {"id": "s1", "type": "complete"})
        await asyncio.wait_for(appointments.completed_by_router.wait(), 20)


async def test_a_subgraph_refusing_the_subscription_is_an_error_to_the_client() -> None:
    async with (
        federation() as (appointments, address),
        client(address, None) as socket,
    ):
        await receive(socket)
        await send(socket, {"id": "s1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        await asyncio.wait_for(appointments.connected.wait(), 20)
        await appointments.script.put("error")
        message = await receive(socket)
        assert message["type"] == "error"
        assert message["id"] == "s1"
        assert message["payload"][0]["extensions"]["code"] == "SUBSCRIPTION_UPSTREAM_FAILED"
        # The connection stays usable.
        await send(socket, {"type": "ping"})
        assert await receive(socket) == {"type": "pong"}


async def test_an_unreachable_subgraph_is_an_error_not_a_hang() -> None:
    nobody = f"http://127.0.0.1:{free_port()}/graphql"
    async with (
        federation(appointments_url=nobody) as (_appointments, address),
        client(address, None) as socket,
    ):
        await receive(socket)
        await send(socket, {"id": "s1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        message = await receive(socket)
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"] == {
            "code": "SUBSCRIPTION_UPSTREAM_FAILED",
            "serviceName": "appointments",
        }


async def test_queries_and_mutations_run_over_the_socket_too() -> None:
    async with (
        federation() as (_appointments, address),
        client(address, None) as socket,
    ):
        await receive(socket)
        await send(socket, {"id": "q", "type": "subscribe", "payload": {"query": "{ __typename }"}})
        assert await receive(socket) == {
            "id": "q",
            "type": "next",
            "payload": {"data": {"__typename": "Query"}},
        }
        assert await receive(socket) == {"id": "q", "type": "complete"}


async def test_a_bad_token_on_connection_init_closes_with_4403() -> None:
    authenticator, _mint = make_test_tokens()
    async with (
        federation(authenticator=authenticator) as (_appointments, address),
        client(address, "Bearer forged") as socket,
    ):
        with pytest.raises(ConnectionClosed) as closed:
            await receive(socket)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4403


async def test_a_token_that_cannot_be_checked_closes_with_1013_try_again_later() -> None:
    """Issue 15: with Redis cut, connection_init closed with 4403 like a forged token."""

    class Down(MemoryCache):
        async def get(self, key: str) -> bytes | None:
            raise ConnectionError("redis is down")

    authenticator, mint = make_test_tokens(cache=Down())
    async with (
        federation(authenticator=authenticator) as (_appointments, address),
        client(address, f"Bearer {mint(uuid.uuid4(), Role.PATIENT)}") as socket,
    ):
        with pytest.raises(ConnectionClosed) as closed:
            await receive(socket)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1013


async def test_an_expiring_token_ends_the_subscription_with_unauthenticated() -> None:
    token = "Bearer soon-expired"
    async with (
        federation(authenticator=ExpiringSoon()) as (appointments, address),
        client(address, token) as socket,
    ):
        await receive(socket)
        await send(socket, {"id": "s1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        await asyncio.wait_for(appointments.connected.wait(), 20)
        message = await receive(socket)
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        with pytest.raises(ConnectionClosed) as closed:
            await receive(socket)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4401
        await asyncio.wait_for(appointments.completed_by_router.wait(), 20)


async def test_ping_pong_and_server_pings() -> None:
    async with (
        federation(ping_seconds=0.2) as (_appointments, address),
        client(address, None) as socket,
    ):
        assert await receive(socket) == {"type": "connection_ack"}
        await send(socket, {"type": "ping", "payload": {"n": 1}})
        seen = [await receive(socket), await receive(socket)]
        assert {"type": "pong", "payload": {"n": 1}} in seen
        assert {"type": "ping"} in seen


async def test_protocol_violations_close_with_the_protocols_codes() -> None:
    async with federation(init_timeout_seconds=0.3) as (_appointments, address):
        async with connect(
            f"ws://{address}/graphql", subprotocols=[Subprotocol("graphql-transport-ws")]
        ) as silent:
            with pytest.raises(ConnectionClosed) as closed:
                await receive(silent)
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == 4408
        async with client(address, None) as socket:
            await receive(socket)
            await send(socket, {"id": "x", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
            await send(socket, {"id": "x", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
            assert await close_code(socket) == 4409


async def test_validation_errors_and_edge_limits_come_back_as_error_messages() -> None:
    async with (
        federation(max_depth=2) as (_appointments, address),
        client(address, None) as socket,
    ):
        await receive(socket)
        await send(socket, {"id": "v", "type": "subscribe", "payload": {"query": "{ nope }"}})
        message = await receive(socket)
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        await send(socket, {"id": "d", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        message = await receive(socket)
        assert message["payload"][0]["extensions"]["code"] == "MAX_DEPTH_EXCEEDED"
