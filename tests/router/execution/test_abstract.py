"""Interfaces and unions whose members live in different subgraphs."""

from __future__ import annotations

from tests.router.execution.federation import Federation


async def test_interface_members_get_fields_from_other_subgraphs(abstract: Federation) -> None:
    body = await abstract.execute(
        "{ media { __typename title ... on Book { rating } ... on Movie { director } } }"
    )
    assert body == {
        "data": {
            "media": [
                {"__typename": "Book", "title": "Dune", "rating": 5},
                {"__typename": "Movie", "title": "Alien", "director": "Scott"},
                {"__typename": "Book", "title": "Emma", "rating": 4},
            ]
        }
    }
    (call,) = abstract.entity_calls("people")
    assert call["variables"]["representations"] == [
        {"__typename": "Book", "id": "b1"},
        {"__typename": "Book", "id": "b2"},
    ]


async def test_union_members_from_one_subgraph_are_completed_by_another(
    abstract: Federation,
) -> None:
    body = await abstract.execute(
        "{ lookup { ... on Person { name } ... on Book { title rating } } }"
    )
    assert body == {"data": {"lookup": [{"name": "Pat"}, {"title": "Dune", "rating": 5}]}}


async def test_interface_fragments_apply_to_every_member(abstract: Federation) -> None:
    body = await abstract.execute("{ search { ...M } } fragment M on Media { id title }")
    assert body == {
        "data": {"search": [{"id": "m1", "title": "Alien"}, {"id": "b2", "title": "Emma"}]}
    }
