"""Serial mutation fields stop at the first failure that nulls the response."""

from __future__ import annotations

from typing import Any

import httpx
from graphql import GraphQLError

from router.gateway import Gateway, GraphQLRequest
from router.subgraph_client import SubgraphClient
from router.testing.servers import running, subgraphs_app
from router.testing.subgraph import SubgraphSpec
from tests.router.scenarios import shop


async def test_a_failed_non_null_mutation_field_stops_the_fields_after_it() -> None:
    specs = shop.build()
    calls: list[str] = []

    def append_log(_root: Any, _info: Any, text: str) -> list[str]:
        calls.append(text)
        if text.startswith("wrong"):
            raise GraphQLError("Wrong password.", extensions={"code": "UNAUTHENTICATED"})
        return [text]

    def clear_log(_root: Any, _info: Any) -> list[str]:
        calls.append("clear")
        return []

    by_name = {s.name: s for s in specs if isinstance(s, SubgraphSpec)}
    by_name["accounts"].resolvers["Mutation.appendLog"] = append_log  # type: ignore[index]
    by_name["reviews"].resolvers["Mutation.clearLog"] = clear_log  # type: ignore[index]
    query = (
        'mutation { a0: appendLog(text: "wrong-0") n0: clearLog '
        'a1: appendLog(text: "wrong-1") n1: clearLog a2: appendLog(text: "wrong-2") }'
    )
    with running(subgraphs_app(specs)) as base:
        supergraph = shop.SCENARIO.supergraph(base)
        async with httpx.AsyncClient() as http:
            graphs = {g.name: g.url for g in supergraph.graphs.values()}
            gateway = Gateway(supergraph, SubgraphClient(http, graphs))
            outcome = await gateway.execute(GraphQLRequest(query=query), headers={})
    assert outcome.body["data"] is None
    assert [e["extensions"]["code"] for e in outcome.body["errors"]] == ["UNAUTHENTICATED"]
    assert calls == ["wrong-0"]  # one password checked, nothing run after it


async def test_a_nullable_mutation_field_that_fails_does_not_stop_the_next() -> None:
    specs = shop.build()
    by_name = {s.name: s for s in specs if isinstance(s, SubgraphSpec)}

    def set_name(_root: Any, _info: Any, id: str, name: str) -> None:
        raise GraphQLError("No such user", extensions={"code": "NOT_FOUND"})

    by_name["accounts"].resolvers["Mutation.setName"] = set_name  # type: ignore[index]
    query = 'mutation { s: setName(id: "9", name: "x") { id } c: clearLog }'
    with running(subgraphs_app(specs)) as base:
        supergraph = shop.SCENARIO.supergraph(base)
        async with httpx.AsyncClient() as http:
            graphs = {g.name: g.url for g in supergraph.graphs.values()}
            gateway = Gateway(supergraph, SubgraphClient(http, graphs))
            outcome = await gateway.execute(GraphQLRequest(query=query), headers={})
    assert outcome.body["data"] == {"s": None, "c": []}
