"""`declare.Reference`: a declared scenario's answer as one plain schema over its world."""

from __future__ import annotations

from graphql import print_schema

from tests.router.scenarios.edge import requires, type_mismatch


def _answer(scenario_name: str, query: str) -> dict[str, object]:
    scenario = {s.name: s for s in [*requires.SCENARIOS, *type_mismatch.SCENARIOS]}[scenario_name]
    api_sdl = print_schema(scenario.supergraph().api_schema)
    answer: dict[str, object] = scenario.extra["reference"].answer(api_sdl, query)
    return answer


def test_a_field_required_from_another_subgraph_is_computed_from_the_world() -> None:
    assert _answer("requires_fragment_union", "{ deliveries { eta } }") == {
        "data": {"deliveries": [{"eta": 3}, {"eta": 7}]}
    }


def test_an_interface_field_is_typed_from_the_rows_typename() -> None:
    query = "{ favourite { first { name ... on Video { resolution } ... on Track { seconds } } } }"
    assert _answer("type_interface_vs_object", query) == {
        "data": {"favourite": {"first": {"name": "Intro", "seconds": 60}}}
    }


def test_an_invalid_operation_is_answered_with_errors_only() -> None:
    answer = _answer("type_interface_vs_object", "{ favourite { nope } }")
    assert "data" not in answer
    assert answer["errors"]
