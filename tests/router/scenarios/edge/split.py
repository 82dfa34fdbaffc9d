"""Behaviour 3: work split across subgraphs (value types, parent re-fetch, multi-hop keys)."""

from __future__ import annotations

from tests.router.scenarios.declare import Case, Fail, Sub, World, declare

w = World()
d1 = {"weight": 3, "volume": 12}
p1 = w("Product", id="p1", name="Desk", dimensions=d1)
p2 = w("Product", id="p2", name="Pen", dimensions=None)
p3 = w("Product", id="p3", name="Cup", dimensions={"weight": 1, "volume": 2})

VALUE_TYPE = declare(
    "split_value_type",
    about="a keyless @shareable value type whose fields live in different subgraphs",
    behaviours=[3],
    directives=["@key", "@shareable"],
    world=w,
    subgraphs={
        "catalog": Sub(
            """
type Query { products: [Product]! }
type Product @key(fields: "id") { id: ID! name: String! dimensions: Dimensions @shareable }
type Dimensions @shareable { weight: Int! }
""",
            resolve={"Query.products": [p1, None, p2, p3]},
        ),
        "shipping": Sub(
            """
type Product @key(fields: "id") { id: ID! dimensions: Dimensions @shareable }
type Dimensions @shareable { weight: Int! volume: Int! }
""",
        ),
    },
    cases=[
        Case(
            "{ products { name dimensions { weight volume } } }",
            expect={
                "products": [
                    {"name": "Desk", "dimensions": {"weight": 3, "volume": 12}},
                    None,
                    {"name": "Pen", "dimensions": None},
                    {"name": "Cup", "dimensions": {"weight": 1, "volume": 2}},
                ]
            },
        ),
        Case("{ products { dimensions { volume } } }"),
    ],
)

v = World()
pk = v("Parcel", id="k1", box={"size": {"w": 2, "h": 3, "d": 4}, "label": "fragile"})
pk2 = v("Parcel", id="k2", box={"size": None, "label": "plain"})

VALUE_TYPE_NESTED = declare(
    "split_value_type_nested",
    about="value types two levels deep, one field in each of three subgraphs",
    behaviours=[3],
    directives=["@key", "@shareable"],
    world=v,
    subgraphs={
        "parcels": Sub(
            """
type Query { parcels: [Parcel!]! }
type Parcel @key(fields: "id") { id: ID! box: Box! @shareable }
type Box @shareable { label: String! size: Size }
type Size @shareable { w: Int! }
""",
            resolve={"Query.parcels": [pk, pk2]},
        ),
        "depth": Sub(
            """
type Parcel @key(fields: "id") { id: ID! box: Box! @shareable }
type Box @shareable { size: Size }
type Size @shareable { h: Int! }
""",
        ),
        "height": Sub(
            """
type Parcel @key(fields: "id") { id: ID! box: Box! @shareable }
type Box @shareable { size: Size }
type Size @shareable { d: Int! }
""",
        ),
    },
    cases=[
        Case(
            "{ parcels { box { label size { w h d } } } }",
            expect={
                "parcels": [
                    {"box": {"label": "fragile", "size": {"w": 2, "h": 3, "d": 4}}},
                    {"box": {"label": "plain", "size": None}},
                ]
            },
        ),
        Case(
            "{ parcels { box { size { d } } } }",
            expect={"parcels": [{"box": {"size": {"d": 4}}}, {"box": {"size": None}}]},
            hive_wrong="Hive Gateway 2.15.1 answers `Unexpected error.` with data null",
        ),
    ],
)

x = World()
cat = {"name": "Office", "details": "Desks and chairs", "code": "OF"}
x1 = x("Item", id="i1", title="Chair", category=cat)
x2 = x("Item", id="i2", title="Broken", category=Fail("category lookup failed"))

PARENT_REFETCH = declare(
    "split_parent_refetch",
    about="Category.details only reachable by re-fetching the parent Item from another subgraph",
    behaviours=[3],
    directives=["@key", "@shareable"],
    world=x,
    subgraphs={
        "items": Sub(
            """
type Query { items: [Item!]! }
type Item @key(fields: "id") { id: ID! title: String! category: Category @shareable }
type Category @shareable { name: String! code: String! }
""",
            resolve={"Query.items": [x1, x2]},
        ),
        "categories": Sub(
            """
type Item @key(fields: "id") { id: ID! category: Category @shareable }
type Category @shareable { code: String! details: String! }
""",
        ),
    },
    cases=[
        Case("{ items { title category { name details } } }"),
        Case("{ items { category { details } } }"),
    ],
)

y = World()
o1 = y("Order", id="o1", code="C-1", total=30, note="gift")
o2 = y("Order", id="o2", code="C-2", total=5, note=None)

MULTI_HOP = declare(
    "split_multi_hop_key",
    about="Order.total needs the key `code`, which only another subgraph gives from `id`",
    behaviours=[3, 10],
    directives=["@key"],
    world=y,
    subgraphs={
        "orders": Sub(
            """
type Query { orders: [Order!]! }
type Order @key(fields: "id") { id: ID! note: String }
""",
            resolve={"Query.orders": [o1, o2]},
        ),
        "codes": Sub(
            'type Order @key(fields: "id") @key(fields: "code") { id: ID! code: String! }\n'
        ),
        "totals": Sub('type Order @key(fields: "code") { code: String! total: Int! }\n'),
    },
    cases=[
        Case(
            "{ orders { note total } }",
            expect={"orders": [{"note": "gift", "total": 30}, {"note": None, "total": 5}]},
        ),
        "{ orders { id code total } }",
    ],
)

z = World()
g1 = z("Good", id="g1", sku="S1", ean="E1", price=9)
g2 = z("Good", id="g2", sku="S2", ean="E2", price=Fail("price service down"))

MULTI_HOP_DEEP = declare(
    "split_multi_hop_deep",
    about="three key hops: id -> sku -> ean -> price, one subgraph per hop",
    behaviours=[3],
    directives=["@key"],
    world=z,
    subgraphs={
        "goods": Sub(
            'type Query { goods: [Good!]! }\ntype Good @key(fields: "id") { id: ID! }\n',
            resolve={"Query.goods": [g1, g2]},
        ),
        "skus": Sub('type Good @key(fields: "id") @key(fields: "sku") { id: ID! sku: String! }\n'),
        "eans": Sub(
            'type Good @key(fields: "sku") @key(fields: "ean") { sku: String! ean: String! }\n'
        ),
        "prices": Sub('type Good @key(fields: "ean") { ean: String! price: Int }\n'),
    },
    cases=[
        Case(
            "{ goods { id price } }",
            expect={"goods": [{"id": "g1", "price": 9}, {"id": "g2", "price": None}]},
        ),
        Case("{ goods { sku price ean } }"),
    ],
)

q = World()
q1 = q("Seat", id="s1", row="A", label="A-1", price=40)
q2 = q("Seat", id="s2", row="B", label="B-2", price=25)

KEY_FROM_TWO = declare(
    "split_key_from_two_subgraphs",
    about="a compound key whose fields come from two different subgraphs",
    behaviours=[3],
    directives=["@key", "@shareable"],
    world=q,
    subgraphs={
        "seats": Sub(
            'type Query { seats: [Seat!]! }\ntype Seat @key(fields: "id") { id: ID! label: String! }\n',
            resolve={"Query.seats": [q1, q2]},
        ),
        "rows": Sub('type Seat @key(fields: "id") { id: ID! row: String! @shareable }\n'),
        "tickets": Sub('type Seat @key(fields: "id row") { id: ID! row: String! price: Int! }\n'),
    },
    cases=[
        Case(
            "{ seats { label price } }",
            expect={"seats": [{"label": "A-1", "price": 40}, {"label": "B-2", "price": 25}]},
        ),
        "{ seats { row price } }",
    ],
)

SCENARIOS = [VALUE_TYPE, VALUE_TYPE_NESTED, PARENT_REFETCH, MULTI_HOP, MULTI_HOP_DEEP, KEY_FROM_TWO]
