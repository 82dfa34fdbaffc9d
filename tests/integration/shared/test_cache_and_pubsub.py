"""Both cache and pub/sub implementations behave the same: in-process and Redis."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from subgraphs.shared.cache import Cache, MemoryCache, RedisCache
from subgraphs.shared.pubsub import MemoryPubSub, PubSub, RedisPubSub
from tests.support import services


def _prefix() -> str:
    return f"hb-test:{uuid.uuid4().hex[:8]}:"


@pytest.fixture(params=["memory", "redis"])
async def cache(request: pytest.FixtureRequest) -> AsyncIterator[Cache]:
    if request.param == "memory":
        yield MemoryCache()
        return
    services.require("Redis", services.REDIS)
    redis_cache = RedisCache.from_url("redis://127.0.0.1:6379/0", prefix=_prefix())
    yield redis_cache
    await redis_cache.close()


@pytest.fixture(params=["memory", "redis"])
async def pubsubs(request: pytest.FixtureRequest) -> AsyncIterator[tuple[PubSub, PubSub]]:
    """Two handles on the same bus (two processes' worth, for Redis)."""
    if request.param == "memory":
        shared = MemoryPubSub()
        yield shared, shared
        return
    services.require("Redis", services.REDIS)
    prefix = _prefix()
    one = RedisPubSub.from_url("redis://127.0.0.1:6379/0", prefix=prefix)
    two = RedisPubSub.from_url("redis://127.0.0.1:6379/0", prefix=prefix)
    yield one, two
    await one.close()
    await two.close()


async def test_cache_returns_what_was_set_until_deleted(cache: Cache) -> None:
    assert await cache.get("a") is None
    await cache.set("a", b"1", ttl_seconds=60)
    assert await cache.get("a") == b"1"
    await cache.delete("a")
    assert await cache.get("a") is None


async def test_cache_entries_expire(cache: Cache) -> None:
    await cache.set("short", b"x", ttl_seconds=1)
    for _ in range(40):
        if await cache.get("short") is None:
            break
        await asyncio.sleep(0.1)
    assert await cache.get("short") is None


async def test_invalidating_a_namespace_moves_its_generation(cache: Cache) -> None:
    before = await cache.generation("doctors")
    after = await cache.invalidate("doctors")
    assert after == before + 1
    assert await cache.generation("doctors") == after
    assert await cache.generation("other") == 0


async def test_a_subscriber_gets_messages_published_after_it_subscribed(
    pubsubs: tuple[PubSub, PubSub],
) -> None:
    publisher, subscriber = pubsubs
    async with subscriber.subscription("appointments:u1") as stream:
        await publisher.publish("appointments:u1", {"n": 1})
        await publisher.publish("appointments:other", {"n": 99})
        await publisher.publish("appointments:u1", {"n": 2})
        received = [await asyncio.wait_for(anext(stream), 5) for _ in range(2)]
    assert received == [{"n": 1}, {"n": 2}]


async def test_memory_pubsub_accepts_publications_from_another_thread() -> None:
    bus = MemoryPubSub()
    async with bus.subscription("c") as stream:
        await asyncio.to_thread(lambda: asyncio.run(bus.publish("c", {"from": "thread"})))
        assert await asyncio.wait_for(anext(stream), 5) == {"from": "thread"}
