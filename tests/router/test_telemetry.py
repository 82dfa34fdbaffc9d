"""The router's spans: the request continues the client's trace, the plan and each subgraph
fetch are its children, and the subgraph receives the fetch span as its parent."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import orjson
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from router import telemetry
from router.app import create_app
from router.config import RouterConfig
from router.testing.servers import running
from tests.router.scenarios import all_scenarios

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CLIENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
received: list[str] = []


def _subgraphs(request: httpx.Request) -> httpx.Response:
    received.append(request.headers.get("traceparent", ""))
    assert orjson.loads(request.content)["query"]
    return httpx.Response(200, json={"data": {"me": {"id": "1", "name": "Ada"}}})


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    telemetry.use_provider(provider)
    yield exporter
    telemetry.use_provider(None)


def test_a_request_is_one_trace_from_the_client_to_the_subgraph(
    spans: InMemorySpanExporter,
) -> None:
    shop = next(s for s in all_scenarios() if s.name == "shop")
    app = create_app(
        RouterConfig(), supergraph=shop.supergraph(), transport=httpx.MockTransport(_subgraphs)
    )
    received.clear()
    with running(app) as base:
        response = httpx.post(
            f"{base}/graphql",
            json={"query": "query Me { me { id name } }", "operationName": "Me"},
            headers={"traceparent": CLIENT},
        )
    assert response.status_code == 200
    by_name = {span.name: span for span in spans.get_finished_spans()}
    request = by_name["POST /graphql"]
    plan = by_name["graphql.plan"]
    [fetch] = [span for name, span in by_name.items() if name.startswith("graphql.fetch ")]
    assert format(request.context.trace_id, "032x") == TRACE_ID
    assert request.parent is not None
    assert format(request.parent.span_id, "016x") == "00f067aa0ba902b7"
    assert request.attributes is not None
    assert request.attributes["graphql.operation.name"] == "Me"
    assert request.attributes["http.response.status_code"] == 200
    for child in (plan, fetch):
        assert child.parent is not None
        assert child.parent.span_id == request.context.span_id
    [traceparent] = received
    assert traceparent == f"00-{TRACE_ID}-{format(fetch.context.span_id, '016x')}-01"


def test_without_a_tracer_the_clients_context_still_reaches_the_subgraph() -> None:
    shop = next(s for s in all_scenarios() if s.name == "shop")
    app = create_app(
        RouterConfig(), supergraph=shop.supergraph(), transport=httpx.MockTransport(_subgraphs)
    )
    received.clear()
    with running(app) as base:
        httpx.post(f"{base}/graphql", json={"query": "{ me { id } }"},
                   headers={"traceparent": CLIENT})  # fmt: skip
    assert [value.split("-")[1] for value in received] == [TRACE_ID]
