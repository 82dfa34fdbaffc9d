"""Publish/subscribe for live updates: Redis channels (distributed) or in-process (embedded).

Messages are JSON objects. A subscriber gets every message published on its channel after
it subscribed, from any process sharing the Redis server (or any thread of this process).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

import orjson
import redis.asyncio as aioredis


class PubSub(Protocol):
    async def publish(self, channel: str, message: dict[str, Any]) -> None: ...
    def subscription(
        self, channel: str
    ) -> AbstractAsyncContextManager[AsyncIterator[dict[str, Any]]]:
        """Subscribe on enter (no message published after that is missed); iterate to receive."""
        ...

    async def ping(self) -> None: ...
    async def close(self) -> None: ...


class MemoryPubSub:
    """In-process pub/sub; safe to publish from any thread or event loop of the process."""

    def __init__(self, *, queue_size: int = 1000) -> None:
        self._subscribers: dict[
            str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[bytes]]]
        ] = {}
        self._lock = threading.Lock()
        self._queue_size = queue_size

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        data = orjson.dumps(message)
        with self._lock:
            targets = list(self._subscribers.get(channel, ()))
        for loop, queue in targets:
            loop.call_soon_threadsafe(_offer, queue, data)

    @asynccontextmanager
    async def subscription(self, channel: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        queue: asyncio.Queue[bytes] = asyncio.Queue(self._queue_size)
        entry = (asyncio.get_running_loop(), queue)
        with self._lock:
            self._subscribers.setdefault(channel, set()).add(entry)
        try:
            yield _drain(queue)
        finally:
            with self._lock:
                self._subscribers.get(channel, set()).discard(entry)

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        with self._lock:
            self._subscribers.clear()


async def _drain(queue: asyncio.Queue[bytes]) -> AsyncIterator[dict[str, Any]]:
    while True:
        yield orjson.loads(await queue.get())


def _offer(queue: asyncio.Queue[bytes], data: bytes) -> None:
    if queue.full():  # a stalled subscriber loses its oldest message, never blocks publishers
        queue.get_nowait()
    queue.put_nowait(data)


class RedisPubSub:
    """Redis channels under `prefix`, so that every replica sees every message."""

    def __init__(self, client: aioredis.Redis, *, prefix: str) -> None:
        self._redis = client
        self._prefix = prefix

    @classmethod
    def from_url(cls, url: str, *, prefix: str) -> RedisPubSub:
        return cls(aioredis.Redis.from_url(url), prefix=prefix)

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        await self._redis.publish(self._prefix + channel, orjson.dumps(message))

    @asynccontextmanager
    async def subscription(self, channel: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(self._prefix + channel)
        try:
            yield _listen(pubsub)
        finally:
            await pubsub.unsubscribe()
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def ping(self) -> None:
        await self._redis.ping()

    async def close(self) -> None:
        await self._redis.aclose()


async def _listen(pubsub: aioredis.client.PubSub) -> AsyncIterator[dict[str, Any]]:
    async for item in pubsub.listen():
        if item.get("type") == "message":
            yield orjson.loads(item["data"])
