"""Calls to subgraphs: one pooled httpx client, forwarded headers, timeouts, a signing hook."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx
import orjson

from router.executor import FetchFailed, Json

__all__ = ["FORWARDED_HEADERS", "RequestSigner", "SubgraphClient"]

if importlib.util.find_spec("sniffio") is None:
    # httpcore runs `import sniffio` on every request; when it is not installed each failed
    # import searches sys.path again (~75 searches per federated query). A None entry makes
    # the import fail at once, which is the same answer.
    sys.modules["sniffio"] = None  # type: ignore[assignment]

# Client request headers passed on to every subgraph call.
FORWARDED_HEADERS = ("authorization", "traceparent", "tracestate")

# Applied to every outgoing subgraph request just before it is sent (e.g. to sign it).
RequestSigner = Callable[[httpx.Request], None]
# Told the subgraph name and the seconds a fetch took.
FetchObserver = Callable[[str, float], None]


class SubgraphClient:
    """Sends GraphQL requests to subgraphs by name."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        urls: Mapping[str, str],
        *,
        timeout: float = 30.0,
        timeouts: Mapping[str, float] | None = None,
        signer: RequestSigner | None = None,
        observer: FetchObserver | None = None,
        deduplicate: bool = True,
    ) -> None:
        self.http = http
        self.urls = dict(urls)
        self.timeout = timeout
        self.timeouts = dict(timeouts or {})
        self.signer = signer
        self.observer = observer
        self.deduplicate = deduplicate
        self._in_flight: dict[
            tuple[str, bytes, tuple[tuple[str, str], ...]], asyncio.Future[bytes]
        ] = {}

    async def fetch(self, subgraph: str, body: Json, headers: Mapping[str, str]) -> Json:
        """POST `body` to the subgraph; its decoded GraphQL response, or `FetchFailed`.

        With `deduplicate`, a query identical to one already in flight to the same subgraph
        (same body, same forwarded headers) waits for that one's answer instead of being
        sent again; each caller decodes its own copy. Mutations are always sent.
        """
        content = orjson.dumps(body)
        if not self.deduplicate or str(body.get("query", "")).lstrip().startswith("mutation"):
            return _decode(subgraph, await self._send(subgraph, content, headers))
        key = (subgraph, content, tuple(sorted(headers.items())))
        in_flight = self._in_flight.get(key)
        if in_flight is not None:
            return _decode(subgraph, await asyncio.shield(in_flight))
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = future
        try:
            answer = await self._send(subgraph, content, headers)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: waiters re-raise it, nobody else must
            raise
        else:
            future.set_result(answer)
        finally:
            del self._in_flight[key]
        return _decode(subgraph, answer)

    async def _send(self, subgraph: str, content: bytes, headers: Mapping[str, str]) -> bytes:
        request = self.http.build_request(
            "POST",
            self.urls[subgraph],
            content=content,
            headers={
                "content-type": "application/json",
                "accept": "application/graphql-response+json, application/json",
                **headers,
            },
            timeout=self.timeouts.get(subgraph, self.timeout),
        )
        if self.signer is not None:
            self.signer(request)
        started = time.perf_counter()
        try:
            response = await self.http.send(request)
        except httpx.TimeoutException:
            raise FetchFailed(subgraph, "timed out", code="SUBREQUEST_TIMEOUT") from None
        except httpx.HTTPError as error:
            raise FetchFailed(subgraph, f"could not be reached ({type(error).__name__})") from None
        finally:
            if self.observer is not None:
                self.observer(subgraph, time.perf_counter() - started)
        if response.status_code != 200 and not response.content.startswith(b"{"):
            raise FetchFailed(subgraph, f"answered HTTP {response.status_code}")
        return response.content


def _decode(subgraph: str, content: bytes) -> Json:
    try:
        answer: Any = orjson.loads(content)
    except orjson.JSONDecodeError:
        answer = None
    if not isinstance(answer, dict) or not ("data" in answer or "errors" in answer):
        raise FetchFailed(subgraph, "answered without a GraphQL body")
    return answer
