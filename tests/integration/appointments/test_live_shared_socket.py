"""The appointments subgraph behind one multiplexed router socket (the router's own
`Multiplexer`, signing as in production): each subscription runs as its own caller, so two
users on one socket hear only their own changes; each change is read from the store once for
all subscribers; a subscribe with a missing, replayed or re-pointed signature is refused, and
one whose signature's nonce cannot be checked (Redis reconnecting) is refused to retry."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import orjson
import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from healthbook.gateway import request_signer
from router.subscriptions.multiplex import Multiplexer
from subgraphs.appointments import wiring
from subgraphs.appointments.app import SPEC
from subgraphs.appointments.domain import Actor
from subgraphs.appointments.service import lifecycle as service
from subgraphs.appointments.service import live, queries
from subgraphs.shared.app import create_subgraph_app
from subgraphs.shared.cache import MemoryCache
from subgraphs.shared.database import Database
from subgraphs.shared.settings import Settings
from subgraphs.shared.signing import SIGNATURE_HEADER, operation_bytes, sign
from tests.integration.appointments.api import build_resources
from tests.integration.appointments.support import Clock, FakeAvailability, at, patient
from tests.router.subscriptions.support import serving
from tests.support.tokens import Minter

pytestmark = pytest.mark.timeout(90)

KEY = "shared-socket-key"
SUBSCRIBE = "subscription { appointmentUpdates { action appointment { id status } } }"
BOUND_SECONDS = 30  # against hanging only


@dataclasses.dataclass
class Subgraph:
    url: str
    mint: Minter
    deps: service.Deps
    availability: FakeAvailability

    def bearer(self, who: Actor) -> dict[str, str]:
        return {"authorization": f"Bearer {self.mint(who.user_id, who.role)}"}

    async def book(self, who: Actor, day: int) -> uuid.UUID:
        doctor = self.availability.add()
        row = await service.book(
            deps=self.deps,
            actor=who,
            doctor_id=doctor,
            start=at(day, 9),
            reason=None,
            idempotency_key=f"k-{day}",
        )
        return row.id


@pytest.fixture
async def subgraph(
    db: Database, settings: Settings, availability: FakeAvailability, clock: Clock
) -> AsyncIterator[Subgraph]:
    signed = dataclasses.replace(settings, signing_key=KEY)
    resources, mint = build_resources(db, signed, availability, clock)
    async with serving(create_subgraph_app(SPEC, resources)) as address:
        yield Subgraph(f"http://{address}/graphql", mint, wiring.install(resources), availability)


async def until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(BOUND_SECONDS):
        while not condition():
            await asyncio.sleep(0.01)


async def next_id(stream: AsyncIterator[Any]) -> str:
    event = await asyncio.wait_for(anext(stream), BOUND_SECONDS)
    return str(event["data"]["appointmentUpdates"]["appointment"]["id"])


async def test_two_users_on_one_socket_hear_only_their_own_changes(subgraph: Subgraph) -> None:
    mux = Multiplexer("appointments", subgraph.url, signer=request_signer(KEY))
    ann, bob = patient(), patient()
    ann_stream = mux.subscribe({"query": SUBSCRIBE}, subgraph.bearer(ann))
    bob_stream = mux.subscribe({"query": SUBSCRIBE}, subgraph.bearer(bob))
    ann_next = asyncio.ensure_future(next_id(ann_stream))
    bob_next = asyncio.ensure_future(next_id(bob_stream))
    fanout = subgraph.deps.fanout
    try:
        await until(
            lambda: (
                fanout.listeners(live.user_channel(ann.user_id)) == 1
                and fanout.listeners(live.user_channel(bob.user_id)) == 1
            )
        )
        bobs = await subgraph.book(bob, 2)
        anns = await subgraph.book(ann, 3)
        assert await bob_next == str(bobs)
        assert await ann_next == str(anns)
        assert mux.sockets_opened == 1
        # Each hears the next change of their own, never the other's.
        ann_next = asyncio.ensure_future(next_id(ann_stream))
        bob_next = asyncio.ensure_future(next_id(bob_stream))
        anns_second = await subgraph.book(ann, 4)
        assert await ann_next == str(anns_second)
        assert not bob_next.done()
    finally:
        for pending in (ann_next, bob_next):
            pending.cancel()
        await asyncio.gather(ann_next, bob_next, return_exceptions=True)
        await ann_stream.aclose()  # type: ignore[attr-defined]
        await bob_stream.aclose()  # type: ignore[attr-defined]
        await mux.aclose()


async def test_a_change_is_read_once_for_all_subscribers_of_the_process(
    subgraph: Subgraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[list[uuid.UUID]] = []
    original = queries.by_ids

    async def counted(db: Database, ids: list[uuid.UUID]) -> Any:
        reads.append(list(ids))
        return await original(db, ids)

    monkeypatch.setattr(queries, "by_ids", counted)
    mux = Multiplexer("appointments", subgraph.url, signer=request_signer(KEY))
    who = patient()
    streams = [mux.subscribe({"query": SUBSCRIBE}, subgraph.bearer(who)) for _ in range(20)]
    heard = [asyncio.ensure_future(next_id(stream)) for stream in streams]
    try:
        channel = live.user_channel(who.user_id)
        await until(lambda: subgraph.deps.fanout.listeners(channel) == 20)
        booked = await subgraph.book(who, 2)
        assert await asyncio.gather(*heard) == [str(booked)] * 20
        assert reads == [[booked]]
    finally:
        for stream in streams:
            await stream.aclose()  # type: ignore[attr-defined]
        await mux.aclose()


@asynccontextmanager
async def raw_socket(url: str) -> AsyncIterator[ClientConnection]:
    """A socket opened as the router opens it (signed upgrade, no caller)."""
    headers = {SIGNATURE_HEADER: sign(b"", key=KEY)}
    async with connect(
        url.replace("http://", "ws://"),
        subprotocols=[Subprotocol("graphql-transport-ws")],
        additional_headers=headers,
    ) as socket:
        await socket.send('{"type":"connection_init","payload":{}}')
        assert orjson.loads(await socket.recv())["type"] == "connection_ack"
        yield socket


def subscribe(operation_id: str, payload: dict[str, Any], forwarded: dict[str, str]) -> str:
    message = {
        "id": operation_id,
        "type": "subscribe",
        "payload": {**payload, "extensions": {"forwarded": forwarded}},
    }
    return orjson.dumps(message).decode()


def signed(payload: dict[str, Any], headers: dict[str, str]) -> dict[str, str]:
    return {**headers, SIGNATURE_HEADER: sign(operation_bytes(payload), key=KEY, headers=headers)}


async def answer(socket: ClientConnection) -> Any:
    return orjson.loads(await asyncio.wait_for(socket.recv(), BOUND_SECONDS))


async def code_of(socket: ClientConnection, operation_id: str) -> str:
    message = await answer(socket)
    assert (message["id"], message["type"]) == (operation_id, "error"), message
    return str(message["payload"][0]["extensions"]["code"])


async def test_subscribes_without_a_fresh_signature_of_their_caller_and_operation_are_refused(
    subgraph: Subgraph,
) -> None:
    ann, bob = patient(), patient()
    payload = {"query": SUBSCRIBE}
    as_ann = subgraph.bearer(ann)
    good = signed(payload, as_ann)
    async with raw_socket(subgraph.url) as socket:
        send: Callable[[str], Awaitable[None]] = socket.send
        await send(subscribe("unsigned", payload, as_ann))
        assert await code_of(socket, "unsigned") == "FORBIDDEN"
        await send(subscribe("as-bob", payload, {**good, **subgraph.bearer(bob)}))
        assert await code_of(socket, "as-bob") == "FORBIDDEN"
        other = {"query": "subscription { appointmentUpdates { action } }"}
        await send(subscribe("other-op", other, good))
        assert await code_of(socket, "other-op") == "FORBIDDEN"
        stamped = signed(payload, {**as_ann, "x-request-id": "a" * 32})
        await send(subscribe("other-id", payload, {**stamped, "x-request-id": "b" * 32}))
        assert await code_of(socket, "other-id") == "FORBIDDEN"
        await send(subscribe("good", payload, good))
        await send(subscribe("replayed", payload, good))
        assert await code_of(socket, "replayed") == "FORBIDDEN"
        bad_token = signed(payload, {"authorization": "Bearer not-a-token"})
        await send(subscribe("bad-token", payload, bad_token))
        assert await code_of(socket, "bad-token") == "UNAUTHENTICATED"
        # The signed one runs as Ann, on the same socket as the refusals.
        await until(lambda: subgraph.deps.fanout.listeners(live.user_channel(ann.user_id)) == 1)
        booked = await subgraph.book(ann, 2)
        message = await answer(socket)
        assert message["id"] == "good"
        assert message["payload"]["data"]["appointmentUpdates"]["appointment"]["id"] == str(booked)


class ReconnectingCache(MemoryCache):
    """The subgraph's Redis cache just after a cut: counting fails while `down`."""

    down = False

    async def increment(self, key: str, *, ttl_seconds: int) -> int:
        if self.down:
            raise RedisConnectionError("Connection closed by server.")
        return await super().increment(key, ttl_seconds=ttl_seconds)


async def test_a_subscribe_whose_nonce_cannot_be_checked_is_refused_to_retry(
    db: Database, settings: Settings, availability: FakeAvailability, clock: Clock
) -> None:
    """Once ended the operation without a message: the router's subscription stayed open
    and deaf (the replicas-and-faults suite's silent re-subscriptions after a Redis cut)."""
    resources, mint = build_resources(
        db, dataclasses.replace(settings, signing_key=KEY), availability, clock
    )
    cache = ReconnectingCache()
    resources.cache = cache
    async with serving(create_subgraph_app(SPEC, resources)) as address:
        subgraph = Subgraph(
            f"http://{address}/graphql", mint, wiring.install(resources), availability
        )
        ann, payload = patient(), {"query": SUBSCRIBE}
        async with raw_socket(subgraph.url) as socket:
            cache.down = True
            await socket.send(
                subscribe("in-outage", payload, signed(payload, subgraph.bearer(ann)))
            )
            assert await code_of(socket, "in-outage") == "SERVICE_UNAVAILABLE"
            cache.down = False  # the client subscribes again, on the same socket
            await socket.send(subscribe("again", payload, signed(payload, subgraph.bearer(ann))))
            await until(lambda: subgraph.deps.fanout.listeners(live.user_channel(ann.user_id)) == 1)
            booked = await subgraph.book(ann, 2)
            message = await answer(socket)
            assert message["id"] == "again"
            assert message["payload"]["data"]["appointmentUpdates"]["appointment"]["id"] == str(
                booked
            )
