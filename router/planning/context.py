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
    active_labels: frozenset[str] = frozenset()  # progressive @override labels in effect

    @classmethod
    def of(
        cls, supergraph: Supergraph, active_labels: frozenset[str] = frozenset()
    ) -> PlanningContext:
        """The query graph and search with the progressive `@override` labels `active_labels`
        in effect (fields move to the overriding subgraph only under their active labels)."""
        ownership = Ownership(supergraph, active_labels)
        graph = build_query_graph(supergraph, ownership)
        return cls(
            supergraph=supergraph,
            schema=supergraph.schema,
            ownership=ownership,
            graph=graph,
            search=PathSearch(graph, dict(supergraph.schema.type_map)),
            names={g.id: g.name for g in supergraph.graphs.values()},
            active_labels=active_labels,
        )
