"""Run the whole gateway pipeline against canned subgraph answers (no servers)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any, cast

from router.gateway import Gateway, GraphQLRequest
from router.subgraph_client import SubgraphClient
from tests.router.planner.federations import supergraph

Json = dict[str, Any]
Answer = Callable[[str, Json], Json]


class _Canned:
    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.calls: list[tuple[str, Json]] = []

    async def fetch(self, subgraph: str, body: Json, headers: Mapping[str, str]) -> Json:
        self.calls.append((subgraph, body))
        return self.answer(subgraph, body)


def run(federation: str, query: str, answer: Answer) -> tuple[Json, list[tuple[str, Json]]]:
    """The response body, and the requests the subgraphs got."""
    client = _Canned(answer)
    gateway = Gateway(supergraph(federation), cast(SubgraphClient, client))
    outcome = asyncio.run(gateway.execute(GraphQLRequest(query), headers={}))
    return outcome.body, client.calls
