"""Calls to subgraphs: one pooled httpx client, forwarded headers, timeouts, a signing hook."""

from __future__ import annotations

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
    ) -> None:
        self.http = http
        self.urls = dict(urls)
        self.timeout = timeout
        self.timeouts = dict(timeouts or {})
        self.signer = signer
        self.observer = observer

    async def fetch(self, subgraph: str, body: Json, headers: Mapping[str, str]) -> Json:
        """POST `body` to the subgraph; its decoded GraphQL response, or `FetchFailed`."""
        request = self.http.build_request(
            "POST",
            self.urls[subgraph],
            content=orjson.dumps(body),
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
        try:
            answer: Any = orjson.loads(response.content)
        except orjson.JSONDecodeError:
            answer = None
        if not isinstance(answer, dict) or not ("data" in answer or "errors" in answer):
            raise FetchFailed(
                subgraph, f"answered HTTP {response.status_code} without a GraphQL body"
            )
        return answer
