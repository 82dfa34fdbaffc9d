"""@interfaceObject with Strawberry subgraphs."""

from __future__ import annotations

from tests.router.execution.federation import Federation


async def test_every_implementation_gets_the_interface_objects_fields(
    interface_object: Federation,
) -> None:
    body = await interface_object.execute("{ media { title reviews } }")
    assert body == {
        "data": {
            "media": [
                {"title": "Dune", "reviews": ["great"]},
                {"title": "Alien", "reviews": ["scary", "classic"]},
                {"title": "Emma", "reviews": []},
            ]
        }
    }


async def test_interface_objects_learn_their_concrete_type_from_the_owner(
    interface_object: Federation,
) -> None:
    body = await interface_object.execute(
        "{ mostReviewed { __typename id reviews ... on Book { author } } }"
    )
    assert body == {
        "data": {
            "mostReviewed": [
                {"__typename": "Book", "id": "b1", "reviews": ["great"], "author": "Herbert"},
                {"__typename": "Movie", "id": "m1", "reviews": ["scary", "classic"]},
            ]
        }
    }


async def test_interface_fields_need_no_concrete_type(interface_object: Federation) -> None:
    body = await interface_object.execute("{ mostReviewed { id reviews } }")
    assert body == {
        "data": {
            "mostReviewed": [
                {"id": "b1", "reviews": ["great"]},
                {"id": "m1", "reviews": ["scary", "classic"]},
            ]
        }
    }
