"""Plan an operation over one of the planner test federations (`federations/`) or over an
edge scenario's committed supergraph (`tests/router/scenarios/edge/<name>.graphql`)."""

from __future__ import annotations

from functools import cache

from router.document import coerce_variables, prepare_operation
from router.planner import Planner
from router.supergraph import read_supergraph
from tests.router.planner.federations import supergraph
from tests.router.scenarios.declare import EDGE


@cache
def _planner(name: str) -> Planner:
    return Planner(supergraph(name))


@cache
def _scenario_planner(name: str) -> Planner:
    return Planner(read_supergraph((EDGE / f"{name}.graphql").read_text()))


def described(federation: str, query: str, labels: frozenset[str] = frozenset()) -> str:
    """The plan's `describe()`, with the progressive @override `labels` active."""
    return _described(_planner(federation), query, labels)


def described_scenario(scenario: str, query: str) -> str:
    """The plan's `describe()` on the edge scenario's supergraph."""
    return _described(_scenario_planner(scenario), query, frozenset())


def _described(planner: Planner, query: str, labels: frozenset[str]) -> str:
    prepared = prepare_operation(planner.supergraph.api_schema, query, None)
    variables = coerce_variables(planner.supergraph.api_schema, prepared, None)
    return planner.plan(prepared.operation, prepared.fragments, variables, labels).describe()
