"""The API schema: what clients see of a supergraph."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import build_schema, lexicographic_sort_schema, print_schema

from router.testing.nodetools import compose
from tests.router.scenarios import Scenario, all_scenarios

SCENARIOS = {s.name: s for s in all_scenarios()}


def test_federation_machinery_is_not_part_of_the_api() -> None:
    api = print_schema(SCENARIOS["shop"].supergraph().api_schema)
    assert "join__" not in api
    assert "link" not in api
    assert "@" not in api


def test_inaccessible_types_and_fields_are_removed() -> None:
    api = SCENARIOS["override"].supergraph().api_schema
    assert api.get_type("Internal") is None
    assert "secret" not in api.get_type("Post").fields  # type: ignore[union-attr]
    assert "internal" not in api.query_type.fields  # type: ignore[union-attr]


@pytest.mark.node
@pytest.mark.parametrize("scenario", all_scenarios(), ids=lambda s: s.name)
def test_api_schema_equals_the_composition_librarys_public_schema(
    scenario: Scenario, node_tooling: Path
) -> None:
    theirs = build_schema(compose(scenario.subgraph_sdls(), public=True))
    ours = scenario.supergraph().api_schema
    assert print_schema(lexicographic_sort_schema(ours)) == print_schema(
        lexicographic_sort_schema(theirs)
    )


@pytest.mark.node
@pytest.mark.parametrize("scenario", all_scenarios(), ids=lambda s: s.name)
def test_committed_scenario_supergraphs_are_fresh(scenario: Scenario, node_tooling: Path) -> None:
    assert scenario.supergraph_file.read_text() == compose(scenario.subgraph_sdls()), (
        "recompose with `python -m tests.router.scenarios`"
    )
