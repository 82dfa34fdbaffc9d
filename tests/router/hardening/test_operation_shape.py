"""Limits count the operation as executed: fragments expanded, with a cap on the expansion."""

from __future__ import annotations

from graphql import parse
from starlette.testclient import TestClient

from router.edge.limits import measure
from tests.router.edge.support import edge_app


def _aliases_behind_spreads(spreads: int, aliases: int) -> str:
    fields = " ".join(f"a{i}: id" for i in range(aliases))
    uses = " ".join("...F" for _ in range(spreads))
    return f"{{ me {{ {uses} }} }} fragment F on User {{ {fields} }}"


def test_aliases_behind_a_spread_count_once_per_spread() -> None:
    # The walk-around: 16 aliases behind 15 spreads passed a limit of 30.
    assert measure(parse(_aliases_behind_spreads(15, 16))).aliases == 240
    with TestClient(edge_app(max_aliases=30)) as client:
        response = client.post("/graphql", json={"query": _aliases_behind_spreads(15, 16)})
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "MAX_ALIASES_EXCEEDED"


def test_root_fields_and_depth_count_what_the_fragments_bring() -> None:
    shape = measure(parse("{ ...R ...R } fragment R on Query { a: me { id } b: me { id } }"))
    assert shape.root_fields == 4
    assert shape.aliases == 4


def test_a_fragment_bomb_is_refused_without_expanding_it() -> None:
    levels = ["fragment F0 on User { id }"]
    for i in range(1, 30):  # each level doubles: 2**29 selections if expanded
        levels.append(f"fragment F{i} on User {{ ...F{i - 1} ...F{i - 1} }}")
    query = "{ me { ...F29 } } " + " ".join(levels)
    assert measure(parse(query)).expanded_too_far
    with TestClient(edge_app(max_tokens=100_000)) as client:
        response = client.post("/graphql", json={"query": query})
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "MAX_EXPANSION_EXCEEDED"
