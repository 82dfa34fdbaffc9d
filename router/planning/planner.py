"""The planner's entry point: operations in, `QueryPlan`s out, for one supergraph."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import FragmentDefinitionNode, OperationDefinitionNode

from router.fetch_groups import to_fetches
from router.plan import QueryPlan
from router.planning.context import PlanningContext
from router.planning.walk import Walk
from router.selection import PlanningError
from router.supergraph import Supergraph

__all__ = ["GraphPlanner", "PlanningError"]


class GraphPlanner:
    """Turns operations into `QueryPlan`s over the supergraph's query graph."""

    def __init__(self, supergraph: Supergraph) -> None:
        self.supergraph = supergraph
        self.context = PlanningContext.of(supergraph)

    def plan(
        self,
        operation: OperationDefinitionNode,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> QueryPlan:
        """Plan `operation`; `variables` decide its `@skip`/`@include` conditions."""
        walk = Walk(self.context, operation, dict(fragments), dict(variables))
        groups = walk.run()
        fetches = to_fetches(groups, operation, self.context.names)
        return QueryPlan(kind=operation.operation.value, fetches=fetches)
