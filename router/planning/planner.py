"""The planner's entry point: operations in, `QueryPlan`s out, for one supergraph."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import FragmentDefinitionNode, OperationDefinitionNode

from router.cache import LRUCache
from router.fetch_groups import to_fetches
from router.plan import QueryPlan
from router.planning.context import PlanningContext
from router.planning.walk import Walk
from router.selection import PlanningError
from router.supergraph import Supergraph

__all__ = ["GraphPlanner", "PlanningError"]


# Query graphs kept for distinct sets of active progressive @override labels (besides none).
LABELLED_CONTEXTS = 16


class GraphPlanner:
    """Turns operations into `QueryPlan`s over the supergraph's query graph."""

    def __init__(self, supergraph: Supergraph) -> None:
        self.supergraph = supergraph
        self.context = PlanningContext.of(supergraph)
        self._labelled: LRUCache[frozenset[str], PlanningContext] = LRUCache(LABELLED_CONTEXTS)

    def plan(
        self,
        operation: OperationDefinitionNode,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        labels: frozenset[str] = frozenset(),
    ) -> QueryPlan:
        """Plan `operation`; `variables` decide its `@skip`/`@include` conditions, `labels`
        are the progressive `@override` labels active for this request."""
        context = self.context_for(labels)
        walk = Walk(context, operation, dict(fragments), dict(variables))
        groups = walk.run()
        fetches = to_fetches(groups, operation, context.names)
        return QueryPlan(kind=operation.operation.value, fetches=fetches)

    def context_for(self, labels: frozenset[str]) -> PlanningContext:
        """The query graph with `labels` in effect (built once per label set, bounded)."""
        if not labels:
            return self.context
        context = self._labelled.get(labels)
        if context is None:
            context = PlanningContext.of(self.supergraph, labels)
            self._labelled.put(labels, context)
        return context
