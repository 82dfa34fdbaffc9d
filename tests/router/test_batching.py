"""Entity fetches combined into one subgraph request, and answers split back."""

from __future__ import annotations

from router.batching import EntityRequest, combine, split
from router.plan import Fetch


def _fetch(id_: int, selection: str) -> Fetch:
    return Fetch(id=id_, subgraph="products", path=("a",), operation="", entity_selection=selection)


def test_same_selections_share_deduplicated_representations() -> None:
    one, two = _fetch(1, "{ ... on P { name } }"), _fetch(2, "{ ... on P { name } }")
    combined = combine(
        [
            EntityRequest(
                one, [{"__typename": "P", "upc": "1"}, {"__typename": "P", "upc": "2"}], {}
            ),
            EntityRequest(two, [{"__typename": "P", "upc": "2"}], {}),
        ]
    )
    assert combined.body["query"] == (
        "query($__r_0: [_Any!]!) { _0: _entities(representations: $__r_0) { ... on P { name } } }"
    )
    assert combined.body["variables"] == {
        "__r_0": [{"__typename": "P", "upc": "1"}, {"__typename": "P", "upc": "2"}]
    }
    assert combined.locations == [[("_0", 0), ("_0", 1)], [("_0", 1)]]


def test_different_selections_get_one_alias_each_and_answers_split_back() -> None:
    one, two = _fetch(1, "{ ... on P { name } }"), _fetch(2, "{ ... on P { price } }")
    rep = {"__typename": "P", "upc": "1"}
    combined = combine([EntityRequest(one, [rep], {}), EntityRequest(two, [rep], {})])
    assert "_0: _entities(representations: $__r_0) { ... on P { name } }" in combined.body["query"]
    assert "_1: _entities(representations: $__r_1) { ... on P { price } }" in combined.body["query"]
    answer = {
        "data": {"_0": [{"name": "Table"}], "_1": [None]},
        "errors": [{"message": "no price", "path": ["_1", 0, "price"]}],
    }
    assert split(answer, combined) == [
        {"data": {"_entities": [{"name": "Table"}]}, "errors": []},
        {
            "data": {"_entities": [None]},
            "errors": [{"message": "no price", "path": ["_entities", 0, "price"]}],
        },
    ]
