"""Behaviour 4: the root choice among @shareable subgraphs counts @provides (also abstract)."""

from __future__ import annotations

from tests.router.scenarios.declare import Case, Sub, World, declare

USERS = 'type User @key(fields: "id") { id: ID! name: String! }\n'

w = World()
u1 = w("User", id="u1", name="Ann")
u2 = w("User", id="u2", name="Bob")
t1 = w("TextPost", id="t1", body="hi", author=u1)
i1 = w("ImagePost", id="i1", url="/a.png", author=u2)
t2 = w("TextPost", id="t2", body="yo", author=u2)
FEED = [t1, i1, None, t2]

PROVIDES_INTERFACE = declare(
    "root_provides_interface",
    about="two subgraphs serve Query.feed (an interface); only one @provides the author's name",
    behaviours=[4, 10],
    directives=["@key", "@shareable", "@provides", "@external"],
    world=w,
    resolve={"Query.feed": FEED},
    subgraphs={
        "basic": Sub(
            """
type Query { feed: [Post] @shareable }
interface Post { id: ID! author: User! }
type TextPost implements Post @key(fields: "id") { id: ID! body: String! @shareable author: User! @shareable }
type ImagePost implements Post @key(fields: "id") { id: ID! url: String! @shareable author: User! @shareable }
type User @key(fields: "id") { id: ID! }
"""
        ),
        "quick": Sub(
            """
type Query {
  feed: [Post] @shareable
    @provides(fields: "... on TextPost { author { name } } ... on ImagePost { author { name } }")
}
interface Post { id: ID! author: User! }
type TextPost implements Post @key(fields: "id") { id: ID! body: String! @shareable author: User! @shareable }
type ImagePost implements Post @key(fields: "id") { id: ID! url: String! @shareable author: User! @shareable }
type User @key(fields: "id") { id: ID! name: String! @external }
"""
        ),
        "users": Sub(USERS),
    },
    cases=[
        Case(
            "{ feed { id author { name } } }",
            expect={
                "feed": [
                    {"id": "t1", "author": {"name": "Ann"}},
                    {"id": "i1", "author": {"name": "Bob"}},
                    None,
                    {"id": "t2", "author": {"name": "Bob"}},
                ]
            },
        ),
        Case("{ feed { ... on TextPost { body author { id name } } ... on ImagePost { url } } }"),
    ],
)

v = World()
o1 = v("User", id="u1", name="Ann")
h1 = v("Hotel", id="h1", stars=4, owner=o1)
c1 = v("Camp", id="c1", pitches=20, owner=o1)

PROVIDES_UNION = declare(
    "root_provides_union",
    about="Query.stays (a union) in two subgraphs; one @provides the owner's name on a member",
    behaviours=[4, 10],
    directives=["@key", "@shareable", "@provides", "@external"],
    world=v,
    resolve={"Query.stays": [h1, c1]},
    subgraphs={
        "listing": Sub(
            """
type Query { stays: [Stay!]! @shareable }
union Stay = Hotel | Camp
type Hotel @key(fields: "id") { id: ID! stars: Int! @shareable owner: User! @shareable }
type Camp @key(fields: "id") { id: ID! pitches: Int! @shareable owner: User! @shareable }
type User @key(fields: "id") { id: ID! }
"""
        ),
        "search": Sub(
            """
type Query {
  stays: [Stay!]! @shareable @provides(fields: "... on Hotel { owner { name } }")
}
union Stay = Hotel | Camp
type Hotel @key(fields: "id") { id: ID! stars: Int! @shareable owner: User! @shareable }
type Camp @key(fields: "id") { id: ID! pitches: Int! @shareable owner: User! @shareable }
type User @key(fields: "id") { id: ID! name: String! @external }
"""
        ),
        "users": Sub(USERS),
    },
    cases=[
        Case(
            "{ stays { ... on Hotel { stars owner { name } } } }",
            expect={"stays": [{"stars": 4, "owner": {"name": "Ann"}}, {}]},
        ),
        "{ stays { __typename ... on Camp { owner { name } } ... on Hotel { owner { id } } } }",
    ],
)

x = World()
s1 = x("Shop", id="s1", title="Corner", owner={"__typename": "User", "id": "u1", "name": "Ann"})
x("User", id="u1", name="Ann")

PROVIDES_OBJECT = declare(
    "root_provides_object",
    about="the object case: two subgraphs serve Query.shops, the second @provides owner.name",
    behaviours=[4, 10],
    directives=["@key", "@shareable", "@provides", "@external"],
    world=x,
    resolve={"Query.shops": [s1]},
    subgraphs={
        "plain": Sub(
            """
type Query { shops: [Shop!]! @shareable }
type Shop @key(fields: "id") { id: ID! title: String! @shareable owner: User @shareable }
type User @key(fields: "id") { id: ID! }
"""
        ),
        "rich": Sub(
            """
type Query { shops: [Shop!]! @shareable @provides(fields: "owner { name }") }
type Shop @key(fields: "id") { id: ID! title: String! @shareable owner: User @shareable }
type User @key(fields: "id") { id: ID! name: String! @external }
"""
        ),
        "users": Sub(USERS),
    },
    cases=[
        Case(
            "{ shops { title owner { name } } }",
            expect={"shops": [{"title": "Corner", "owner": {"name": "Ann"}}]},
        ),
        "{ shops { owner { id } } }",
    ],
)

SCENARIOS = [PROVIDES_INTERFACE, PROVIDES_UNION, PROVIDES_OBJECT]
