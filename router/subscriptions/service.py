"""Any operation as a stream of response bodies, for the streaming transports (WebSocket, SSE):
one body for a query or mutation, one per event for a subscription."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import OperationType

from router.document import RequestError, coerce_variables
from router.edge.guard import Edge
from router.edge.refusal import Refusal
from router.executor import Json
from router.gateway import Gateway, GraphQLRequest, rejected
from router.inflight import request_key
from router.selection import PlanningError
from router.subgraph_client import RequestSigner
from router.subscriptions.federated import federated_events
from router.subscriptions.multiplex import Multiplexer
from router.subscriptions.sharing import SharedStreams
from router.subscriptions.upstream import UpstreamFailed

__all__ = ["OperationRefused", "StreamService", "expiry_of", "upstream_failure"]


class OperationRefused(Exception):
    """The operation cannot start (edge rule, syntax, validation, variables, planning)."""

    def __init__(self, errors: list[Json], status: int = 400) -> None:
        super().__init__("; ".join(str(e.get("message")) for e in errors))
        self.errors = errors
        self.status = status


def upstream_failure(failure: UpstreamFailed) -> list[Json]:
    """The errors a client gets when a subgraph's stream fails or closes early."""
    own: Json = {
        "message": f"Subgraph '{failure.subgraph}' {failure.reason}; the subscription ended.",
        "extensions": {"code": "SUBSCRIPTION_UPSTREAM_FAILED", "serviceName": failure.subgraph},
    }
    return [own, *failure.errors]


def expiry_of(principal: Any) -> float | None:
    """When the caller's access token expires (unix seconds), None without one."""
    claims = getattr(principal, "claims", None) or {}
    exp = claims.get("exp")
    return float(exp) if isinstance(exp, int | float) else None


@dataclass
class StreamService:
    gateway: Callable[[], Gateway | None]
    edge: Edge | None = None
    signer: RequestSigner | None = None
    ping_seconds: float = 15.0
    init_timeout: float = 10.0
    # One shared upstream socket per subgraph (and url) for this router process.
    multiplexers: dict[tuple[str, str], Multiplexer] = field(default_factory=dict)
    # Identical subscriptions (operation, variables, forwarded headers) share one stream;
    # None (ROUTER_SHARE_SUBSCRIPTIONS=false): each client subscription has its own.
    shared: SharedStreams | None = field(default_factory=SharedStreams)

    def multiplexer(self, subgraph: str, url: str) -> Multiplexer:
        mux = self.multiplexers.get((subgraph, url))
        if mux is None:
            mux = Multiplexer(subgraph, url, signer=self.signer, ack_timeout=self.init_timeout)
            self.multiplexers[(subgraph, url)] = mux
        return mux

    async def aclose(self) -> None:
        """Close the upstream sockets (the router is stopping)."""
        for mux in self.multiplexers.values():
            await mux.aclose()
        self.multiplexers.clear()

    def start(
        self, request: GraphQLRequest, headers: Mapping[str, str], *, method: str = "POST"
    ) -> AsyncIterator[Json]:
        """The operation's bodies; `OperationRefused` when it cannot start at all."""
        gateway = self.gateway()
        if gateway is None:
            raise OperationRefused([{"message": "The router is not ready."}], 503)
        try:
            if self.edge is not None:
                request = self.edge.resolve(request)
            prepared = gateway.prepare(request)
            variables = coerce_variables(gateway.schema, prepared, request.variables)
            gateway.plan(prepared, variables)
        except Refusal as refusal:
            raise OperationRefused(refusal.body()["errors"], refusal.status) from None  # type: ignore[arg-type]
        except RequestError as error:
            body = rejected(error, request.operation_name).body
            if self.edge is not None:
                body = self.edge.scrub(body)
            raise OperationRefused(body["errors"]) from None
        except PlanningError as error:
            raise OperationRefused(
                [{"message": str(error), "extensions": {"code": "QUERY_PLANNING_FAILED"}}]
            ) from None
        if method == "GET" and prepared.kind == OperationType.MUTATION:
            raise OperationRefused(
                [{"message": "Only queries may be sent with GET; use POST."}], 405
            )
        if prepared.kind != OperationType.SUBSCRIPTION:
            return self._single(gateway, request, headers)
        client = gateway.client

        def open_upstream(subgraph: str, body: Json) -> AsyncIterator[Json]:
            return self.multiplexer(subgraph, client.urls[subgraph]).subscribe(body, headers)

        async def fetch(subgraph: str, body: Json) -> Json:
            return await client.fetch(subgraph, body, headers)

        def events() -> AsyncIterator[Json]:
            return federated_events(
                gateway, prepared, variables, open_upstream=open_upstream, fetch=fetch
            )

        if self.shared is None:
            return events()
        return self.shared.stream(request_key(prepared.key, variables, headers), events)

    async def _single(
        self, gateway: Gateway, request: GraphQLRequest, headers: Mapping[str, str]
    ) -> AsyncIterator[Json]:
        outcome = await gateway.execute(request, headers=headers)
        yield self.edge.scrub(outcome.body) if self.edge is not None else outcome.body


@contextlib.asynccontextmanager
async def closing(stream: AsyncIterator[Json]) -> AsyncIterator[AsyncIterator[Json]]:
    """Close an async generator when the block ends, however it ends."""
    try:
        yield stream
    finally:
        close = getattr(stream, "aclose", None)
        if close is not None:
            await close()
