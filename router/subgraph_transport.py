"""How the subgraph client puts bytes on the wire: the lean pool, or an httpx client.

`Sender` is what `SubgraphClient` needs: POST bytes, get (status, body) back, or a
`PoolTimeout`/`PoolError`. `PoolSender` is the production one (`router.http_pool`);
`HttpxSender` wraps an `httpx.AsyncClient`, for callers that inject an httpx transport
(tests with `httpx.MockTransport`, in-process ASGI subgraphs, the client benchmark).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import httpx

from router.http_pool import HttpPool, PoolError, PoolTimeout

__all__ = ["HttpxSender", "PoolSender", "Sender"]


class Sender(Protocol):
    async def post(
        self,
        url: str,
        content: bytes,
        headers: Mapping[str, str],
        *,
        time_limit: float,
        idempotent: bool,
    ) -> tuple[int, bytes]:
        """(status, body); raises `PoolTimeout` or `PoolError`."""
        ...

    async def aclose(self) -> None: ...


class PoolSender:
    def __init__(self, pool: HttpPool) -> None:
        self.pool = pool

    async def post(
        self,
        url: str,
        content: bytes,
        headers: Mapping[str, str],
        *,
        time_limit: float,
        idempotent: bool,
    ) -> tuple[int, bytes]:
        return await self.pool.request(
            "POST", url, content, headers, time_limit=time_limit, retry_stale=idempotent
        )

    async def aclose(self) -> None:
        await self.pool.aclose()


class HttpxSender:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def post(
        self,
        url: str,
        content: bytes,
        headers: Mapping[str, str],
        *,
        time_limit: float,
        idempotent: bool,
    ) -> tuple[int, bytes]:
        try:
            response = await self.http.post(
                url, content=content, headers=headers, timeout=time_limit
            )
        except httpx.TimeoutException:
            raise PoolTimeout("TimeoutError") from None
        except httpx.HTTPError as error:
            raise PoolError(type(error).__name__) from None
        return response.status_code, response.content

    async def aclose(self) -> None:
        await self.http.aclose()
