"""Plan an operation over one of the planner test federations (`federations/`)."""

from __future__ import annotations

from functools import cache

from router.document import coerce_variables, prepare_operation
from router.planner import Planner
from tests.router.planner.federations import supergraph


@cache
def _planner(name: str) -> Planner:
    return Planner(supergraph(name))


def described(federation: str, query: str, labels: frozenset[str] = frozenset()) -> str:
    """The plan's `describe()`, with the progressive @override `labels` active."""
    planner = _planner(federation)
    prepared = prepare_operation(planner.supergraph.api_schema, query, None)
    variables = coerce_variables(planner.supergraph.api_schema, prepared, None)
    return planner.plan(prepared.operation, prepared.fragments, variables, labels).describe()
