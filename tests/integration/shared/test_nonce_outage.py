"""A subgraph whose replay cache (Redis, behind a TCP proxy the test cuts) cannot be reached
refuses signed requests as an outage, never accepting them unchecked: through the router the
client sees `SERVICE_UNAVAILABLE` (it was `SUBREQUEST_HTTP_ERROR`, the subgraph answering a
bare 500) and the resolver did not run; once Redis is back the same request goes through."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.types import Message

from healthbook.components import SUPERGRAPH_PATH
from healthbook.gateway import request_signer
from router.app import create_app as create_router
from router.config import RouterConfig
from router.supergraph import load_supergraph
from subgraphs.identity import service as identity_service
from subgraphs.identity.app import SPEC
from subgraphs.identity.wiring import EXTRA_KEY
from subgraphs.shared.app import create_subgraph_app
from subgraphs.shared.cache import MemoryCache, RedisCache
from subgraphs.shared.pubsub import MemoryPubSub
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings
from subgraphs.shared.signing import SIGNATURE_HEADER, sign
from subgraphs.shared.tokens import JwtVerifier, StaticJwks
from tests.conftest import MakeStore
from tests.integration.identity.conftest import PASSWORD, TOKENS, identity_runtime
from tests.support import services
from tests.support.proxy import TcpProxy, tcp_proxy

KEY = "test-signing-key"
REGISTER = "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }"


@dataclasses.dataclass
class Stack:
    subgraph: Starlette
    router: httpx.AsyncClient
    redis: TcpProxy
    registrations: list[str]  # emails the register resolver was called with


@pytest.fixture
def redis_proxy() -> Iterator[TcpProxy]:
    services.require("Redis", services.REDIS)
    with tcp_proxy(services.REDIS) as proxy:
        yield proxy


@pytest.fixture
async def stack(
    make_store: MakeStore,
    settings: Settings,
    redis_proxy: TcpProxy,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Stack]:
    """The router (signing) in front of identity, whose nonces live in Redis behind the proxy.
    Identity's own throttles and the token verifier keep an in-process cache, so a request let
    through without its replay check would register: the cut reaches the nonce check only."""
    database = await make_store("identity")
    own_cache = MemoryCache()
    ident = identity_runtime(database, own_cache)
    nonces = RedisCache.from_url(
        f"redis://127.0.0.1:{redis_proxy.port}/0", prefix=f"t-{uuid.uuid4().hex[:8]}:"
    )
    resources = Resources(
        component="identity",
        settings=dataclasses.replace(settings, signing_key=KEY),
        database=database,
        cache=nonces,
        pubsub=MemoryPubSub(),
        authenticator=JwtVerifier(
            keys=StaticJwks(ident.keys.jwks()),
            issuer=TOKENS.issuer,
            audience=TOKENS.audience,
            cache=own_cache,
            leeway_seconds=0,
        ),
    )
    resources.extras[EXTRA_KEY] = ident
    registrations: list[str] = []
    register = identity_service.register

    async def spy(**arguments: Any) -> Any:
        registrations.append(arguments["email"])
        return await register(**arguments)

    monkeypatch.setattr(identity_service, "register", spy)  # as the resolver calls it
    subgraph = create_subgraph_app(SPEC, resources)
    router = create_router(
        RouterConfig(),
        supergraph=load_supergraph(SUPERGRAPH_PATH),
        signer=request_signer(KEY),
        transport=httpx.ASGITransport(app=subgraph),
    )
    async with (
        subgraph.router.lifespan_context(subgraph),
        router.router.lifespan_context(router),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=router), base_url="http://r") as http,
    ):
        yield Stack(subgraph, http, redis_proxy, registrations)
    await nonces.close()  # the resources do not own it


async def _register(router: httpx.AsyncClient, email: str) -> dict[str, Any]:
    variables = {"i": {"email": email, "password": PASSWORD, "name": "Ann"}}
    response = await router.post("/graphql", json={"query": REGISTER, "variables": variables})
    body: dict[str, Any] = response.json()
    return body


async def test_a_nonce_that_cannot_be_checked_is_service_unavailable_through_the_router(
    stack: Stack,
) -> None:
    stack.redis.cut()
    refused = await _register(stack.router, "ann@example.org")
    assert refused.get("data") is None, refused
    # (The router adds its own `Cannot return null` for `register`, with no code.)
    codes = [e["extensions"]["code"] for e in refused["errors"] if "extensions" in e]
    assert codes == ["SERVICE_UNAVAILABLE"], refused
    assert stack.registrations == []  # refused before the resolver, not let through unchecked
    stack.redis.restore()
    # Not registered during the cut: the same registration now succeeds (no CONFLICT).
    accepted = await _register(stack.router, "ann@example.org")
    assert "errors" not in accepted, accepted
    assert accepted["data"]["register"]["user"]["id"]
    assert stack.registrations == ["ann@example.org"]


async def test_the_subgraph_answers_503_with_an_outage_error_and_closes_a_socket_to_retry(
    stack: Stack,
) -> None:
    body = orjson.dumps({"query": "{ _service { sdl } }"})
    headers = {"content-type": "application/json"}
    stack.redis.cut()
    transport = httpx.ASGITransport(app=stack.subgraph)
    async with httpx.AsyncClient(transport=transport, base_url="http://identity") as http:
        answer = await http.post(
            "/graphql", content=body, headers={**headers, SIGNATURE_HEADER: sign(body, key=KEY)}
        )
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "1"
    assert answer.json()["errors"][0]["extensions"] == {"code": "SERVICE_UNAVAILABLE"}
    assert await _upgrade(stack.subgraph) == [{"type": "websocket.close", "code": 1013}]
    stack.redis.restore()
    assert (await _upgrade(stack.subgraph))[0]["type"] == "websocket.accept"


async def _upgrade(app: Starlette) -> list[dict[str, Any]]:
    """A signed WebSocket upgrade to `/graphql`: what the subgraph sent back first."""
    signature = sign(b"", key=KEY)
    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "scheme": "ws",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"identity"),
            (SIGNATURE_HEADER.lower().encode(), signature.encode()),
            (b"sec-websocket-protocol", b"graphql-transport-ws"),
        ],
        "subprotocols": ["graphql-transport-ws"],
        "client": ("127.0.0.1", 50000),
        "server": ("identity", 80),
    }
    sent: list[dict[str, Any]] = []
    incoming: list[Message] = [{"type": "websocket.connect"}]

    async def receive() -> Message:
        if incoming:
            return incoming.pop(0)
        return {"type": "websocket.disconnect", "code": 1000}

    async def send(message: Message) -> None:
        if not sent:
            sent.append({k: message[k] for k in ("type", "code") if k in message})

    await app(scope, receive, send)
    return sent
