"""Identical in-flight subgraph queries share one HTTP exchange.

Only GraphQL queries are shared, never mutations or anything else; two requests are identical
when their URL, body and `Authorization` header are (the signature header differs by time
and is left out). Each waiter gets its own copy of the answer.
"""

from __future__ import annotations

import asyncio

import httpx
import orjson

__all__ = ["DeduplicatingTransport"]

_Key = tuple[str, bytes, str]


class DeduplicatingTransport(httpx.AsyncBaseTransport):
    """Wraps a transport; concurrent identical query POSTs are sent once."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.in_flight: dict[
            _Key, asyncio.Future[tuple[int, list[tuple[bytes, bytes]], bytes]]
        ] = {}
        self.shared = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "POST" or not _is_query(request.content):
            return await self.inner.handle_async_request(request)
        key = (str(request.url), request.content, request.headers.get("authorization", ""))
        pending = self.in_flight.get(key)
        if pending is not None:
            self.shared += 1
            status, headers, content = await asyncio.shield(pending)
            return httpx.Response(status, headers=headers, content=content, request=request)
        future: asyncio.Future[tuple[int, list[tuple[bytes, bytes]], bytes]] = (
            asyncio.get_running_loop().create_future()
        )
        self.in_flight[key] = future
        try:
            response = await self.inner.handle_async_request(request)
            content = await response.aread()
            await response.aclose()
            headers = [
                (k, v)
                for k, v in response.headers.raw
                if k.lower() not in (b"content-length", b"transfer-encoding", b"content-encoding")
            ]
            future.set_result((response.status_code, headers, content))
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: no "never retrieved" warning when nobody waits
            raise
        finally:
            del self.in_flight[key]
        return httpx.Response(
            response.status_code, headers=headers, content=content, request=request
        )

    async def aclose(self) -> None:
        await self.inner.aclose()


def _is_query(content: bytes) -> bool:
    try:
        body = orjson.loads(content)
    except orjson.JSONDecodeError:
        return False
    query = body.get("query") if isinstance(body, dict) else None
    if not isinstance(query, str):
        return False
    text = query.lstrip()
    return text.startswith("{") or text.startswith("query")
