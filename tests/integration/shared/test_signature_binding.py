"""A captured router request cannot be replayed, nor sent with another token, address, request id
or path."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Callable

import httpx
import orjson
import pytest
from starlette.applications import Starlette

from subgraphs.identity.app import SPEC
from subgraphs.shared.app import create_subgraph_app
from subgraphs.shared.cache import RedisCache
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings
from subgraphs.shared.signing import SIGNATURE_HEADER, sign
from tests.conftest import MakeStore

KEY = "test-signing-key"
BODY = orjson.dumps({"query": "{ _service { sdl } }"})


@pytest.fixture
async def open_app(
    make_store: MakeStore, settings: Settings
) -> AsyncIterator[Callable[[str | None], Starlette]]:
    """Subgraph apps over one store; with a Redis URL they share a nonce ledger (replicas)."""
    database = await make_store("identity")
    opened: list[Resources] = []

    def make(redis_url: str | None) -> Starlette:
        resources = Resources.open("identity", dataclasses.replace(settings, signing_key=KEY))
        resources.database = database
        if redis_url:
            resources.cache = RedisCache.from_url(redis_url, prefix=f"t-{PREFIX}:")
        opened.append(resources)
        return create_subgraph_app(SPEC, resources)

    yield make
    for resources in opened:
        await resources.cache.close()


PREFIX = uuid.uuid4().hex[:8]


async def send(app: Starlette, headers: dict[str, str], *, path: str = "/graphql") -> int:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://identity") as http:
        response = await http.post(path, content=BODY, headers=headers)
    return response.status_code


def signed(**bound: str) -> dict[str, str]:
    headers = {"content-type": "application/json", **bound}
    headers[SIGNATURE_HEADER] = sign(BODY, key=KEY, headers=headers)
    return headers


async def test_a_replayed_signature_is_refused(open_app: Callable[[str | None], Starlette]) -> None:
    app = open_app(None)
    captured = signed(authorization="Bearer a")
    assert await send(app, captured) == 200
    assert await send(app, captured) == 403


async def test_another_token_or_address_breaks_the_signature(
    open_app: Callable[[str | None], Starlette],
) -> None:
    app = open_app(None)
    captured = signed(authorization="Bearer patient", **{"x-forwarded-for": "203.0.113.1"})
    assert await send(app, {**captured, "authorization": "Bearer admin"}) == 403
    assert await send(app, {**captured, "x-forwarded-for": "198.51.100.9"}) == 403
    assert await send(app, captured) == 200  # the original, once


async def test_a_changed_request_id_breaks_the_signature(
    open_app: Callable[[str | None], Starlette],
) -> None:
    app = open_app(None)
    captured = signed(authorization="Bearer doctor", **{"x-request-id": "a" * 32})
    assert await send(app, {**captured, "x-request-id": "b" * 32}) == 403
    assert await send(app, {k: v for k, v in captured.items() if k != "x-request-id"}) == 403
    assert await send(app, captured) == 200  # the original, once


async def test_replicas_sharing_redis_refuse_a_replay_at_the_other(
    open_app: Callable[[str | None], Starlette], redis_url: str
) -> None:
    one, two = open_app(redis_url), open_app(redis_url)
    captured = signed()
    assert await send(one, captured) == 200
    assert await send(two, captured) == 403
