"""The public gateways-benchmark workload answers exactly the expected response."""

from __future__ import annotations

import orjson

from bench.gateways.subgraphs import SUBGRAPHS, WORKLOAD, create_subgraphs_app
from router.supergraph import load_supergraph
from router.testing.servers import running
from tests.router.execution.federation import Federation


async def test_the_benchmark_query_gives_the_expected_response() -> None:
    with running(create_subgraphs_app()) as base:
        overrides = {name.upper(): f"{base}/{name}" for name in SUBGRAPHS}
        supergraph = load_supergraph(WORKLOAD / "supergraph.graphql", overrides)
        body = await Federation(supergraph, {}).execute((WORKLOAD / "query.graphql").read_text())
    expected = orjson.loads((WORKLOAD / "expected-response.json").read_bytes())
    assert orjson.dumps(body) == orjson.dumps(expected)
