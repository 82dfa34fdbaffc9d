"""Behaviour 6: @interfaceObject (concrete fields from the owner, shared fields, resolvable)."""

from __future__ import annotations

from tests.router.scenarios.declare import Case, Sub, World, declare

w = World()
ad = w("Admin", id="a1", name="Root", level=9, credits=100, theme="dark", label="A")
me = w("Member", id="m1", name="Ann", since=2020, credits=5, theme="light", label="M")
m2 = w("Member", id="m2", name="Bob", since=2021, credits=0, theme=None, label="M")

OWNER = """
type Query { accounts: [Account!]! }
interface Account @key(fields: "id") { id: ID! name: String! }
type Admin implements Account @key(fields: "id") { id: ID! name: String! level: Int! }
type Member implements Account @key(fields: "id") { id: ID! name: String! since: Int! }
"""
CREDITS = """
type Query { richest: [Account!]! }
type Account @key(fields: "id") @interfaceObject { id: ID! credits: Int! }
"""


def _owner() -> Sub:
    return Sub(OWNER, resolve={"Query.accounts": [ad, me, m2]})


CONCRETE = declare(
    "iobj_concrete_fields",
    about="concrete-type fields (`... on Admin { level }`) on objects from an interface object",
    behaviours=[6],
    directives=["@key", "@interfaceObject"],
    world=w,
    subgraphs={"accounts": _owner(), "credits": Sub(CREDITS, resolve={"Query.richest": [ad, me]})},
    cases=[
        Case(
            "{ richest { id credits ... on Admin { level } ... on Member { since } } }",
            expect={
                "richest": [
                    {"id": "a1", "credits": 100, "level": 9},
                    {"id": "m1", "credits": 5, "since": 2020},
                ]
            },
        ),
        "{ richest { __typename name } }",
        "{ accounts { name credits ... on Member { since } } }",
    ],
)

SHARED = declare(
    "iobj_shared_field",
    about="a @shareable field defined by the interface's owner and by the interface object",
    behaviours=[6, 10],
    directives=["@key", "@interfaceObject", "@shareable"],
    world=w,
    subgraphs={
        "accounts": Sub(
            """
type Query { accounts: [Account!]! }
interface Account @key(fields: "id") { id: ID! label: String! }
type Admin implements Account @key(fields: "id") { id: ID! label: String! @shareable level: Int! }
type Member implements Account @key(fields: "id") { id: ID! label: String! @shareable since: Int! }
""",
            resolve={"Query.accounts": [ad, me, m2]},
        ),
        "labels": Sub(
            """
type Query { labelled: [Account!]! }
type Account @key(fields: "id") @interfaceObject { id: ID! label: String! @shareable credits: Int! }
""",
            resolve={"Query.labelled": [m2, ad]},
        ),
    },
    cases=[
        Case(
            "{ labelled { label credits } }",
            expect={"labelled": [{"label": "M", "credits": 0}, {"label": "A", "credits": 100}]},
        ),
        "{ accounts { label credits ... on Admin { level } } }",
        "{ labelled { __typename label ... on Member { since } } }",
    ],
)

NOT_RESOLVABLE = declare(
    "iobj_not_resolvable",
    about="an interface object that cannot be resolved by key: its own roots only",
    behaviours=[6],
    directives=["@key", "@interfaceObject"],
    world=w,
    subgraphs={
        "accounts": _owner(),
        "pins": Sub(
            """
type Query { pinned: [Account]! }
type Account @key(fields: "id", resolvable: false) @interfaceObject { id: ID! }
""",
            resolve={"Query.pinned": [me, None, ad]},
        ),
    },
    cases=[
        Case(
            "{ pinned { id name } }",
            expect={"pinned": [{"id": "m1", "name": "Ann"}, None, {"id": "a1", "name": "Root"}]},
        ),
        "{ pinned { __typename ... on Admin { level } } }",
    ],
)

TWO_OBJECTS = declare(
    "iobj_two_interface_objects",
    about="two subgraphs each add a field to the same interface through an interface object",
    behaviours=[6],
    directives=["@key", "@interfaceObject"],
    world=w,
    subgraphs={
        "accounts": _owner(),
        "credits": Sub(CREDITS, resolve={"Query.richest": [ad, me, m2]}),
        "prefs": Sub(
            'type Account @key(fields: "id") @interfaceObject { id: ID! theme: String }\n'
        ),
    },
    cases=[
        Case(
            "{ accounts { credits theme } }",
            expect={
                "accounts": [
                    {"credits": 100, "theme": "dark"},
                    {"credits": 5, "theme": "light"},
                    {"credits": 0, "theme": None},
                ]
            },
        ),
        "{ richest { theme ... on Member { since } } }",
    ],
)

SCENARIOS = [CONCRETE, SHARED, NOT_RESOLVABLE, TWO_OBJECTS]
