"""Atomic counters of the Redis cache, shared by every replica."""

from __future__ import annotations

import asyncio
import uuid

from subgraphs.shared.cache import RedisCache


async def test_redis_increment_is_atomic_and_expires(redis_url: str) -> None:
    cache = RedisCache.from_url(redis_url, prefix=f"test-{uuid.uuid4().hex}:")
    try:
        await asyncio.gather(*(cache.increment("c", ttl_seconds=60) for _ in range(50)))
        assert await cache.increment("c", ttl_seconds=60) == 51
        await cache.delete("c")
        assert await cache.increment("c", ttl_seconds=60) == 1
        await cache.delete("c")
    finally:
        await cache.close()
