"""Inbound request deduplication: identical client requests in flight share one execution.

Two requests are identical when they run the same operation (`PreparedOperation.key`: the
normalized document and operation name) with the same variables **and the same headers
that reach the subgraphs** (credentials, trace context, the client's address; not the
per-request id, which names each request in logs and audit entries): whatever
could make a subgraph answer differently is in the key, so two users never share an
answer. Mutations share only when configured (off by default); subscriptions never come
here (they are streams, not executions).

The shared execution runs as its own task: a client that hangs up does not cancel the
answer the others wait for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import Any, Generic, TypeVar

import orjson

from router.subgraph_client import sharing_key

__all__ = ["InflightRequests", "request_key"]

T = TypeVar("T")


def request_key(
    operation_key: str, variables: Mapping[str, Any] | None, headers: Mapping[str, str]
) -> Hashable:
    """What makes two requests the same request."""
    encoded = orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)
    return (operation_key, encoded, sharing_key(headers))


class InflightRequests(Generic[T]):
    def __init__(self) -> None:
        self._flights: dict[Hashable, asyncio.Future[T]] = {}
        self.shared = 0  # requests answered by another one's execution (tests, metrics)

    async def share(self, key: Hashable, run: Callable[[], Awaitable[T]]) -> T:
        """`run()`'s result, or that of an identical call already in flight."""
        flight = self._flights.get(key)
        if flight is not None:
            self.shared += 1
            return await asyncio.shield(flight)
        task: asyncio.Future[T] = asyncio.ensure_future(run())
        self._flights[key] = task
        task.add_done_callback(lambda _done: self._flights.pop(key, None))
        return await asyncio.shield(task)

    def __len__(self) -> int:
        return len(self._flights)
