"""Operation features answered exactly: aliases, fragments, conditions, introspection."""

from __future__ import annotations

from tests.router.execution.federation import Federation


async def test_aliases_and_fragments_shape_the_response(shop: Federation) -> None:
    body = await shop.execute(
        '{ first: user(id: "1") { ...U } second: user(id: "2") { handle: username } }'
        " fragment U on User { who: name ... on User { id } }"
    )
    assert body == {
        "data": {"first": {"who": "Ada Lovelace", "id": "1"}, "second": {"handle": "alan"}}
    }


async def test_skip_and_include_follow_the_variables(shop: Federation) -> None:
    query = (
        "query Q($on: Boolean!) { me { id name @include(if: $on) reviews @skip(if: $on) { id } } }"
    )
    assert await shop.execute(query, {"on": True}) == {
        "data": {"me": {"id": "1", "name": "Ada Lovelace"}}
    }
    assert await shop.execute(query, {"on": False}) == {
        "data": {"me": {"id": "1", "reviews": [{"id": "10"}, {"id": "12"}]}}
    }


async def test_typename_is_answered_everywhere(shop: Federation) -> None:
    body = await shop.execute("{ __typename me { __typename t: __typename } }")
    assert body == {"data": {"__typename": "Query", "me": {"__typename": "User", "t": "User"}}}


async def test_introspection_is_answered_from_the_api_schema(shop: Federation) -> None:
    body = await shop.execute('{ __type(name: "Product") { fields { name } } me { id } }')
    names = [f["name"] for f in body["data"]["__type"]["fields"]]
    assert "shippingEstimate" in names
    assert body["data"]["me"] == {"id": "1"}


async def test_invalid_variables_are_refused_before_any_fetch(shop: Federation) -> None:
    body = await shop.execute("query Q($id: ID!) { user(id: $id) { id } }", {})
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert shop.subgraphs["accounts"].received == []


async def test_client_aliases_may_take_the_names_of_keys_the_router_needs(
    shop: Federation,
) -> None:
    # Not in the differential suite: Hive Gateway 2.15.1 sends the conflicting fields to
    # the subgraph and answers `me: null` with a "Fields 'id' conflict" error.
    body = await shop.execute("{ me { id: username reviews { upc: body product { name } } } }")
    assert body == {
        "data": {
            "me": {
                "id": "ada",
                "reviews": [
                    {"upc": "Love it", "product": {"name": "Table"}},
                    {"upc": "Sturdy", "product": {"name": "Chair"}},
                ],
            }
        }
    }


async def test_client_aliases_may_take_the_names_of_required_fields(shop: Federation) -> None:
    body = await shop.execute(
        "{ topProducts(first: 2) { price: name weight: upc shippingEstimate } }"
    )
    assert body == {
        "data": {
            "topProducts": [
                {"price": "Table", "weight": "1", "shippingEstimate": "89 USD"},
                {"price": "Couch", "weight": "2", "shippingEstimate": "1299 USD"},
            ]
        }
    }
