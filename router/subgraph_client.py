"""Calls to subgraphs: one keep-alive pool, forwarded headers, timeouts, a signing hook.

The pool is `router.http_pool` (its cost per request does not grow with the pool); an
`httpx.AsyncClient` may be given instead (tests inject httpx transports that way).
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
import orjson

from router.executor import FetchFailed, Json
from router.http_pool import PoolError, PoolTimeout
from router.subgraph_transport import HttpxSender, Sender
from router.telemetry import fetch_span

__all__ = [
    "FORWARDED_HEADERS",
    "REQUEST_ID",
    "OutgoingRequest",
    "RequestSigner",
    "SignableRequest",
    "SubgraphClient",
    "sharing_key",
]

if importlib.util.find_spec("sniffio") is None:
    # httpcore runs `import sniffio` on every request; when it is not installed each failed
    # import searches sys.path again (~75 searches per federated query). A None entry makes
    # the import fail at once, which is the same answer.
    sys.modules["sniffio"] = None  # type: ignore[assignment]

# Client request headers passed on to every subgraph call.
FORWARDED_HEADERS = ("authorization", "traceparent", "tracestate")
REQUEST_ID = "x-request-id"
"""Set by the router per client request (one id for all its subgraph calls): it names the
request in logs and audit entries, so it is left out of every deduplication key."""


def sharing_key(headers: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The headers that can make a subgraph answer differently (all but the request id)."""
    return tuple(sorted((k, v) for k, v in headers.items() if k.lower() != REQUEST_ID))


class _HasQuery(Protocol):
    @property
    def query(self) -> bytes: ...

    @property
    def path(self) -> str: ...


class SignableRequest(Protocol):
    """What a signer sees of a request: an `httpx.Request` is one, so is `OutgoingRequest`."""

    @property
    def method(self) -> str: ...

    @property
    def url(self) -> _HasQuery: ...

    @property
    def content(self) -> bytes: ...

    @property
    def headers(self) -> MutableMapping[str, str]: ...


@dataclass(frozen=True)
class _Url:
    path: str
    query: bytes


@dataclass
class OutgoingRequest:
    """A subgraph POST about to be sent; a signer may add headers."""

    method: str
    url: _Url
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)


# Applied to every outgoing subgraph request just before it is sent (e.g. to sign it).
RequestSigner = Callable[[SignableRequest], None]
# Told the subgraph name and the seconds a fetch took.
FetchObserver = Callable[[str, float], None]


class SubgraphClient:
    """Sends GraphQL requests to subgraphs by name; `aclose` closes its connections."""

    def __init__(
        self,
        http: Sender | httpx.AsyncClient,
        urls: Mapping[str, str],
        *,
        timeout: float = 30.0,
        timeouts: Mapping[str, float] | None = None,
        signer: RequestSigner | None = None,
        observer: FetchObserver | None = None,
        deduplicate: bool = True,
    ) -> None:
        self.sender: Sender = HttpxSender(http) if isinstance(http, httpx.AsyncClient) else http
        self.urls = dict(urls)
        self._parsed = {name: urlsplit(url) for name, url in self.urls.items()}
        self.timeout = timeout
        self.timeouts = dict(timeouts or {})
        self.signer = signer
        self.observer = observer
        self.deduplicate = deduplicate
        self._in_flight: dict[
            tuple[str, bytes, tuple[tuple[str, str], ...]], asyncio.Future[bytes]
        ] = {}

    async def aclose(self) -> None:
        await self.sender.aclose()

    async def fetch(self, subgraph: str, body: Json, headers: Mapping[str, str]) -> Json:
        """POST `body` to the subgraph; its decoded GraphQL response, or `FetchFailed`.

        With `deduplicate`, a query identical to one already in flight to the same subgraph
        (same body, same forwarded headers) waits for that one's answer instead of being
        sent again; each caller decodes its own copy. Mutations are always sent.
        """
        content = orjson.dumps(body)
        if str(body.get("query", "")).lstrip().startswith("mutation"):
            return _decode(subgraph, await self._send(subgraph, content, headers, idempotent=False))
        if not self.deduplicate:
            return _decode(subgraph, await self._send(subgraph, content, headers))
        key = (subgraph, content, sharing_key(headers))
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

    async def _send(
        self, subgraph: str, content: bytes, headers: Mapping[str, str], *, idempotent: bool = True
    ) -> bytes:
        outgoing = {
            "content-type": "application/json",
            "accept": "application/graphql-response+json, application/json",
            **headers,
        }
        with fetch_span(subgraph, outgoing):
            return await self._post(subgraph, content, outgoing, idempotent=idempotent)

    async def _post(
        self, subgraph: str, content: bytes, outgoing: dict[str, str], *, idempotent: bool
    ) -> bytes:
        if self.signer is not None:
            parts = self._parsed[subgraph]
            request = OutgoingRequest(
                "POST", _Url(parts.path, parts.query.encode()), content, outgoing
            )
            self.signer(request)
        started = time.perf_counter()
        try:
            status, answer = await self.sender.post(
                self.urls[subgraph],
                content,
                outgoing,
                time_limit=self.timeouts.get(subgraph, self.timeout),
                idempotent=idempotent,
            )
        except PoolTimeout:
            raise FetchFailed(subgraph, "timed out", code="SUBREQUEST_TIMEOUT") from None
        except PoolError as error:
            raise FetchFailed(subgraph, f"could not be reached ({error})") from None
        finally:
            if self.observer is not None:
                self.observer(subgraph, time.perf_counter() - started)
        if status != 200 and not answer.startswith(b"{"):
            raise FetchFailed(subgraph, f"answered HTTP {status}")
        return answer


def _decode(subgraph: str, content: bytes) -> Json:
    try:
        answer: Any = orjson.loads(content)
    except orjson.JSONDecodeError:
        answer = None
    if not isinstance(answer, dict) or not ("data" in answer or "errors" in answer):
        raise FetchFailed(subgraph, "answered without a GraphQL body")
    return answer
