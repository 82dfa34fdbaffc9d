"""Entities across subgraphs: keys, batching, deduplication, @provides, @requires."""

from __future__ import annotations

from tests.router.execution.federation import Federation


async def test_entity_fields_from_three_subgraphs_are_merged(shop: Federation) -> None:
    body = await shop.execute("{ me { name reviews { body product { name inStock } } } }")
    assert body == {
        "data": {
            "me": {
                "name": "Ada Lovelace",
                "reviews": [
                    {"body": "Love it", "product": {"name": "Table", "inStock": True}},
                    {"body": "Sturdy", "product": {"name": "Chair", "inStock": True}},
                ],
            }
        }
    }


async def test_representations_are_deduplicated_in_one_call_per_subgraph(shop: Federation) -> None:
    body = await shop.execute("{ reviews { product { name } } }")
    assert [r["product"]["name"] for r in body["data"]["reviews"]] == [
        "Table",
        "Couch",
        "Chair",
        "Table",
    ]
    (call,) = shop.entity_calls("products")
    assert call["variables"]["representations"] == [
        {"__typename": "Product", "upc": "1"},
        {"__typename": "Product", "upc": "2"},
        {"__typename": "Product", "upc": "3"},
    ]


async def test_provided_fields_need_no_call_to_their_owner(shop: Federation) -> None:
    body = await shop.execute("{ reviews { author { username } } }")
    assert [r["author"]["username"] for r in body["data"]["reviews"]] == [
        "ada",
        "alan",
        "ada",
        "grace",
    ]
    assert shop.subgraphs["accounts"].received == []


async def test_required_fields_reach_the_requiring_subgraph(shop: Federation) -> None:
    body = await shop.execute(
        '{ topProducts(first: 2) { eur: shippingEstimate(currency: "EUR") } }'
    )
    assert body == {"data": {"topProducts": [{"eur": "89 EUR"}, {"eur": "1299 EUR"}]}}
    (call,) = shop.entity_calls("inventory")
    assert call["variables"]["representations"][0] == {
        "__typename": "Product",
        "upc": "1",
        "price": 899,
        "weight": 100,
    }


async def test_required_fields_missing_from_the_client_selection_stay_hidden(
    shop: Federation,
) -> None:
    body = await shop.execute('{ product(upc: "3") { shippingEstimate } }')
    assert body == {"data": {"product": {"shippingEstimate": "2 USD"}}}


async def test_entity_fetches_at_the_same_depth_go_to_a_subgraph_as_one_request(
    shop: Federation,
) -> None:
    body = await shop.execute("{ me { reviews { id } } topProducts(first: 2) { reviews { id } } }")
    assert body == {
        "data": {
            "me": {"reviews": [{"id": "10"}, {"id": "12"}]},
            "topProducts": [{"reviews": [{"id": "10"}, {"id": "13"}]}, {"reviews": [{"id": "11"}]}],
        }
    }
    assert len(shop.subgraphs["reviews"].received) == 1


async def test_errors_of_a_combined_request_reach_each_fetchs_paths(shop: Federation) -> None:
    body = await shop.execute(
        "{ me { reviews { broken } } topProducts(first: 1) { reviews { broken } } }"
    )
    assert sorted(map(str, (e["path"] for e in body["errors"]))) == sorted(
        map(
            str,
            [
                ["me", "reviews", 0, "broken"],
                ["me", "reviews", 1, "broken"],
                ["topProducts", 0, "reviews", 0, "broken"],
                ["topProducts", 0, "reviews", 1, "broken"],
            ],
        )
    )
