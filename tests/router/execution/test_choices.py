"""@shareable, @override and @inaccessible at execution."""

from __future__ import annotations

from tests.router.execution.federation import Federation


async def test_shareable_fields_are_fetched_once_from_the_cheaper_subgraph(
    shareable: Federation,
) -> None:
    body = await shareable.execute("{ books { title shelf } }")
    assert body == {
        "data": {"books": [{"title": "Dune", "shelf": "A3"}, {"title": "Emma", "shelf": "B1"}]}
    }
    assert shareable.subgraphs["library"].received == []
    assert len(shareable.subgraphs["shelf"].received) == 1


async def test_overridden_fields_come_from_the_new_owner(override: Federation) -> None:
    body = await override.execute("{ posts { title likes shares } }")
    assert body == {
        "data": {
            "posts": [
                {"title": "Hello", "likes": 7, "shares": 1},
                {"title": "Again", "likes": 0, "shares": 1},
            ]
        }
    }


async def test_inaccessible_fields_cannot_be_queried(override: Federation) -> None:
    body = await override.execute("{ posts { secret } }")
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "secret" in body["errors"][0]["message"]
