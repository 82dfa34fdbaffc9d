"""Plan an operation into subgraph fetches (the query-graph planner in `router.planning`)."""

from __future__ import annotations

from router.planning.planner import GraphPlanner as Planner
from router.selection import PlanningError

__all__ = ["Planner", "PlanningError"]
