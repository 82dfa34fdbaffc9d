"""OpenTelemetry spans of the router: one per request, the plan, each subgraph fetch.

The request span continues the client's trace (`traceparent`, when it sends one); each
fetch span's context goes to the subgraph as `traceparent`, so a trace shows router →
subgraph → outbox → broker → worker as one tree (the subgraphs and the worker continue it).
Spans are exported by the process's tracer provider (`configure_tracing` at start); without
one they cost nothing and the incoming context is still passed on.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager

from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["TracingMiddleware", "fetch_span", "name_operation", "plan_span", "use_provider"]

_provider: trace.TracerProvider | None = None


def use_provider(provider: trace.TracerProvider | None) -> None:
    """Record spans with `provider` instead of the global one (tests; None: global)."""
    global _provider
    _provider = provider


def _tracer() -> trace.Tracer:
    return (_provider or trace.get_tracer_provider()).get_tracer("healthbook.router")


class TracingMiddleware:
    """ASGI middleware: a SERVER span around every HTTP request and WebSocket session."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope["path"].startswith("/health/"):
            await self.app(scope, receive, send)
            return
        parent = propagate.extract(dict(Headers(scope=scope).items()))
        method = scope.get("method", "WEBSOCKET")
        with _tracer().start_as_current_span(
            f"{method} {scope['path']}",
            context=parent,
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method, "url.path": scope["path"]},
        ) as span:

            async def traced_send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    status = int(message["status"])
                    span.set_attribute("http.response.status_code", status)
                    if status >= 500:
                        span.set_status(Status(StatusCode.ERROR))
                await send(message)

            await self.app(scope, receive, traced_send)


def name_operation(operation: str | None, kind: str) -> None:
    """Name the current request span after the GraphQL operation."""
    span = trace.get_current_span()
    span.set_attribute("graphql.operation.type", kind)
    if operation:
        span.set_attribute("graphql.operation.name", operation)


@contextmanager
def plan_span() -> Iterator[None]:
    with _tracer().start_as_current_span("graphql.plan"):
        yield


@contextmanager
def fetch_span(subgraph: str, headers: MutableMapping[str, str]) -> Iterator[None]:
    """A CLIENT span for one subgraph call; its context is written into `headers`.

    Its parent is the current request span or, where there is none (a gateway used without
    the middleware), the trace the client sent in `headers`: a fetch never starts a new trace.
    """
    current = trace.get_current_span().get_span_context()
    parent = None if current.is_valid else propagate.extract(headers)
    with _tracer().start_as_current_span(
        f"graphql.fetch {subgraph}",
        context=parent,
        kind=SpanKind.CLIENT,
        attributes={"graphql.subgraph": subgraph},
    ):
        propagate.inject(headers)
        yield
