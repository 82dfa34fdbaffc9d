"""Keys: compound nested keys, non-resolvable references, nested @requires with arguments."""

from __future__ import annotations

from tests.router.execution.federation import Federation


async def test_compound_nested_keys_identify_entities(keys: Federation) -> None:
    body = await keys.execute("{ items { sku stock } }")
    assert body == {
        "data": {
            "items": [
                {"sku": "A-1", "stock": 5},
                {"sku": "B-2", "stock": 0},
                {"sku": "C-3", "stock": 12},
            ]
        }
    }
    (call,) = keys.entity_calls("stock")
    assert call["variables"]["representations"][1] == {
        "__typename": "Item",
        "id": "1",
        "region": {"code": "US"},
    }


async def test_a_non_resolvable_reference_is_completed_through_a_resolving_subgraph(
    keys: Federation,
) -> None:
    body = await keys.execute("{ featured { label item { title stock } } }")
    assert body == {
        "data": {
            "featured": [
                {"label": "Heavy", "item": {"title": "Anvil", "stock": 5}},
                {"label": "Loud", "item": {"title": "Bell", "stock": 0}},
            ]
        }
    }
    assert keys.subgraphs["labels"].received[0]["query"].startswith("query { featured")


async def test_nested_required_selections_and_field_arguments(keys: Federation) -> None:
    body = await keys.execute(
        "{ items { normal: shippingCost fast: shippingCost(express: true) } }"
    )
    assert body == {
        "data": {
            "items": [
                {"normal": 30, "fast": 90},
                {"normal": 1, "fast": 3},
                {"normal": 1, "fast": 3},
            ]
        }
    }
