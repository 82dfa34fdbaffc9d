"""A pub/sub outage ends live subscriptions with SERVICE_UNAVAILABLE (retry later), not
INTERNAL_SERVER_ERROR, with the cause chained and nothing of it (the Redis address) shown;
through the router the client gets the same code, then `complete`."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import orjson
import pytest
import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from healthbook.gateway import request_signer
from router.app import create_app
from router.config import RouterConfig
from router.edge.config import EdgeConfig
from router.edge.guard import Edge
from router.supergraph import load_supergraph
from subgraphs.appointments import wiring
from subgraphs.appointments.app import SPEC
from subgraphs.appointments.service import lifecycle as service
from subgraphs.appointments.service import live
from subgraphs.shared.app import create_subgraph_app
from subgraphs.shared.auth import Principal, Role
from subgraphs.shared.database import Database
from subgraphs.shared.errors import ServiceUnavailable
from subgraphs.shared.pubsub import RedisPubSub
from subgraphs.shared.settings import Settings
from tests.integration.appointments.api import build_resources
from tests.integration.appointments.support import Clock, FakeAvailability, at, make_deps, patient
from tests.router.subscriptions.support import SUPERGRAPH, serving
from tests.support.proxy import tcp_proxy

pytestmark = pytest.mark.timeout(90)

KEY = "live-outage-key"
SUBSCRIBE = "subscription { appointmentUpdates { action appointment { id status } } }"
BOUND_SECONDS = 30  # against hanging only
REDIS_ADDRESS = ("127.0.0.1", 6379)


class FailingPubSub:
    """A pub/sub whose subscription fails with `failure`: when subscribing (`at_subscribe`),
    or while listening, once the test sets `cut`."""

    def __init__(self, failure: Exception, *, at_subscribe: bool = False) -> None:
        self.failure = failure
        self.at_subscribe = at_subscribe
        self.subscribed = asyncio.Event()
        self.cut = asyncio.Event()

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        return None

    @asynccontextmanager
    async def subscription(self, channel: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        if self.at_subscribe:
            raise self.failure
        self.subscribed.set()
        yield self

    def __aiter__(self) -> FailingPubSub:
        return self

    async def __anext__(self) -> dict[str, Any]:
        await self.cut.wait()
        raise self.failure

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        return None


async def first_update(pubsub: FailingPubSub, db: Database) -> Any:
    """Run one subscriber until its stream ends; the stream's first item (it never has one)."""
    stream = live.updates_for(make_deps(db, pubsub=pubsub), Principal(uuid.uuid4(), Role.PATIENT))
    pending = asyncio.ensure_future(anext(stream))
    try:
        if not pubsub.at_subscribe:
            await asyncio.wait_for(pubsub.subscribed.wait(), BOUND_SECONDS)
            pubsub.cut.set()
        return await asyncio.wait_for(pending, BOUND_SECONDS)
    finally:
        pending.cancel()
        await stream.aclose()


@pytest.mark.parametrize("at_subscribe", [False, True], ids=["while-listening", "subscribing"])
async def test_a_pubsub_outage_ends_the_stream_as_service_unavailable_with_its_cause(
    db: Database, at_subscribe: bool
) -> None:
    failure = RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with pytest.raises(ServiceUnavailable) as ended:
        await first_update(FailingPubSub(failure, at_subscribe=at_subscribe), db)
    assert ended.value.extensions == {"code": "SERVICE_UNAVAILABLE"}
    assert ended.value.__cause__ is failure
    assert "127.0.0.1" not in ended.value.message
    assert "6379" not in ended.value.message


async def test_a_failure_that_is_not_an_outage_is_not_reported_as_one(db: Database) -> None:
    bug = KeyError("appointment_id")
    with pytest.raises(live.ListeningFailed) as ended:
        await first_update(FailingPubSub(bug), db)
    assert ended.value.__cause__ is bug  # masked as INTERNAL_SERVER_ERROR, logged with it


@dataclasses.dataclass
class Stack:
    router: str  # host:port
    mint: Any
    deps: service.Deps
    availability: FakeAvailability


@asynccontextmanager
async def stack(
    db: Database,
    settings: Settings,
    availability: FakeAvailability,
    clock: Clock,
    pubsub: RedisPubSub,
) -> AsyncIterator[Stack]:
    """The appointments subgraph (live updates on `pubsub`) and our router in front of it."""
    signed = dataclasses.replace(settings, signing_key=KEY)
    resources, mint = build_resources(db, signed, availability, clock, pubsub=pubsub)
    deps = wiring.install(resources)

    def no_other_subgraph(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"unexpected fetch: {request.url}")

    async with serving(create_subgraph_app(SPEC, resources)) as subgraph:
        router = create_app(
            RouterConfig(subgraph_urls={"APPOINTMENTS": f"http://{subgraph}/graphql"}),
            supergraph=load_supergraph(SUPERGRAPH),
            signer=request_signer(KEY),
            transport=httpx.MockTransport(no_other_subgraph),
            edge=Edge(EdgeConfig(), authenticator=resources.authenticator),
        )
        async with serving(router) as address:
            yield Stack(address, mint, deps, availability)


async def receive(socket: ClientConnection) -> Any:
    return orjson.loads(await asyncio.wait_for(socket.recv(), BOUND_SECONDS))


async def wait_for_subscriber(redis_url: str, channel: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    try:
        async with asyncio.timeout(BOUND_SECONDS):
            while (await client.pubsub_numsub(channel))[0][1] < 1:
                await asyncio.sleep(0.05)
    finally:
        await client.aclose()


@pytest.mark.redis
async def test_a_redis_cut_reaches_the_client_through_the_router_as_service_unavailable(
    db: Database,
    settings: Settings,
    availability: FakeAvailability,
    clock: Clock,
    redis_url: str,
) -> None:
    prefix = f"hb-test-{uuid.uuid4().hex}:"
    who = patient()
    with tcp_proxy(REDIS_ADDRESS) as proxy:
        pubsub = RedisPubSub.from_url(f"redis://127.0.0.1:{proxy.port}/0", prefix=prefix)
        try:
            async with (
                stack(db, settings, availability, clock, pubsub) as served,
                connect(
                    f"ws://{served.router}/graphql",
                    subprotocols=[Subprotocol("graphql-transport-ws")],
                ) as socket,
            ):
                token = f"Bearer {served.mint(who.user_id, who.role)}"
                init = {"type": "connection_init", "payload": {"authorization": token}}
                await socket.send(orjson.dumps(init).decode())
                assert await receive(socket) == {"type": "connection_ack"}
                subscribe = {"id": "s1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}
                await socket.send(orjson.dumps(subscribe).decode())
                await wait_for_subscriber(redis_url, prefix + live.user_channel(who.user_id))
                # Live before the cut: a booking reaches the client.
                row = await service.book(
                    deps=served.deps,
                    actor=who,
                    doctor_id=served.availability.add(),
                    start=at(2, 9),
                    reason=None,
                    idempotency_key="k",
                )
                heard = await receive(socket)
                update = heard["payload"]["data"]["appointmentUpdates"]
                assert update == {
                    "action": "BOOKED",
                    "appointment": {"id": str(row.id), "status": str(row.status)},
                }
                proxy.cut()
                raw = await asyncio.wait_for(socket.recv(), BOUND_SECONDS)
                ended = orjson.loads(raw)
                assert (ended["id"], ended["type"]) == ("s1", "next"), ended
                [error] = ended["payload"]["errors"]
                assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
                assert error["message"] == live.UNAVAILABLE_MESSAGE
                for internal in ("127.0.0.1", str(proxy.port), "6379", "Redis", "redis"):
                    assert internal not in str(raw)
                assert await receive(socket) == {"id": "s1", "type": "complete"}
        finally:
            await pubsub.close()
