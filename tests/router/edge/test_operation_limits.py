"""Token, depth, alias and root-field limits; introspection and suggestions by environment."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from router.edge.config import EdgeConfig
from router.edge.limits import measure
from tests.router.edge.support import edge_app


def _code(response: Any) -> str:
    code: str = response.json()["errors"][0]["extensions"]["code"]
    return code


@pytest.mark.parametrize(
    ("changes", "query", "code"),
    [
        ({"max_tokens": 5}, "{ me { id name username birthday } }", "MAX_TOKENS_EXCEEDED"),
        ({"max_depth": 2}, "{ topProducts { reviews { body } } }", "MAX_DEPTH_EXCEEDED"),
        ({"max_aliases": 1}, "{ a: me { id } b: me { x: id } }", "MAX_ALIASES_EXCEEDED"),
        ({"max_root_fields": 1}, "{ me { id } users { id } }", "MAX_ROOT_FIELDS_EXCEEDED"),
    ],
)
def test_operations_over_a_limit_are_refused_with_its_code(
    changes: dict[str, Any], query: str, code: str
) -> None:
    with TestClient(edge_app(**changes)) as client:
        response = client.post("/graphql", json={"query": query})
        assert response.status_code == 400
        assert _code(response) == code


def test_limits_follow_fragments_and_ignore_fragment_cycles() -> None:
    with TestClient(edge_app(max_depth=2)) as client:
        deep = "query { ...F } fragment F on Query { topProducts { reviews { body } } }"
        assert _code(client.post("/graphql", json={"query": deep})) == "MAX_DEPTH_EXCEEDED"
        cycle = "{ me { ...A } } fragment A on User { id ...B } fragment B on User { ...A }"
        # The edge does not loop; validation then refuses the cycle.
        response = client.post("/graphql", json={"query": cycle})
        assert _code(response) == "GRAPHQL_VALIDATION_FAILED"


def test_operations_within_limits_run() -> None:
    with TestClient(edge_app(max_depth=2, max_root_fields=1)) as client:
        response = client.post("/graphql", json={"query": "{ me { id } }"})
        assert response.json() == {"data": {"me": {"id": "1"}}}


def test_introspection_depth_does_not_count_against_the_depth_limit() -> None:
    shape = measure_query("{ __schema { types { fields { type { ofType { name } } } } } }")
    assert shape.depth == 0
    assert shape.introspection


def measure_query(query: str) -> Any:
    from graphql import parse

    return measure(parse(query))


def test_production_refuses_introspection_and_hides_suggestions() -> None:
    config = EdgeConfig.from_env({"HEALTHBOOK_ENV": "production"})
    assert not config.introspection
    assert not config.field_suggestions
    with TestClient(edge_app(introspection=False, field_suggestions=False)) as client:
        response = client.post("/graphql", json={"query": "{ __schema { queryType { name } } }"})
        assert response.status_code == 400
        assert _code(response) == "INTROSPECTION_DISABLED"
        nested = '{ me { id __type(name: "User") { name } } }'
        assert _code(client.post("/graphql", json={"query": nested})) == "INTROSPECTION_DISABLED"
        typo = client.post("/graphql", json={"query": "{ me { nam } }"}).json()
        assert "Did you mean" not in typo["errors"][0]["message"]
        typename = client.post("/graphql", json={"query": "{ __typename }"})
        assert typename.json() == {"data": {"__typename": "Query"}}


def test_development_answers_introspection_and_suggests_fields() -> None:
    config = EdgeConfig.from_env({})
    assert config.introspection
    assert config.field_suggestions
    with TestClient(edge_app()) as client:
        response = client.post("/graphql", json={"query": "{ __schema { queryType { name } } }"})
        assert response.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
        typo = client.post("/graphql", json={"query": "{ me { nam } }"}).json()
        assert "Did you mean" in typo["errors"][0]["message"]
