"""One or more scenarios per federation directive the router README lists (progressive
@override, @context/@fromContext with type conditions, @cost/@listSize included)."""

from __future__ import annotations

from tests.router.scenarios.declare import Case, Fail, Sub, World, declare

w = World()
k1 = w("Kit", id="k1", sku="S1", name="Tent", weight=3, stock=4)
k2 = w("Kit", id="k2", sku="S2", name="Stove", weight=1, stock=0)

KEYS_MULTIPLE = declare(
    "dir_key_multiple",
    about="@key: two keys, each other subgraph knowing only one of them",
    behaviours=[3],
    directives=["@key"],
    world=w,
    subgraphs={
        "kits": Sub(
            """
type Query { kits: [Kit!]! kit(id: ID!): Kit }
type Kit @key(fields: "id") @key(fields: "sku") { id: ID! sku: String! name: String! }
""",
            resolve={
                "Query.kits": [k1, k2],
                "Query.kit": lambda _o, id: next((k for k in (k1, k2) if k["id"] == id), None),
            },
        ),
        "weights": Sub('type Kit @key(fields: "id") { id: ID! weight: Int! }\n'),
        "stock": Sub('type Kit @key(fields: "sku") { sku: String! stock: Int! }\n'),
    },
    cases=[
        Case("{ kits { name weight stock } }"),
        Case('{ kit(id: "k2") { stock weight } }', expect={"kit": {"stock": 0, "weight": 1}}),
        Case('{ kit(id: "nope") { stock } }', expect={"kit": None}),
    ],
)

v = World()
f1 = v("Flat", id="f1", building={"id": "b1", "city": {"code": "OSL"}}, rent=900, name="1A")
f2 = v("Flat", id="f2", building={"id": "b1", "city": {"code": "BER"}}, rent=700, name="2B")

KEY_NESTED = declare(
    "dir_key_compound_nested",
    about='@key(fields: "id building { id city { code } }"): a compound key two levels deep',
    behaviours=[3],
    directives=["@key", "@shareable"],
    world=v,
    subgraphs={
        "flats": Sub(
            """
type Query { flats: [Flat!]! }
type Flat @key(fields: "id building { id city { code } }") { id: ID! building: Building! name: String! }
type Building @shareable { id: ID! city: City! }
type City @shareable { code: String! }
""",
            resolve={"Query.flats": [f1, f2]},
        ),
        "rents": Sub(
            """
type Flat @key(fields: "id building { id city { code } }") { id: ID! building: Building! rent: Int! }
type Building @shareable { id: ID! city: City! }
type City @shareable { code: String! }
"""
        ),
    },
    cases=[
        Case(
            "{ flats { name rent } }",
            expect={"flats": [{"name": "1A", "rent": 900}, {"name": "2B", "rent": 700}]},
        ),
        "{ flats { rent building { city { code } } } }",
    ],
)

x = World()
c1 = x("Clinic", id="c1", name="North", beds=12)
c2 = x("Clinic", id="c2", name="South", beds=Fail("beds unknown"))
n1 = x("Nurse", id="n1", clinic=c1)
n2 = x("Nurse", id="n2", clinic=c2)
n3 = x("Nurse", id="n3", clinic={"__typename": "Clinic", "id": "gone"})

NOT_RESOLVABLE = declare(
    "dir_key_not_resolvable",
    about="@key(resolvable: false) references, an unknown id and a field error in the owner",
    behaviours=[5],
    directives=["@key"],
    world=x,
    subgraphs={
        "clinics": Sub('type Clinic @key(fields: "id") { id: ID! name: String! beds: Int }\n'),
        "staff": Sub(
            """
type Query { nurses: [Nurse!]! }
type Nurse { id: ID! clinic: Clinic }
type Clinic @key(fields: "id", resolvable: false) { id: ID! }
""",
            resolve={"Query.nurses": [n1, n2, n3]},
        ),
    },
    cases=[
        Case("{ nurses { id clinic { id name } } }"),
        Case("{ nurses { clinic { beds } } }"),
    ],
)

y = World()
y1 = y("Invoice", id="i1", amount=10, status="paid")
y2 = y("Invoice", id="i2", amount=20, status="open")

OVERRIDE = declare(
    "dir_override",
    about="@override(from:) moved `status`; the old subgraph still answers it, wrongly",
    behaviours=[10],
    directives=["@key", "@override"],
    world=y,
    subgraphs={
        "billing": Sub(
            """
type Query { invoices: [Invoice!]! }
type Invoice @key(fields: "id") { id: ID! amount: Int! status: String! }
""",
            resolve={"Query.invoices": [y1, y2], "Invoice.status": "STALE"},
        ),
        "payments": Sub(
            'type Invoice @key(fields: "id") { id: ID! status: String! @override(from: "billing") }\n'
        ),
    },
    cases=[
        Case(
            "{ invoices { amount status } }",
            expect={
                "invoices": [{"amount": 10, "status": "paid"}, {"amount": 20, "status": "open"}]
            },
        ),
    ],
)

OVERRIDE_LABEL = declare(
    "dir_override_progressive",
    about='progressive @override(label: "percent(100)"): every request uses the new subgraph',
    behaviours=[10],
    directives=["@key", "@override"],
    world=y,
    subgraphs={
        "billing": Sub(
            """
type Query { invoices: [Invoice!]! }
type Invoice @key(fields: "id") { id: ID! amount: Int! status: String! }
""",
            resolve={"Query.invoices": [y1, y2], "Invoice.status": "STALE"},
        ),
        "payments": Sub(
            """
type Invoice @key(fields: "id") {
  id: ID!
  status: String! @override(from: "billing", label: "percent(100)")
}
"""
        ),
    },
    cases=[
        Case(
            "{ invoices { amount status } }",
            expect={
                "invoices": [{"amount": 10, "status": "paid"}, {"amount": 20, "status": "open"}]
            },
        ),
    ],
)

OVERRIDE_LABELS_OFF = declare(
    "dir_override_labels_off",
    about='progressive @override not in effect: "percent(0)" and a label no configuration enables',
    behaviours=[10],
    directives=["@key", "@override"],
    world=y,
    subgraphs={
        "billing": Sub(
            """
type Query { invoices: [Invoice!]! }
type Invoice @key(fields: "id") { id: ID! amount: Int! status: String! }
""",
            resolve={"Query.invoices": [y1, y2]},
        ),
        "payments": Sub(
            """
type Invoice @key(fields: "id") {
  id: ID!
  amount: Int! @override(from: "billing", label: "ledger-v2")
  status: String! @override(from: "billing", label: "percent(0)")
}
""",
            resolve={"Invoice.status": "NEW", "Invoice.amount": -1},
        ),
    },
    cases=[
        Case(
            "{ invoices { amount status } }",
            expect={
                "invoices": [{"amount": 10, "status": "paid"}, {"amount": 20, "status": "open"}]
            },
        ),
    ],
)

z = World()
z1 = z("Doctor", id="d1", name="Dr A", rating=5)
TAGS = declare(
    "dir_tag",
    about="@tag on types, fields, arguments and enum values changes nothing in the answers",
    behaviours=[],
    directives=["@key", "@tag"],
    world=z,
    subgraphs={
        "doctors": Sub(
            """
type Query { doctors(order: Order @tag(name: "public")): [Doctor!]! @tag(name: "public") }
type Doctor @key(fields: "id") @tag(name: "public") { id: ID! name: String! @tag(name: "public") }
enum Order { NAME @tag(name: "public") RATING }
""",
            resolve={"Query.doctors": [z1]},
        ),
        "ratings": Sub(
            'type Doctor @key(fields: "id") { id: ID! rating: Int! @tag(name: "internal") }\n'
        ),
    },
    cases=[
        Case(
            "{ doctors(order: NAME) { name rating } }",
            expect={"doctors": [{"name": "Dr A", "rating": 5}]},
        ),
    ],
)

q = World()
q1 = q("Author", id="a1", name="Ann", books=[{"title": "One", "year": 2001}, None])
PROVIDES_DEEP = declare(
    "dir_provides_deep",
    about="@provides two levels deep, and the same field outside the provided path",
    behaviours=[5, 10],
    directives=["@key", "@provides", "@external", "@shareable"],
    world=q,
    subgraphs={
        "authors": Sub(
            """
type Author @key(fields: "id") { id: ID! name: String! books: [Book] @shareable }
type Book @shareable { title: String! year: Int! }
"""
        ),
        "shelf": Sub(
            """
type Query {
  spotlight: Spot!
}
type Spot { author: Author! @provides(fields: "name books { title }") other: Author! }
type Author @key(fields: "id") { id: ID! name: String! @external books: [Book] @external }
type Book @shareable { title: String! @external }
""",
            resolve={"Query.spotlight": {"author": q1, "other": q1}},
        ),
    },
    cases=[
        Case(
            "{ spotlight { author { name books { title } } other { name } } }",
            expect={
                "spotlight": {
                    "author": {"name": "Ann", "books": [{"title": "One"}, None]},
                    "other": {"name": "Ann"},
                }
            },
        ),
        Case(
            "{ spotlight { author { books { title year } } } }",
        ),
    ],
)

r = World()
r1 = r(
    "Ward", id="w1", name="East", hospital={"__typename": "Hospital", "id": "h1", "region": "EU"}
)
r("Hospital", id="h1", region="EU", wards=[r1])

CONTEXT = declare(
    "dir_context_from_context",
    about="@context/@fromContext: a field argument filled from an ancestor's field",
    generated_xfail="hive: Hive Gateway 2.15.1 does not send the @fromContext argument",
    behaviours=[],
    directives=["@key", "@context", "@fromContext", "@shareable"],
    world=r,
    subgraphs={
        "hospitals": Sub(
            """
type Query { hospitals: [Hospital!]! }
type Hospital @key(fields: "id") { id: ID! region: String! @shareable wards: [Ward!]! @shareable }
type Ward @key(fields: "id") { id: ID! name: String! }
""",
            resolve={"Query.hospitals": r.rows["Hospital"]},
        ),
        "rules": Sub(
            """
type Hospital @key(fields: "id") @context(name: "hospital") {
  id: ID!
  region: String! @shareable
  wards: [Ward!]! @shareable
}
type Ward @key(fields: "id") {
  id: ID!
  policy(region: String @fromContext(field: "$hospital { region }")): String!
}
""",
            resolve={"Ward.policy": lambda _o, region=None: f"rules for {region}"},
        ),
    },
    cases=[
        Case(
            "{ hospitals { wards { name policy } } }",
            expect={"hospitals": [{"wards": [{"name": "East", "policy": "rules for EU"}]}]},
            hive_wrong="Hive Gateway 2.15.1 does not send the context argument either",
        ),
    ],
)

t = World()
t_pen = t("Item", id="i1", name="Pen", cents=150)
t_ink = t("Item", id="i2", name="Ink", cents=900)
t("Shop", id="s1", currency="EUR", region="north", items=[t_pen, t_ink])
t("Market", id="m1", money="NOK", region="south", items=[t_ink])
t_places = [*t.rows["Shop"], *t.rows["Market"]]
_PLACES = """
type Query { places: [Place!]! shops: [Shop!]! }
interface Place { id: ID! items: [Item!]! }
type Shop implements Place @key(fields: "id") { id: ID! currency: String! @shareable region: String! @shareable items: [Item!]! @shareable }
type Market implements Place @key(fields: "id") { id: ID! money: String! @shareable region: String! @shareable items: [Item!]! @shareable }
type Item @key(fields: "id") { id: ID! name: String! }
"""
_PRICED = {
    "Item.price": lambda o, currency=None: f"{o['cents']} {currency}",
    "Item.tax": lambda o, region=None: {"north": "25%", "south": "15%"}.get(str(region), "none"),
}

CONTEXT_TYPES = declare(
    "dir_context_type_conditions",
    about="@context on two types, @fromContext with a type condition per type",
    generated_xfail="hive: Hive Gateway 2.15.1 does not send the @fromContext argument",
    behaviours=[],
    directives=["@key", "@context", "@fromContext", "@shareable"],
    world=t,
    subgraphs={
        "places": Sub(_PLACES, resolve={"Query.places": t_places, "Query.shops": t.rows["Shop"]}),
        "prices": Sub(
            """
type Shop @key(fields: "id") @context(name: "place") { id: ID! currency: String! @shareable items: [Item!]! @shareable }
type Market @key(fields: "id") @context(name: "place") { id: ID! money: String! @shareable items: [Item!]! @shareable }
type Item @key(fields: "id") {
  id: ID!
  price(currency: String @fromContext(field: "$place ... on Shop { currency } ... on Market { money }")): String!
}
""",
            resolve=_PRICED,
        ),
    },
    cases=[
        # Hand-computed: each item priced in the currency of the place listing it.
        Case(
            "{ places { id items { name price } } }",
            expect={
                "places": [
                    {
                        "id": "s1",
                        "items": [
                            {"name": "Pen", "price": "150 EUR"},
                            {"name": "Ink", "price": "900 EUR"},
                        ],
                    },
                    {"id": "m1", "items": [{"name": "Ink", "price": "900 NOK"}]},
                ]
            },
            hive_wrong="Hive Gateway 2.15.1 does not send the context argument",
        ),
        # The client's own `currency` is another field: the context field is aliased.
        Case(
            "{ places { ... on Shop { currency: id } ... on Market { money } items { price } } }",
            expect={
                "places": [
                    {"currency": "s1", "items": [{"price": "150 EUR"}, {"price": "900 EUR"}]},
                    {"money": "NOK", "items": [{"price": "900 NOK"}]},
                ]
            },
            hive_wrong="Hive Gateway 2.15.1 does not send the context argument",
        ),
        Case(
            "{ shops { items { price } } }",
            expect={"shops": [{"items": [{"price": "150 EUR"}, {"price": "900 EUR"}]}]},
            hive_wrong="Hive Gateway 2.15.1 does not send the context argument",
        ),
        # No context field asked: both gateways agree.
        Case("{ places { id items { name } } }"),
    ],
)

CONTEXT_INTERFACE = declare(
    "dir_context_interface",
    about="@context on an interface: the nearest ancestor implementing it, whatever its type",
    generated_xfail="hive: Hive Gateway 2.15.1 does not send the @fromContext argument",
    behaviours=[],
    directives=["@key", "@context", "@fromContext", "@shareable"],
    world=t,
    subgraphs={
        "places": Sub(_PLACES, resolve={"Query.places": t_places, "Query.shops": t.rows["Shop"]}),
        "taxes": Sub(
            """
interface Place @context(name: "where") { id: ID! region: String! items: [Item!]! }
type Shop implements Place @key(fields: "id") { id: ID! region: String! @shareable items: [Item!]! @shareable }
type Market implements Place @key(fields: "id") { id: ID! region: String! @shareable items: [Item!]! @shareable }
type Item @key(fields: "id") {
  id: ID!
  tax(region: String @fromContext(field: "$where { region }")): String!
}
""",
            resolve=_PRICED,
        ),
    },
    cases=[
        Case(
            "{ places { items { name tax } } }",
            expect={
                "places": [
                    {"items": [{"name": "Pen", "tax": "25%"}, {"name": "Ink", "tax": "25%"}]},
                    {"items": [{"name": "Ink", "tax": "15%"}]},
                ]
            },
            hive_wrong="Hive Gateway 2.15.1 does not send the context argument",
        ),
        Case(
            "{ shops { region items { tax } } }",
            expect={"shops": [{"region": "north", "items": [{"tax": "25%"}, {"tax": "25%"}]}]},
            hive_wrong="Hive Gateway 2.15.1 does not send the context argument",
        ),
    ],
)

s = World()
s1 = s("Slot", id="s1", at="09:00", doctor={"__typename": "Medic", "id": "m1"})
s("Medic", id="m1", name="Dr B")
COST = declare(
    "dir_cost_list_size",
    about="@cost and @listSize are composed into the supergraph and change no answer",
    behaviours=[],
    directives=["@key", "@cost", "@listSize"],
    world=s,
    subgraphs={
        "slots": Sub(
            """
type Query { slots(first: Int = 10): [Slot!]! @listSize(slicingArguments: ["first"]) @cost(weight: 2) }
type Slot @key(fields: "id") { id: ID! at: String! @cost(weight: 1) doctor: Medic! }
type Medic @key(fields: "id") { id: ID! }
""",
            resolve={"Query.slots": lambda _o, first: [s1][:first]},
        ),
        "medics": Sub('type Medic @key(fields: "id") { id: ID! name: String! @cost(weight: 5) }\n'),
    },
    cases=[
        Case(
            "{ slots(first: 5) { at doctor { name } } }",
            expect={"slots": [{"at": "09:00", "doctor": {"name": "Dr B"}}]},
        ),
    ],
)

SCENARIOS = [
    KEYS_MULTIPLE,
    KEY_NESTED,
    NOT_RESOLVABLE,
    OVERRIDE,
    OVERRIDE_LABEL,
    OVERRIDE_LABELS_OFF,
    TAGS,
    PROVIDES_DEEP,
    CONTEXT,
    CONTEXT_TYPES,
    CONTEXT_INTERFACE,
    COST,
]
