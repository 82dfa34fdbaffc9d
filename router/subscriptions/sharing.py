"""Identical client subscriptions share one upstream subscription and one completed body per
event: a user's phone, tablet and browser tabs subscribed to the same operation cost the
router (and the subgraphs) one subscription, one entity fetch per event and one shaping;
each client only gets the body sent.

Identical means what inbound deduplication means (`router.inflight.request_key`): the same
operation, the same variables and the same headers that reach the subgraphs (credentials,
client address, trace context), so two users never share a stream. A client joining a
running stream hears the events from then on, as a new subscription would. Each client's
own rules stay its own: token expiry, rate limits and completing are per client connection;
the shared upstream subscription ends when its last client leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Hashable
from dataclasses import dataclass, field
from typing import Final

from router.executor import Json
from router.subscriptions.upstream import UpstreamFailed

__all__ = ["SharedStreams"]

QUEUE_SIZE: Final = 1000  # bodies waiting per client; a stalled client loses the oldest


class _End:
    """The shared stream completed."""


@dataclass(eq=False)
class _Stream:
    listeners: set[asyncio.Queue[Json | _End | Exception]] = field(default_factory=set)
    task: asyncio.Task[None] | None = None


class SharedStreams:
    def __init__(self) -> None:
        self._streams: dict[Hashable, _Stream] = {}

    def clients(self, key: Hashable) -> int:
        stream = self._streams.get(key)
        return len(stream.listeners) if stream else 0

    @property
    def running(self) -> int:
        return len(self._streams)

    @property
    def listening(self) -> int:
        """Clients listening to any shared stream."""
        return sum(len(stream.listeners) for stream in self._streams.values())

    async def stream(
        self, key: Hashable, source: Callable[[], AsyncIterator[Json]]
    ) -> AsyncIterator[Json]:
        """The bodies of the stream `key`, started from `source()` unless already running."""
        shared = self._streams.get(key)
        if shared is None:
            shared = _Stream()
            self._streams[key] = shared
            shared.task = asyncio.create_task(self._pump(key, shared, source()))
        queue: asyncio.Queue[Json | _End | Exception] = asyncio.Queue(QUEUE_SIZE)
        shared.listeners.add(queue)
        try:
            while True:
                item = await queue.get()
                if isinstance(item, _End):
                    return
                if isinstance(item, UpstreamFailed):
                    raise UpstreamFailed(item.subgraph, item.reason, errors=item.errors)
                if isinstance(item, Exception):
                    raise item
                yield item
        finally:
            shared.listeners.discard(queue)
            if not shared.listeners:
                if self._streams.get(key) is shared:
                    del self._streams[key]
                if shared.task is not None:
                    shared.task.cancel()

    async def _pump(self, key: Hashable, shared: _Stream, events: AsyncIterator[Json]) -> None:
        outcome: _End | Exception = _End()
        try:
            async for body in events:
                for queue in list(shared.listeners):
                    _offer(queue, body)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            outcome = error
        finally:
            close = getattr(events, "aclose", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    await close()
        if self._streams.get(key) is shared:
            del self._streams[key]  # who subscribes next starts a new stream
        for queue in list(shared.listeners):
            _offer(queue, outcome)


def _offer(queue: asyncio.Queue[Json | _End | Exception], item: Json | _End | Exception) -> None:
    if queue.full():
        queue.get_nowait()
    queue.put_nowait(item)
