"""What planning reads and keeps between operations: the supergraph's query graph and search."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import GraphQLSchema

from router.ownership import Ownership
from router.query_graph import PathSearch, QueryGraph, build_query_graph
from router.supergraph import Supergraph

__all__ = ["PlanningContext"]


@dataclass
class PlanningContext:
    supergraph: Supergraph
    schema: GraphQLSchema
    ownership: Ownership
    graph: QueryGraph
    search: PathSearch
    names: dict[str, str]  # join__Graph id -> subgraph name

    @classmethod
    def of(cls, supergraph: Supergraph) -> PlanningContext:
        ownership = Ownership(supergraph)
        graph = build_query_graph(supergraph, ownership)
        return cls(
            supergraph=supergraph,
            schema=supergraph.schema,
            ownership=ownership,
            graph=graph,
            search=PathSearch(graph, dict(supergraph.schema.type_map)),
            names={g.id: g.name for g in supergraph.graphs.values()},
        )
