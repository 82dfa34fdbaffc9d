"""Which subgraph resolves a field: @shareable (fewest fetches) and @override."""

from __future__ import annotations

from tests.router.planner.plans import plan


def test_shareable_root_field_goes_where_the_whole_selection_resolves() -> None:
    assert [f.subgraph for f in plan("shareable", "{ books { title shelf } }").fetches] == ["shelf"]
    assert [f.subgraph for f in plan("shareable", "{ books { title isbn } }").fetches] == [
        "library"
    ]


def test_shareable_fields_stay_in_the_subgraph_already_fetching() -> None:
    fetches = plan("shareable", "{ books { isbn title shelf } }").fetches
    assert [f.subgraph for f in fetches] == ["library", "shelf"]
    assert fetches[0].operation == "query { books { isbn title __typename id } }"


def test_overridden_fields_come_from_the_overriding_subgraph() -> None:
    fetches = plan("override", "{ posts { title likes } }").fetches
    assert [f.subgraph for f in fetches] == ["blog", "social"]
    assert "likes" in fetches[1].operation
    assert "likes" not in fetches[0].operation
