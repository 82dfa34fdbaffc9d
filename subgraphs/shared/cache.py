"""A small cache interface with two real implementations: Redis and in-process.

Invalidation by namespace generation: readers build keys with the namespace's current
generation, and `invalidate(namespace)` bumps it, so every older entry is unreachable at
once without scanning keys (and expires by its TTL).
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

import redis.asyncio as aioredis


class Cache(Protocol):
    async def get(self, key: str) -> bytes | None: ...
    async def set(self, key: str, value: bytes, *, ttl_seconds: int) -> None: ...
    async def delete(self, key: str) -> None: ...
    async def increment(self, key: str, *, ttl_seconds: int) -> int:
        """Atomically add one to a counter (created at 0 with this TTL) and return it."""
        ...

    async def generation(self, namespace: str) -> int: ...
    async def invalidate(self, namespace: str) -> int: ...
    async def ping(self) -> None: ...
    async def close(self) -> None: ...


class MemoryCache:
    """In-process cache for the embedded mode (one process, so one consistent view)."""

    def __init__(self, *, max_entries: int = 10_000) -> None:
        self._entries: dict[str, tuple[float, bytes]] = {}
        self._generations: dict[str, int] = {}
        self._max_entries = max_entries
        self._lock = threading.Lock()  # safe across the event loops of one process

    async def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires < time.monotonic():
            self._entries.pop(key, None)
            return None
        return value

    async def set(self, key: str, value: bytes, *, ttl_seconds: int) -> None:
        if len(self._entries) >= self._max_entries:
            now = time.monotonic()
            for stale in [k for k, (exp, _) in self._entries.items() if exp < now]:
                del self._entries[stale]
            while len(self._entries) >= self._max_entries:
                del self._entries[next(iter(self._entries))]
        self._entries[key] = (time.monotonic() + ttl_seconds, value)

    async def delete(self, key: str) -> None:
        self._entries.pop(key, None)

    async def increment(self, key: str, *, ttl_seconds: int) -> int:
        with self._lock:
            now = time.monotonic()
            entry = self._entries.get(key)
            if entry is None or entry[0] < now:
                expires, value = now + ttl_seconds, 1
            else:
                expires, value = entry[0], int(entry[1]) + 1
            self._entries[key] = (expires, str(value).encode())
            return value

    async def generation(self, namespace: str) -> int:
        return self._generations.get(namespace, 0)

    async def invalidate(self, namespace: str) -> int:
        with self._lock:
            self._generations[namespace] = self._generations.get(namespace, 0) + 1
            return self._generations[namespace]

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        self._entries.clear()


class RedisCache:
    """Redis-backed cache shared by every replica; keys live under `prefix`."""

    def __init__(self, client: aioredis.Redis, *, prefix: str) -> None:
        self._redis = client
        self._prefix = prefix

    @classmethod
    def from_url(cls, url: str, *, prefix: str) -> RedisCache:
        return cls(aioredis.Redis.from_url(url), prefix=prefix)

    async def get(self, key: str) -> bytes | None:
        value = await self._redis.get(self._prefix + key)
        return value if isinstance(value, bytes) else None

    async def set(self, key: str, value: bytes, *, ttl_seconds: int) -> None:
        await self._redis.set(self._prefix + key, value, ex=ttl_seconds)

    async def delete(self, key: str) -> None:
        await self._redis.delete(self._prefix + key)

    async def increment(self, key: str, *, ttl_seconds: int) -> int:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self._prefix + key, 0, ex=ttl_seconds, nx=True)
            pipe.incr(self._prefix + key)
            _, value = await pipe.execute()
        return int(value)

    async def generation(self, namespace: str) -> int:
        value = await self._redis.get(f"{self._prefix}gen:{namespace}")
        return int(value) if value is not None else 0

    async def invalidate(self, namespace: str) -> int:
        return int(await self._redis.incr(f"{self._prefix}gen:{namespace}"))

    async def ping(self) -> None:
        await self._redis.ping()

    async def close(self) -> None:
        await self._redis.aclose()
