"""The one way a subgraph process is assembled: GraphQL, health, metrics, middleware, relay."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route, WebSocketRoute

from subgraphs.shared.graphql import GraphQLView, Schema, build_schema
from subgraphs.shared.health import Check, health_routes
from subgraphs.shared.metrics import GraphQLMetrics
from subgraphs.shared.middleware import RequestContext, RequireSignature
from subgraphs.shared.relay import OutboxRelay
from subgraphs.shared.resources import Resources
from subgraphs.shared.signing import NonceLedger


@dataclass
class SubgraphSpec:
    """What a subgraph contributes: its name, how to build its schema, and extra routes."""

    name: str
    schema: Callable[[GraphQLMetrics], Schema]
    routes: Callable[[Resources], Sequence[BaseRoute]] = lambda _: ()
    on_start: Callable[[Resources], Awaitable[None]] | None = None
    background: Callable[[Resources], Sequence[Coroutine[Any, Any, None]]] = lambda _: ()
    """Loops to run while the app serves (started after `on_start`, cancelled at shutdown)."""


def schema_factory(
    *,
    query: type,
    mutation: type | None = None,
    subscription: type | None = None,
    types: Sequence[type] = (),
) -> Callable[[GraphQLMetrics], Schema]:
    """A `SubgraphSpec.schema` builder for the given root types."""

    def build(metrics: GraphQLMetrics) -> Schema:
        return build_schema(
            query=query,
            mutation=mutation,
            subscription=subscription,
            types=types,
            extensions=[metrics.extension()],
        )

    return build


def create_subgraph_app(spec: SubgraphSpec, resources: Resources) -> Starlette:
    """The Starlette app of one subgraph over already-opened resources."""
    settings = resources.settings
    metrics = GraphQLMetrics(spec.name)
    view = GraphQLView(spec.schema(metrics), resources, graphiql=not settings.production)
    checks: dict[str, Check] = {"database": resources.database.ping, "cache": resources.cache.ping}
    if resources.bus is not None and settings.broker_url:
        bus = resources.bus
        checks["broker"] = lambda: asyncio.to_thread(_broker_ping, bus.broker)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        tasks: list[asyncio.Task[None]] = []
        if spec.on_start is not None:
            await spec.on_start(resources)
        for index, loop in enumerate(spec.background(resources)):
            tasks.append(asyncio.create_task(loop, name=f"{spec.name}-background-{index}"))
        if resources.bus is not None:
            relay = OutboxRelay(
                resources.database, resources.bus, poll_seconds=settings.outbox_poll_seconds
            )
            resources.extras["relay"] = relay
            tasks.append(asyncio.create_task(relay.run_forever(), name=f"{spec.name}-relay"))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await resources.close()

    middleware = [Middleware(RequestContext, component=spec.name)]
    if settings.signing_key:
        nonces = NonceLedger(resources.cache)  # Redis when configured: shared by replicas
        middleware.append(Middleware(RequireSignature, key=settings.signing_key, nonces=nonces))
    routes: list[BaseRoute] = [
        Route("/graphql", view, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", view),
        *health_routes(checks),
        metrics.route(),
        *spec.routes(resources),
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def _broker_ping(broker: object) -> None:
    channel = getattr(broker, "channel", None)
    if channel is None:
        raise RuntimeError("broker has no channel")
    if not channel.is_open:
        raise RuntimeError("broker channel closed")
