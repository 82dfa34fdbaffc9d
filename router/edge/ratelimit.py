"""Per-client rate limits: fixed windows counted in Redis (shared by replicas) or in memory."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Protocol

from redis.asyncio import Redis

from router.edge.refusal import Refusal

__all__ = ["MemoryCounter", "RateLimiter", "RedisCounter", "WindowCounter"]


class WindowCounter(Protocol):
    async def hit(self, key: str, window: int, ttl: float) -> int:
        """Count one request for `key` in window number `window`; the count so far."""
        ...


class MemoryCounter:
    """Counts in this process (the embedded mode)."""

    def __init__(self) -> None:
        self.counts: dict[str, tuple[int, int]] = {}

    async def hit(self, key: str, window: int, ttl: float) -> int:
        current, count = self.counts.get(key, (window, 0))
        count = count + 1 if current == window else 1
        self.counts[key] = (window, count)
        if len(self.counts) > 100_000:
            self.counts = {k: v for k, v in self.counts.items() if v[0] == window}
        return count


class RedisCounter:
    """Counts in Redis, so that every router replica sees the same numbers."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix

    async def hit(self, key: str, window: int, ttl: float) -> int:
        name = f"{self.prefix}ratelimit:{key}:{window}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, max(1, math.ceil(ttl)))
            count, _ = await pipe.execute()
        return int(count)


class RateLimiter:
    """Allows `limit` requests per client per `window` seconds; refuses more with 429."""

    def __init__(
        self,
        counter: WindowCounter,
        *,
        limit: int,
        window: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.counter = counter
        self.limit = limit
        self.window = window
        self.clock = clock

    async def check(self, client: str) -> None:
        if self.limit <= 0:
            return
        now = self.clock()
        window = int(now // self.window)
        count = await self.counter.hit(client, window, self.window)
        if count > self.limit:
            retry = max(1, math.ceil((window + 1) * self.window - now))
            raise Refusal(
                429,
                "RATE_LIMITED",
                "Too many requests; slow down and retry later.",
                headers={"retry-after": str(retry)},
            )
