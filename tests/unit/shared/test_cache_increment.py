"""Atomic counters of the in-process cache (login throttling counts with them)."""

from __future__ import annotations

import asyncio

from subgraphs.shared.cache import MemoryCache


async def test_increment_counts_from_one_and_keeps_its_first_expiry() -> None:
    cache = MemoryCache()
    assert await cache.increment("c", ttl_seconds=60) == 1
    assert await cache.increment("c", ttl_seconds=60) == 2
    assert await cache.get("c") == b"2"


async def test_increment_restarts_after_expiry() -> None:
    cache = MemoryCache()
    await cache.increment("c", ttl_seconds=0)
    await asyncio.sleep(0.01)
    assert await cache.increment("c", ttl_seconds=60) == 1


async def test_concurrent_increments_lose_nothing() -> None:
    cache = MemoryCache()
    await asyncio.gather(*(cache.increment("c", ttl_seconds=60) for _ in range(200)))
    assert await cache.get("c") == b"200"
