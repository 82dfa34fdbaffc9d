"""Property: every fetch the planner makes is a valid operation for its subgraph.

Queries and mutations are generated from each API schema by hypothesis-graphql, planned,
and each fetch is validated against the SDL of the subgraph it goes to, for every
scenario, every planner test federation and Healthbook's own supergraph.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from graphql import (
    GraphQLScalarType,
    GraphQLSchema,
    StringValueNode,
    parse,
    print_schema,
    specified_scalar_types,
    validate,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, queries

from router.document import prepare_operation
from router.planner import Planner
from router.supergraph import read_supergraph
from router.testing.nodetools import REPO_ROOT
from router.testing.subgraph import executable_schema
from tests.router.planner import federations
from tests.router.scenarios import all_scenarios

HEALTHBOOK = REPO_ROOT / "schema"


@cache
def _federation(name: str) -> tuple[Planner, dict[str, GraphQLSchema]]:
    if name == "healthbook":
        supergraph = read_supergraph((HEALTHBOOK / "supergraph.graphql").read_text())
        sdls = {
            g.name: (HEALTHBOOK / "subgraphs" / f"{g.name}.graphql").read_text()
            for g in supergraph.graphs.values()
        }
    elif name.startswith("planner/"):
        local = name.removeprefix("planner/")
        supergraph = federations.supergraph(local)
        sdls = {n: sdl for n, _url, sdl in federations.subgraph_sdls(local)}
    else:
        scenario = next(s for s in all_scenarios() if s.name == name)
        supergraph = scenario.supergraph()
        sdls = {n: sdl for n, _url, sdl in scenario.subgraph_sdls()}
    return Planner(supergraph), {n: executable_schema(s) for n, s in sdls.items()}


NAMES = (
    [s.name for s in all_scenarios()]
    + [f"planner/{n}" for n in federations.names()]
    + (["healthbook"] if (HEALTHBOOK / "supergraph.graphql").is_file() else [])
)


def _scalars(name: str) -> dict[str, st.SearchStrategy[StringValueNode]]:
    """Custom scalars get an ISO 8601 string: enough to plan, nothing is executed."""
    schema = _federation(name)[0].supergraph.api_schema
    value = st.just(StringValueNode(value="2030-01-02T09:30:00+00:00"))
    return {
        t.name: value
        for t in schema.type_map.values()
        if isinstance(t, GraphQLScalarType) and t.name not in specified_scalar_types
    }


def _check(name: str, query: str) -> None:
    planner, subgraphs = _federation(name)
    prepared = prepare_operation(planner.supergraph.api_schema, query, None)
    plan = planner.plan(prepared.operation, prepared.fragments, {})
    for fetch in plan.fetches:
        errors = validate(subgraphs[fetch.subgraph], parse(fetch.operation))
        assert not errors, f"{fetch.subgraph}: {fetch.operation}\n{errors}\nfor {query}"


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_planned_queries_are_valid_for_their_subgraphs(name: str, data: st.DataObject) -> None:
    api = print_schema(_federation(name)[0].supergraph.api_schema)
    _check(
        name, data.draw(queries(api, custom_scalars=_scalars(name), allow_x00=False, codec="ascii"))
    )


@pytest.mark.parametrize(
    "name", [n for n in NAMES if _federation(n)[0].supergraph.api_schema.mutation_type]
)
@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_planned_mutations_are_valid_for_their_subgraphs(name: str, data: st.DataObject) -> None:
    api = print_schema(_federation(name)[0].supergraph.api_schema)
    _check(
        name,
        data.draw(mutations(api, custom_scalars=_scalars(name), allow_x00=False, codec="ascii")),
    )


def test_the_healthbook_supergraph_is_part_of_the_check() -> None:
    assert Path(HEALTHBOOK / "supergraph.graphql").is_file()
    assert "healthbook" in NAMES
