"""Behaviour 8: @requires selections with fragments on abstract types, lists and chains."""

from __future__ import annotations

from typing import Any

from tests.router.scenarios.declare import Case, Fail, Sub, World, declare

HIVE_UNION = "Hive Gateway 2.15.1 answers `Unexpected error.` with data null"
w = World()
pe = {"__typename": "Person", "name": "Ann"}
co = {"__typename": "Company", "legalName": "ACME Ltd"}
c1 = w("Contract", id="c1", party=pe)
c2 = w("Contract", id="c2", party=co)
c3 = w("Contract", id="c3", party=None)


def _title(contract: dict[str, Any]) -> str:
    party = contract.get("party")
    if party is None:
        return "nobody"
    return str(party.get("name") or party.get("legalName") or "MISSING")


FRAGMENT_INTERFACE = declare(
    "requires_fragment_interface",
    about='@requires(fields: "party { ... on Person { name } ... on Company { legalName } }")',
    behaviours=[8],
    directives=["@key", "@requires", "@external", "@shareable"],
    world=w,
    subgraphs={
        "contracts": Sub(
            """
type Query { contracts: [Contract!]! }
type Contract @key(fields: "id") { id: ID! party: Party }
interface Party { kind: String }
type Person implements Party @shareable { kind: String name: String! }
type Company implements Party @shareable { kind: String legalName: String! }
""",
            resolve={"Query.contracts": [c1, c2, c3]},
        ),
        "letters": Sub(
            """
type Contract @key(fields: "id") {
  id: ID!
  party: Party @external
  salutation: String! @requires(fields: "party { ... on Person { name } ... on Company { legalName } }")
}
interface Party { kind: String }
type Person implements Party @shareable { kind: String name: String! }
type Company implements Party @shareable { kind: String legalName: String! }
""",
            resolve={"Contract.salutation": lambda o: "Dear " + _title(o)},
        ),
    },
    cases=[
        Case(
            "{ contracts { id salutation } }",
            expect={
                "contracts": [
                    {"id": "c1", "salutation": "Dear Ann"},
                    {"id": "c2", "salutation": "Dear ACME Ltd"},
                    {"id": "c3", "salutation": "Dear nobody"},
                ]
            },
        ),
        Case("{ contracts { salutation party { ... on Person { name } } } }"),
    ],
)

v = World()
d1 = v("Delivery", id="d1", stop={"__typename": "Depot", "code": "DEP"})
d2 = v("Delivery", id="d2", stop={"__typename": "Address", "street": "Main St"})

FRAGMENT_UNION = declare(
    "requires_fragment_union",
    about="@requires through a union with a fragment per member",
    # The representation carries the whole @requires field set, fragments included (`stop {
    # __typename ... on Depot { code } ... on Address { street } }`, as Apollo's planner builds
    # a fetch's inputs from the requires selection): `eta` is 3 and 7, the `Reference` answer
    # (the scenario as one plain schema), which we give. Hive Gateway 2.15.1 fetches `stop`
    # with both fragments from routes, then fails before sending the eta fetch.
    generated_hive_wrong=HIVE_UNION,
    behaviours=[8],
    directives=["@key", "@requires", "@external", "@shareable"],
    world=v,
    subgraphs={
        "routes": Sub(
            """
type Query { deliveries: [Delivery!]! }
type Delivery @key(fields: "id") { id: ID! stop: Stop! }
union Stop = Depot | Address
type Depot @shareable { code: String! }
type Address @shareable { street: String! }
""",
            resolve={"Query.deliveries": [d1, d2]},
        ),
        "eta": Sub(
            """
type Delivery @key(fields: "id") {
  id: ID!
  stop: Stop! @external
  eta: Int! @requires(fields: "stop { ... on Depot { code } ... on Address { street } }")
}
union Stop = Depot | Address
type Depot @shareable { code: String! }
type Address @shareable { street: String! }
""",
            resolve={
                "Delivery.eta": lambda o: len(
                    o["stop"].get("code") or o["stop"].get("street") or ""
                )
            },
        ),
    },
    cases=[
        Case(
            "{ deliveries { eta } }",
            expect={"deliveries": [{"eta": 3}, {"eta": 7}]},
            hive_wrong=HIVE_UNION,
        ),
        Case(
            "{ deliveries { id stop { __typename } eta } }",
            expect={
                "deliveries": [
                    {"id": "d1", "stop": {"__typename": "Depot"}, "eta": 3},
                    {"id": "d2", "stop": {"__typename": "Address"}, "eta": 7},
                ]
            },
            hive_wrong=HIVE_UNION,
        ),
    ],
)

x = World()
o1 = x("Basket", id="b1", lines=[{"price": 2}, {"price": 3}, None])
o2 = x("Basket", id="b2", lines=[])
o3 = x("Basket", id="b3", lines=Fail("lines unavailable"))

LIST_WITH_NULLS = declare(
    "requires_list_with_nulls",
    about="@requires over a list with null elements, an empty list and a field error",
    behaviours=[8],
    directives=["@key", "@requires", "@external", "@shareable"],
    world=x,
    subgraphs={
        "baskets": Sub(
            """
type Query { baskets: [Basket!]! }
type Basket @key(fields: "id") { id: ID! lines: [Line] }
type Line @shareable { price: Int! }
""",
            resolve={"Query.baskets": [o1, o2, o3]},
        ),
        "totals": Sub(
            """
type Basket @key(fields: "id") { id: ID! lines: [Line] @external total: Int @requires(fields: "lines { price }") }
type Line @shareable { price: Int! }
""",
            resolve={
                "Basket.total": lambda o: (
                    None
                    if o.get("lines") is None
                    else sum(line["price"] for line in o["lines"] if line)
                )
            },
        ),
    },
    cases=[
        Case(
            "{ baskets { id total } }",
            expect={
                "baskets": [
                    {"id": "b1", "total": 5},
                    {"id": "b2", "total": 0},
                    {"id": "b3", "total": None},
                ]
            },
        ),
        Case("{ baskets { lines { price } total } }"),
    ],
)

y = World()
y1 = y("Flight", id="f1", km=1000)
y2 = y("Flight", id="f2", km=200)

CHAIN = declare(
    "requires_chain",
    about="a @requires on a field that is itself @requires-computed in a third subgraph",
    behaviours=[8, 3],
    directives=["@key", "@requires", "@external"],
    world=y,
    subgraphs={
        "flights": Sub(
            'type Query { flights: [Flight!]! }\ntype Flight @key(fields: "id") { id: ID! km: Int! }\n',
            resolve={"Query.flights": [y1, y2]},
        ),
        "fuel": Sub(
            """
type Flight @key(fields: "id") { id: ID! km: Int! @external litres: Int! @requires(fields: "km") }
""",
            resolve={"Flight.litres": lambda o: o["km"] * 3},
        ),
        "cost": Sub(
            """
type Flight @key(fields: "id") { id: ID! litres: Int! @external price: Int! @requires(fields: "litres") }
""",
            resolve={"Flight.price": lambda o: o["litres"] * 2},
        ),
    },
    cases=[
        Case(
            "{ flights { id price } }",
            expect={"flights": [{"id": "f1", "price": 6000}, {"id": "f2", "price": 1200}]},
        ),
        "{ flights { price litres km } }",
    ],
)

SCENARIOS = [FRAGMENT_INTERFACE, FRAGMENT_UNION, LIST_WITH_NULLS, CHAIN]
