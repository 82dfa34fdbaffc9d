"""GraphQL over Server-Sent Events ("distinct connections" mode of the graphql-sse protocol).

A POST (or GET) to /graphql with `Accept: text/event-stream` gets `event: next` per result
and a final `event: complete`. The caller authenticates with the `Authorization` header (the
edge checked it before we get here); comments keep the stream alive; when the access token
expires, or the subgraph's stream fails, a last `next` carries the error before `complete`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

import orjson
from starlette.responses import Response, StreamingResponse

from router.edge.refusal import Refusal
from router.executor import Json
from router.gateway import GraphQLRequest
from router.subscriptions.service import (
    OperationRefused,
    StreamService,
    closing,
    expiry_of,
    upstream_failure,
)
from router.subscriptions.upstream import UpstreamFailed

__all__ = ["EVENT_STREAM", "stream_response", "wants_event_stream"]

EVENT_STREAM = "text/event-stream"
_EXPIRED: Json = {
    "message": "The access token has expired.",
    "extensions": {"code": "UNAUTHENTICATED"},
}


def wants_event_stream(accept: str | None) -> bool:
    return bool(accept) and EVENT_STREAM in (accept or "")


def stream_response(
    service: StreamService,
    request: GraphQLRequest,
    headers: Mapping[str, str],
    principal: Any,
    method: str = "POST",
) -> Response:
    """The SSE response, or a JSON error response when the operation cannot start."""
    try:
        stream = service.start(request, headers, method=method)
    except OperationRefused as refused:
        return Response(
            orjson.dumps({"errors": refused.errors}), refused.status, media_type="application/json"
        )
    return StreamingResponse(
        _events(stream, service.ping_seconds, expiry_of(principal)),
        media_type=EVENT_STREAM,
        headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
    )


def _next(body: Json) -> bytes:
    return b"event: next\ndata: " + orjson.dumps(body) + b"\n\n"


async def _events(
    stream: AsyncIterator[Json], ping_seconds: float, expires: float | None
) -> AsyncIterator[bytes]:
    queue: asyncio.Queue[Json | BaseException | None] = asyncio.Queue(maxsize=64)

    async def produce() -> None:
        try:
            async with closing(stream) as bodies:
                async for body in bodies:
                    await queue.put(body)
            await queue.put(None)
        except (UpstreamFailed, Refusal) as failure:
            await queue.put(failure)

    producer = asyncio.create_task(produce())
    try:
        yield b": connected\n\n"
        while True:
            wait = ping_seconds
            if expires is not None:
                wait = min(wait, max(0.0, expires - time.time()))
            try:
                item = await asyncio.wait_for(queue.get(), wait)
            except TimeoutError:
                if expires is not None and time.time() >= expires:
                    yield _next({"errors": [_EXPIRED]})
                    break
                yield b": ping\n\n"
                continue
            if item is None:
                break
            if isinstance(item, UpstreamFailed):
                yield _next({"errors": upstream_failure(item)})
                break
            if isinstance(item, Refusal):
                yield _next(item.body())
                break
            if isinstance(item, BaseException):
                raise item
            yield _next(item)
        yield b"event: complete\ndata: \n\n"
    finally:
        producer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await producer
