"""Errors: subgraph errors in the client's shape, null propagation, subgraphs down or slow."""

from __future__ import annotations

import asyncio
from typing import Any

from router.testing.servers import free_port
from tests.router.execution.federation import Federation


async def test_entity_errors_get_paths_in_the_clients_response_shape(shop: Federation) -> None:
    body = await shop.execute("{ me { reviews { id broken } } }")
    assert body["data"] == {
        "me": {"reviews": [{"id": "10", "broken": None}, {"id": "12", "broken": None}]}
    }
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["me", "reviews", 0, "broken"], "REVIEW_BROKEN"),
        (["me", "reviews", 1, "broken"], "REVIEW_BROKEN"),
    ]


async def test_errors_under_lists_keep_every_list_index(shop: Federation) -> None:
    body = await shop.execute("{ users { reviews { broken } } }")
    assert [e["path"] for e in body["errors"]] == [
        ["users", 0, "reviews", 0, "broken"],
        ["users", 0, "reviews", 1, "broken"],
        ["users", 1, "reviews", 0, "broken"],
        ["users", 2, "reviews", 0, "broken"],
    ]


async def test_root_field_errors_keep_their_code_beside_other_data(shop: Federation) -> None:
    body = await shop.execute('{ user(id: "missing") { id } me { id } }')
    assert body["data"] == {"user": None, "me": {"id": "1"}}
    assert body["errors"] == [
        {"message": "No such user", "path": ["user"], "extensions": {"code": "NOT_FOUND"}}
    ]


async def test_a_null_in_a_non_null_position_nulls_the_nearest_nullable_parent(
    shop: Federation,
) -> None:
    body = await shop.execute('{ product(upc: "2") { upc strict } me { id } }')
    assert body["data"] == {"product": None, "me": {"id": "1"}}
    assert [e["path"] for e in body["errors"]] == [["product", "strict"]]


async def test_null_propagation_can_reach_the_root(shop: Federation) -> None:
    body = await shop.execute("{ topProducts { upc strict } }")
    assert body["data"] is None
    assert [e["path"] for e in body["errors"]] == [["topProducts", 1, "strict"]]


async def test_a_subgraph_that_is_down_gives_partial_data_and_an_error(shop: Federation) -> None:
    down = f"http://127.0.0.1:{free_port()}/inventory"
    body = await shop.execute(
        '{ me { id } product(upc: "1") { name inStock } }', urls={"inventory": down}
    )
    # inStock is non-null, so the product it cannot complete becomes null.
    assert body["data"] == {"me": {"id": "1"}, "product": None}
    (error,) = body["errors"]
    assert error["path"] == ["product"]
    assert error["extensions"] == {"code": "SUBREQUEST_HTTP_ERROR", "serviceName": "inventory"}


async def test_a_root_subgraph_that_is_down_nulls_only_its_fields(shop: Federation) -> None:
    down = f"http://127.0.0.1:{free_port()}/accounts"
    body = await shop.execute('{ me { id } product(upc: "1") { name } }', urls={"accounts": down})
    assert body["data"] == {"me": None, "product": {"name": "Table"}}
    assert body["errors"][0]["extensions"]["code"] == "SUBREQUEST_HTTP_ERROR"


async def test_a_slow_subgraph_times_out_into_partial_data(shop: Federation) -> None:
    async def slow(_root: Any, _info: Any) -> dict[str, Any]:
        await asyncio.sleep(2)
        return {"id": "1"}

    shop.subgraphs["accounts"].resolvers = {
        **shop.subgraphs["accounts"].resolvers,
        "Query.me": slow,
    }
    body = await shop.execute(
        '{ me { id } product(upc: "1") { name } }', timeouts={"accounts": 0.3}
    )
    assert body["data"] == {"me": None, "product": {"name": "Table"}}
    assert body["errors"][0]["extensions"] == {
        "code": "SUBREQUEST_TIMEOUT",
        "serviceName": "accounts",
    }
