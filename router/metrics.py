"""Prometheus metrics of one router: requests, latency, errors per operation, subgraph fetches."""

from __future__ import annotations

import re

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

__all__ = ["MAX_OPERATIONS", "RouterMetrics"]

# Operation names come from clients: the label keeps the first MAX_OPERATIONS distinct valid
# names a router sees (the application's own operations, persisted or not) and counts every
# later or malformed one as "other", so a client inventing names cannot grow the series.
MAX_OPERATIONS = 200
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")

_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class RouterMetrics:
    """A registry of its own per router, so that several routers can live in one process."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.operations: set[str] = set()
        self.requests = Counter(
            "router_requests",
            "GraphQL requests served, by operation name and HTTP status.",
            ["operation", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "router_request_duration_seconds",
            "Time to answer a GraphQL request, by operation name.",
            ["operation"],
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "router_response_errors",
            "GraphQL errors in responses, by operation name.",
            ["operation"],
            registry=self.registry,
        )
        self.fetches = Histogram(
            "router_subgraph_fetch_duration_seconds",
            "Time of one subgraph call, by subgraph.",
            ["subgraph"],
            buckets=_BUCKETS,
            registry=self.registry,
        )

    def observe_request(
        self, operation: str | None, status: int, seconds: float, errors: int
    ) -> None:
        name = self.operation_label(operation)
        self.requests.labels(name, str(status)).inc()
        self.latency.labels(name).observe(seconds)
        if errors:
            self.errors.labels(name).inc(errors)

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

    def observe_fetch(self, subgraph: str, seconds: float) -> None:
        self.fetches.labels(subgraph).observe(seconds)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
