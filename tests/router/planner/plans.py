"""Plan an operation over a scenario's committed supergraph (no subgraphs, no node needed)."""

from __future__ import annotations

from functools import cache
from typing import Any

from router.document import coerce_variables, prepare_operation
from router.plan import QueryPlan
from router.planner import Planner
from tests.router.scenarios import all_scenarios


@cache
def planner(scenario: str) -> Planner:
    found = next(s for s in all_scenarios() if s.name == scenario)
    return Planner(found.supergraph())


def plan(scenario: str, query: str, variables: dict[str, Any] | None = None) -> QueryPlan:
    p = planner(scenario)
    prepared = prepare_operation(p.supergraph.api_schema, query, None)
    coerced = coerce_variables(p.supergraph.api_schema, prepared, variables)
    return p.plan(prepared.operation, prepared.fragments, coerced)


def text(scenario: str, query: str, variables: dict[str, Any] | None = None) -> str:
    return plan(scenario, query, variables).describe()


def lines(block: str) -> str:
    """Dedent an expected plan written in a test."""
    import textwrap

    return textwrap.dedent(block).strip("\n")
