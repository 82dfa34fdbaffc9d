"""Prometheus metrics per process: GraphQL operations counted and timed, errors by code."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from strawberry.extensions import SchemaExtension

# Operation names arrive from callers: keep the first MAX_OPERATIONS distinct valid names
# and count the rest as "other", so the series cannot grow without bound.
MAX_OPERATIONS = 200
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")


class GraphQLMetrics:
    """The metrics of one component, in a registry of its own."""

    def __init__(self, component: str) -> None:
        self.registry = CollectorRegistry()
        labels = ("component", "operation", "type")
        self.requests = Counter(
            "graphql_requests_total", "GraphQL operations executed", labels, registry=self.registry
        )
        self.errors = Counter(
            "graphql_errors_total",
            "GraphQL errors returned, by code",
            (*labels, "code"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "graphql_request_duration_seconds",
            "Time to execute a GraphQL operation",
            labels,
            registry=self.registry,
        )
        self.component = component
        self.operations: set[str] = set()

    def operation_label(self, operation: str | None) -> str:
        """The bounded label of an operation name."""
        if not operation:
            return "anonymous"
        if operation in self.operations:
            return operation
        if _NAME.fullmatch(operation) and len(self.operations) < MAX_OPERATIONS:
            self.operations.add(operation)
            return operation
        return "other"

    def extension(self) -> type[SchemaExtension]:
        """A Strawberry extension class that records into these metrics."""
        metrics = self

        class RecordMetrics(SchemaExtension):
            def on_operation(self) -> Iterator[None]:
                started = time.perf_counter()
                yield
                context = self.execution_context
                operation = metrics.operation_label(context.operation_name)
                kind = context.operation_type.value if context.operation_type else "unknown"
                labels = (metrics.component, operation, kind)
                metrics.requests.labels(*labels).inc()
                metrics.latency.labels(*labels).observe(time.perf_counter() - started)
                result = context.result
                for error in getattr(result, "errors", None) or ():
                    code = str((error.extensions or {}).get("code", "INTERNAL_SERVER_ERROR"))
                    metrics.errors.labels(*labels, code).inc()

        return RecordMetrics

    def route(self) -> Route:
        async def endpoint(_: Request) -> Response:
            return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)

        return Route("/metrics", endpoint)
