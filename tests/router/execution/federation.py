"""Run a scenario's subgraphs on loopback and execute operations through a `Gateway`."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from router.gateway import Gateway, GraphQLRequest
from router.subgraph_client import RequestSigner, SubgraphClient
from router.supergraph import Supergraph
from router.testing.servers import running, subgraphs_app
from router.testing.subgraph import SubgraphSpec
from tests.router.scenarios import Scenario, all_scenarios


@dataclass
class Federation:
    supergraph: Supergraph
    subgraphs: dict[str, SubgraphSpec]

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        timeouts: Mapping[str, float] | None = None,
        signer: RequestSigner | None = None,
        urls: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """The response body the router gives for the operation."""
        async with httpx.AsyncClient() as http:
            graphs = {g.name: g.url for g in self.supergraph.graphs.values()}
            client = SubgraphClient(
                http, {**graphs, **(urls or {})}, timeouts=timeouts, signer=signer
            )
            gateway = Gateway(self.supergraph, client)
            request = GraphQLRequest(query=query, variables=variables)
            outcome = await gateway.execute(request, headers=headers or {})
            return outcome.body

    def entity_calls(self, subgraph: str) -> list[dict[str, Any]]:
        return [b for b in self.subgraphs[subgraph].received if "_entities" in b["query"]]


@contextlib.contextmanager
def federation(name: str) -> Iterator[Federation]:
    scenario: Scenario = next(s for s in all_scenarios() if s.name == name)
    specs = scenario.build()
    with running(subgraphs_app(specs)) as base:
        yield Federation(
            scenario.supergraph(base),
            {s.name: s for s in specs if isinstance(s, SubgraphSpec)},
        )
