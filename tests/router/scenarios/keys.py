"""Keys: multiple keys, a compound nested key, a non-resolvable reference, nested @requires."""

from __future__ import annotations

from typing import Any

from router.testing.subgraph import SubgraphSpec
from tests.router.scenarios import Operation, Scenario

LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: [{}])\n'

CATALOG = (
    LINK.format('"@key", "@shareable"')
    + """
type Query {
  items: [Item!]!
}
type Item @key(fields: "sku") @key(fields: "id region { code }") {
  sku: String!
  id: ID!
  region: Region!
  title: String!
  dimensions: Dimensions!
}
type Region @shareable {
  code: String!
}
type Dimensions @shareable {
  weight: Int!
  unit: String!
}
"""
)

STOCK = (
    LINK.format('"@key", "@shareable"')
    + """
type Item @key(fields: "id region { code }") {
  id: ID!
  region: Region!
  stock: Int!
}
type Region @shareable {
  code: String!
}
"""
)

SHIPPING = (
    LINK.format('"@key", "@shareable", "@external", "@requires"')
    + """
type Item @key(fields: "sku") {
  sku: String!
  dimensions: Dimensions! @external
  shippingCost(express: Boolean! = false): Int! @requires(fields: "dimensions { weight unit }")
}
type Dimensions @shareable {
  weight: Int!
  unit: String!
}
"""
)

LABELS = (
    LINK.format('"@key"')
    + """
type Query {
  featured: [Featured!]!
}
type Featured {
  label: String!
  item: Item!
}
type Item @key(fields: "sku", resolvable: false) {
  sku: String!
}
"""
)

ITEMS = [
    {
        "sku": "A-1",
        "id": "1",
        "region": {"code": "EU"},
        "title": "Anvil",
        "weight": 30,
        "unit": "kg",
    },
    {"sku": "B-2", "id": "1", "region": {"code": "US"}, "title": "Bell", "weight": 2, "unit": "lb"},
    {"sku": "C-3", "id": "3", "region": {"code": "EU"}, "title": "Cup", "weight": 1, "unit": "kg"},
]
STOCK_ROWS = {("1", "EU"): 5, ("1", "US"): 0, ("3", "EU"): 12}


def _item(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "__typename": "Item",
        "sku": row["sku"],
        "id": row["id"],
        "region": {"code": row["region"]["code"]},
        "title": row["title"],
        "dimensions": {"weight": row["weight"], "unit": row["unit"]},
    }


def _by_key(rep: dict[str, Any]) -> dict[str, Any] | None:
    for row in ITEMS:
        if "sku" in rep and rep["sku"] == row["sku"]:
            return _item(row)
        if "id" in rep and rep["id"] == row["id"] and rep["region"] == row["region"]:
            return _item(row)
    return None


def _shipping_cost(source: dict[str, Any], _info: Any, express: bool = False) -> int:
    dimensions = source["dimensions"]
    weight = dimensions["weight"] * (1 if dimensions["unit"] == "kg" else 0.5)
    return int(weight * (3 if express else 1))


def build() -> list[SubgraphSpec]:
    return [
        SubgraphSpec(
            "catalog",
            CATALOG,
            resolvers={"Query.items": lambda _r, _i: [_item(row) for row in ITEMS]},
            entities={"Item": _by_key},
        ),
        SubgraphSpec(
            "stock",
            STOCK,
            entities={
                "Item": lambda rep: {
                    "id": rep["id"],
                    "region": rep["region"],
                    "stock": STOCK_ROWS[(rep["id"], rep["region"]["code"])],
                }
            },
        ),
        SubgraphSpec(
            "shipping",
            SHIPPING,
            resolvers={"Item.shippingCost": _shipping_cost},
            entities={"Item": lambda rep: dict(rep)},
        ),
        SubgraphSpec(
            "labels",
            LABELS,
            resolvers={
                "Query.featured": lambda _r, _i: [
                    {"label": "Heavy", "item": {"__typename": "Item", "sku": "A-1"}},
                    {"label": "Loud", "item": {"__typename": "Item", "sku": "B-2"}},
                ]
            },
        ),
    ]


SCENARIO = Scenario(
    name="keys",
    build=build,
    operations=(
        Operation("{ items { sku title stock } }"),
        Operation("{ items { sku shippingCost express: shippingCost(express: true) } }"),
        Operation("{ featured { label item { sku title stock shippingCost } } }"),
        Operation("{ featured { item { region { code } } } }"),
    ),
)
