"""What reaches subgraphs: forwarded headers, the signing hook, variables; mutation order."""

from __future__ import annotations

import asyncio

import httpx

from router.gateway import Gateway, GraphQLRequest
from router.subgraph_client import SignableRequest, SubgraphClient
from tests.router.execution.federation import Federation

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def test_authorization_and_trace_context_are_forwarded_to_every_subgraph(
    shop: Federation,
) -> None:
    await shop.execute(
        "{ me { name reviews { id } } }",
        headers={"authorization": "Bearer t0k", "traceparent": TRACEPARENT, "tracestate": "a=1"},
    )
    for name in ("accounts", "reviews"):
        (headers,) = shop.subgraphs[name].headers
        assert headers["authorization"] == "Bearer t0k"
        # The same trace (the fetch's own span is its parent when spans are recorded).
        assert headers["traceparent"].split("-")[1] == TRACEPARENT.split("-")[1]
        assert headers["tracestate"] == "a=1"


async def test_the_request_signer_sees_every_outgoing_request(shop: Federation) -> None:
    def sign(request: SignableRequest) -> None:
        request.headers["x-signature"] = f"signed:{len(request.content)}"

    await shop.execute("{ me { reviews { id } } }", signer=sign)
    for name in ("accounts", "reviews"):
        (headers,) = shop.subgraphs[name].headers
        assert headers["x-signature"].startswith("signed:")


async def test_variables_are_sent_only_to_the_fetches_using_them(shop: Federation) -> None:
    body = await shop.execute(
        "query Q($id: ID!, $c: String!) { user(id: $id) { name } topProducts(first: 1) { shippingEstimate(currency: $c) } }",  # noqa: E501
        {"id": "2", "c": "CHF"},
    )
    assert body == {
        "data": {"user": {"name": "Alan Turing"}, "topProducts": [{"shippingEstimate": "89 CHF"}]}
    }
    (accounts,) = shop.subgraphs["accounts"].received
    assert accounts["variables"] == {"id": "2"}
    (inventory,) = shop.entity_calls("inventory")
    assert set(inventory["variables"]) == {"c", "representations"}


async def test_mutations_run_one_after_another_in_document_order(shop: Federation) -> None:
    body = await shop.execute(
        'mutation { a: appendLog(text: "a") b: appendLog(text: "b") c: clearLog d: appendLog(text: "d") }'  # noqa: E501
    )
    assert body == {"data": {"a": ["a"], "b": ["a", "b"], "c": ["a", "b"], "d": ["d"]}}


async def test_mutation_results_are_completed_from_other_subgraphs(shop: Federation) -> None:
    body = await shop.execute(
        'mutation { setName(id: "3", name: "Rear Admiral") { name reviews { body } } }'
    )
    assert body == {"data": {"setName": {"name": "Rear Admiral", "reviews": [{"body": "Meh"}]}}}


async def test_identical_queries_in_flight_share_one_subgraph_call(shop: Federation) -> None:
    async with httpx.AsyncClient() as http:
        graphs = {g.name: g.url for g in shop.supergraph.graphs.values()}
        gateway = Gateway(shop.supergraph, SubgraphClient(http, graphs))
        request = GraphQLRequest(query="{ me { name reviews { id } } }")
        bodies = await asyncio.gather(*(gateway.execute(request, headers={}) for _ in range(5)))
    assert all(b.body == bodies[0].body for b in bodies)
    assert bodies[0].body["data"]["me"]["name"] == "Ada Lovelace"
    assert len(shop.subgraphs["accounts"].received) == 1


async def test_mutations_are_never_deduplicated(shop: Federation) -> None:
    async with httpx.AsyncClient() as http:
        graphs = {g.name: g.url for g in shop.supergraph.graphs.values()}
        gateway = Gateway(shop.supergraph, SubgraphClient(http, graphs))
        request = GraphQLRequest(query='mutation { appendLog(text: "x") }')
        await asyncio.gather(*(gateway.execute(request, headers={}) for _ in range(3)))
    assert len(shop.subgraphs["accounts"].received) == 3
