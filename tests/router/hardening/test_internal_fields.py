"""`slotAvailability` is internal: off the client API, still served to the appointments subgraph."""

from __future__ import annotations

import httpx

from healthbook.components import SUPERGRAPH_PATH
from router.gateway import Gateway, GraphQLRequest
from router.subgraph_client import SubgraphClient
from router.supergraph import load_supergraph


def test_the_api_schema_has_no_slot_availability() -> None:
    supergraph = load_supergraph(SUPERGRAPH_PATH)
    assert "slotAvailability" in supergraph.schema.query_type.fields  # type: ignore[union-attr]
    assert "slotAvailability" not in supergraph.api_schema.query_type.fields  # type: ignore[union-attr]
    assert supergraph.api_schema.get_type("SlotCheck") is None


async def test_a_client_asking_for_it_is_refused_before_any_fetch() -> None:
    supergraph = load_supergraph(SUPERGRAPH_PATH)
    asked: list[httpx.Request] = []

    def subgraph(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        return httpx.Response(200, json={"data": {}})

    graphs = {g.name: g.url for g in supergraph.graphs.values()}
    async with httpx.AsyncClient(transport=httpx.MockTransport(subgraph)) as http:
        gateway = Gateway(supergraph, SubgraphClient(http, graphs))
        query = '{ slotAvailability(doctorId: "d", start: "2030-01-01T09:00:00Z") { available } }'
        outcome = await gateway.execute(GraphQLRequest(query=query), headers={})
    assert outcome.body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert asked == []
