"""Behaviour 10: lean plans (no fetch a better plan would not make), counted at the servers."""

from __future__ import annotations

from tests.router.scenarios.declare import Case, Sub, World, declare

w = World()
u1 = w("User", id="u1", name="Ann", score=3, avatar="/a")
u2 = w("User", id="u2", name="Bob", score=1, avatar="/b")
g1 = w("Group", id="g1", owner=u1, members=[u1, u2])

SIBLINGS = declare(
    "lean_sibling_entities",
    about="the same entity type at several places of one response, fields from one subgraph",
    behaviours=[10],
    directives=["@key"],
    world=w,
    subgraphs={
        "groups": Sub(
            """
type Query { groups: [Group!]! me: User }
type Group @key(fields: "id") { id: ID! owner: User! members: [User!]! }
type User @key(fields: "id") { id: ID! }
""",
            resolve={"Query.groups": [g1], "Query.me": u2},
        ),
        "profiles": Sub('type User @key(fields: "id") { id: ID! name: String! avatar: String! }\n'),
        "scores": Sub('type User @key(fields: "id") { id: ID! score: Int! }\n'),
    },
    cases=[
        Case(
            "{ me { name } groups { owner { name avatar } members { name } } }",
            expect={
                "me": {"name": "Bob"},
                "groups": [
                    {
                        "owner": {"name": "Ann", "avatar": "/a"},
                        "members": [{"name": "Ann"}, {"name": "Bob"}],
                    }
                ],
            },
        ),
        "{ groups { owner { name score } members { score avatar } } }",
    ],
)

v = World()
v1 = v("Venue", id="v1", name="Hall", city="Oslo", seats=100)

SHAREABLE_STAY = declare(
    "lean_shareable_stay_local",
    about="fields @shareable in the current subgraph are read there, not fetched elsewhere",
    behaviours=[10],
    directives=["@key", "@shareable"],
    world=v,
    subgraphs={
        "venues": Sub(
            """
type Query { venues: [Venue!]! }
type Venue @key(fields: "id") { id: ID! name: String! @shareable city: String! @shareable }
""",
            resolve={"Query.venues": [v1]},
        ),
        "maps": Sub(
            """
type Venue @key(fields: "id") { id: ID! name: String! @shareable city: String! @shareable seats: Int! }
"""
        ),
    },
    cases=[
        Case("{ venues { name city } }", expect={"venues": [{"name": "Hall", "city": "Oslo"}]}),
        "{ venues { seats name city } }",
    ],
)

x = World()
a1 = x("Author", id="a1", name="Ann", bio="writes")
p1 = x("Post", id="p1", title="T", author=a1)
p2 = x("Post", id="p2", title="U", author=a1)

PROVIDES_SKIP = declare(
    "lean_provides_nested",
    about="@provides on a nested path makes the entity fetch unnecessary; same entity twice",
    behaviours=[10],
    directives=["@key", "@provides", "@external"],
    world=x,
    subgraphs={
        "posts": Sub(
            """
type Query { posts: [Post!]! }
type Post @key(fields: "id") { id: ID! title: String! author: Author! @provides(fields: "name") }
type Author @key(fields: "id") { id: ID! name: String! @external }
""",
            resolve={"Query.posts": [p1, p2]},
        ),
        "authors": Sub('type Author @key(fields: "id") { id: ID! name: String! bio: String! }\n'),
    },
    cases=[
        Case(
            "{ posts { title author { name } } }",
            expect={
                "posts": [
                    {"title": "T", "author": {"name": "Ann"}},
                    {"title": "U", "author": {"name": "Ann"}},
                ]
            },
        ),
        "{ posts { author { name bio } } }",
    ],
)

y = World()
q1 = y("Quote", id="q1", amount=10, currency="EUR", rate=2, fee=1)

SAME_SUBGRAPH_TWICE = declare(
    "lean_requires_same_subgraph",
    about="a @requires satisfied by the subgraph that also answers the client's other fields",
    behaviours=[10],
    directives=["@key", "@requires", "@external"],
    world=y,
    subgraphs={
        "quotes": Sub(
            """
type Query { quotes: [Quote!]! }
type Quote @key(fields: "id") { id: ID! amount: Int! currency: String! }
""",
            resolve={"Query.quotes": [q1]},
        ),
        "fx": Sub(
            """
type Quote @key(fields: "id") {
  id: ID!
  amount: Int! @external
  currency: String! @external
  converted: Int! @requires(fields: "amount currency")
  rate: Int!
  fee: Int!
}
""",
            resolve={
                "Quote.converted": lambda o: o["amount"] * (2 if o["currency"] == "EUR" else 1)
            },
        ),
    },
    cases=[
        Case(
            "{ quotes { converted rate fee } }",
            expect={"quotes": [{"converted": 20, "rate": 2, "fee": 1}]},
        ),
        "{ quotes { amount converted } }",
    ],
)

SCENARIOS = [SIBLINGS, SHAREABLE_STAY, PROVIDES_SKIP, SAME_SUBGRAPH_TWICE]
