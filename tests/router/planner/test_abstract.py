"""Interfaces and unions whose members live in different subgraphs."""

from __future__ import annotations

from tests.router.planner.plans import plan


def test_abstract_fields_are_fetched_per_member_with_their_typename() -> None:
    (media, people) = plan("abstract", "{ media { title ... on Book { rating } } }").fetches
    assert media.operation == (
        "query { media { __typename ... on Book { title __typename id } ... on Movie { title } } }"
    )
    assert [r.typename for r in people.representations] == ["Book"]
    assert people.path == ("media", "@")


def test_union_members_known_to_one_subgraph_only_are_asked_there() -> None:
    fetches = plan(
        "abstract", "{ lookup { ... on Book { title } ... on Person { name } } }"
    ).fetches
    assert [(f.subgraph, f.path) for f in fetches] == [
        ("people", ()),
        ("media", ("lookup", "@")),
    ]
    assert "... on Person { name }" in fetches[0].operation


def test_members_the_subgraph_cannot_return_are_not_asked_for() -> None:
    (fetch,) = plan("abstract", "{ search { ... on Person { name } __typename } }").fetches
    assert "Person" not in fetch.operation
