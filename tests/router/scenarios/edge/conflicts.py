"""Behaviour 1: response-key conflicts inside one subgraph selection."""

from __future__ import annotations

from typing import Any

from tests.router.scenarios.declare import Case, Fail, Sub, World, declare

w = World()
c = [w("Comment", id=f"c{i}", body=f"comment {i}") for i in range(1, 5)]
p1 = w("Post", id="p1", title="One", comments=lambda _o, limit: c[:limit])
p2 = w("Post", id="p2", title="Two", comments=lambda _o, limit: [c[3], None][:limit])


def _summary(post: dict[str, Any]) -> str:
    return "first: " + ", ".join(x["body"] if x else "-" for x in post["comments"])


REQUIRES_ARGS = declare(
    "conflict_requires_args",
    about="a @requires field with other arguments than the client's field of that name",
    behaviours=[1, 8],
    directives=["@key", "@requires", "@external"],
    world=w,
    subgraphs={
        "posts": Sub(
            """
type Query { posts: [Post!]! }
type Post @key(fields: "id") { id: ID! title: String! comments(limit: Int!): [Comment]! }
type Comment { id: ID! body: String! }
""",
            resolve={"Query.posts": [p1, p2]},
        ),
        "digest": Sub(
            """
type Post @key(fields: "id") {
  id: ID!
  comments(limit: Int!): [Comment]! @external
  summary: String! @requires(fields: "comments(limit: 1) { body }")
}
type Comment { body: String! @external }
""",
            resolve={"Post.summary": lambda o: _summary(o)},
        ),
    },
    cases=[
        Case(
            "{ posts { id comments(limit: 3) { body } summary } }",
            expect={
                "posts": [
                    {
                        "id": "p1",
                        "comments": [{"body": f"comment {i}"} for i in (1, 2, 3)],
                        "summary": "first: comment 1",
                    },
                    {
                        "id": "p2",
                        "comments": [{"body": "comment 4"}, None],
                        "summary": "first: comment 4",
                    },
                ]
            },
        ),
        Case(
            "{ posts { summary comments(limit: 2) { id } } }",
        ),
        "{ posts { title summary } }",
    ],
)

v = World()
pr = [v("Product", upc="u1", name="Desk", base=100), v("Product", upc="u2", name="Lamp", base=0)]


def _price(product: dict[str, Any], currency: str) -> int | Fail:
    if product["base"] == 0 and currency == "USD":
        return Fail("no price for a free product")
    return int(product["base"]) * (2 if currency == "EUR" else 3)


REQUIRES_CURRENCY = declare(
    "conflict_requires_currency",
    about="price(currency:) asked by the client and by a @requires with another currency",
    behaviours=[1],
    directives=["@key", "@requires", "@external"],
    world=v,
    subgraphs={
        "catalog": Sub(
            """
type Query { products: [Product!]! }
type Product @key(fields: "upc") { upc: String! name: String! }
""",
            resolve={"Query.products": pr},
        ),
        "pricing": Sub(
            """
type Product @key(fields: "upc") { upc: String! price(currency: String!): Int }
""",
            resolve={"Product.price": _price},
        ),
        "shipping": Sub(
            """
type Product @key(fields: "upc") {
  upc: String!
  price(currency: String!): Int @external
  shipping: Int @requires(fields: "price(currency: \\"EUR\\")")
}
""",
            resolve={"Product.shipping": lambda o: (o.get("price") or 0) // 10},
        ),
    },
    cases=[
        Case(
            '{ products { name price(currency: "USD") shipping } }',
            expect={
                "products": [
                    {"name": "Desk", "price": 300, "shipping": 20},
                    {"name": "Lamp", "price": None, "shipping": 0},
                ]
            },
        ),
        '{ products { shipping price(currency: "EUR") } }',
        '{ products { usd: price(currency: "USD") eur: price(currency: "EUR") shipping } }',
    ],
)

n = World()
a1 = n("Article", id="a1", ref="A-1", text="hello")
s1 = n("Snippet", id="s1", ref=None, size=3)
s2 = n("Snippet", id="s2", ref="S-2", size=4)

NULLABILITY = declare(
    "conflict_id_nullability",
    about="a key `id: ID!` on one union member and a client `id: ID` on another, one selection",
    behaviours=[1],
    directives=["@key"],
    world=n,
    subgraphs={
        "content": Sub(
            """
type Query { items: [Item]! }
union Item = Article | Snippet
type Article @key(fields: "id") { id: ID! ref: String! }
type Snippet { id: ID ref: String size: Int! }
""",
            resolve={"Query.items": [a1, None, s1, s2]},
        ),
        "texts": Sub('type Article @key(fields: "id") { id: ID! text: String! }\n'),
    },
    cases=[
        Case(
            "{ items { ... on Article { text } ... on Snippet { id size } } }",
            expect={
                "items": [{"text": "hello"}, None, {"id": "s1", "size": 3}, {"id": "s2", "size": 4}]
            },
        ),
        "{ items { __typename ... on Snippet { size ref } ... on Article { text } } }",
    ],
)

k = World()
m1 = k(
    "Member", id="m1", name="Ann", stats=lambda _o, period: {"views": 7 if period == "day" else 50}
)
m2 = k("Member", id="m2", name="Bob", stats=lambda _o, period: None)

NESTED_ARGS = declare(
    "conflict_requires_nested_args",
    about="a nested @requires selection with an argument the client also uses differently",
    behaviours=[1, 8],
    directives=["@key", "@requires", "@external", "@shareable"],
    world=k,
    subgraphs={
        "members": Sub(
            """
type Query { members: [Member!]! }
type Member @key(fields: "id") { id: ID! name: String! stats(period: String!): Stats }
type Stats @shareable { views: Int! }
""",
            resolve={"Query.members": [m1, m2]},
        ),
        "badges": Sub(
            """
type Member @key(fields: "id") {
  id: ID!
  stats(period: String!): Stats @external
  badge: String! @requires(fields: "stats(period: \\"week\\") { views }")
}
type Stats @shareable { views: Int! }
""",
            resolve={
                "Member.badge": lambda o: (
                    "gold" if (o.get("stats") or {}).get("views", 0) > 10 else "none"
                )
            },
        ),
    },
    cases=[
        Case(
            '{ members { name stats(period: "day") { views } badge } }',
            expect={
                "members": [
                    {"name": "Ann", "stats": {"views": 7}, "badge": "gold"},
                    {"name": "Bob", "stats": None, "badge": "none"},
                ]
            },
        ),
        "{ members { badge } }",
    ],
)

SCENARIOS = [REQUIRES_ARGS, REQUIRES_CURRENCY, NULLABILITY, NESTED_ARGS]
