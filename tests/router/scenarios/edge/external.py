"""Behaviour 5: @external fields are read only where a subgraph really resolves them."""

from __future__ import annotations

from tests.router.scenarios.declare import Case, Sub, World, declare

w = World()
u1 = w("User", id="u1", email="ann@example.test", name="Ann")
u2 = w("User", id="u2", email="bob@example.test", name="Bob")
r1 = w("Review", id="r1", stars=5, author=u1)
r2 = w("Review", id="r2", stars=2, author=u2)

ACCOUNTS = """
type Query { users: [User!]! }
type User @key(fields: "id") @key(fields: "email") { id: ID! email: String! name: String! }
"""

REQUIRED_EXTERNAL = declare(
    "external_requires_key_of_other",
    about="User.email is @external in reviews (another subgraph's key): never read from there",
    behaviours=[5],
    directives=["@key", "@external", "@requires"],
    world=w,
    subgraphs={
        "accounts": Sub(ACCOUNTS, resolve={"Query.users": [u1, u2]}),
        "reviews": Sub(
            """
type Query { reviews: [Review!]! }
type Review { id: ID! stars: Int! author: User! }
type User @key(fields: "id") {
  id: ID!
  email: String! @external
  handle: String! @requires(fields: "email")
}
""",
            resolve={
                "Query.reviews": [r1, r2],
                "User.handle": lambda o: "@" + o["email"].split("@")[0],
            },
        ),
    },
    cases=[
        Case(
            "{ reviews { stars author { email handle } } }",
            expect={
                "reviews": [
                    {"stars": 5, "author": {"email": "ann@example.test", "handle": "@ann"}},
                    {"stars": 2, "author": {"email": "bob@example.test", "handle": "@bob"}},
                ]
            },
        ),
        "{ reviews { author { id email } } }",
        "{ users { handle name } }",
    ],
)

PROVIDES_PARTIAL = declare(
    "external_provides_some_paths",
    about="User.name is @provides'd on one root field of reviews and not on the other",
    generated_xfail="hive: Hive Gateway 2.15.1 reads User.name from reviews where no @provides covers it",
    behaviours=[5, 10],
    directives=["@key", "@external", "@provides"],
    world=w,
    subgraphs={
        "accounts": Sub(ACCOUNTS, resolve={"Query.users": [u1, u2]}),
        "reviews": Sub(
            """
type Query {
  topReviews: [Review!]! @provides(fields: "author { name }")
  reviews: [Review!]!
}
type Review { id: ID! stars: Int! author: User! }
type User @key(fields: "id") { id: ID! name: String! @external }
""",
            resolve={"Query.reviews": [r1, r2], "Query.topReviews": [r1]},
        ),
    },
    cases=[
        Case(
            "{ topReviews { author { name } } reviews { author { name } } }",
            expect={
                "topReviews": [{"author": {"name": "Ann"}}],
                "reviews": [{"author": {"name": "Ann"}}, {"author": {"name": "Bob"}}],
            },
            hive_wrong="Hive Gateway 2.15.1 reads User.name from reviews on the path without "
            "@provides (the subgraph cannot answer it)",
        ),
        Case(
            "{ reviews { author { id name } } }",
            expect={
                "reviews": [
                    {"author": {"id": "u1", "name": "Ann"}},
                    {"author": {"id": "u2", "name": "Bob"}},
                ]
            },
            hive_wrong="Hive Gateway 2.15.1 reads User.name from reviews on the path without "
            "@provides (the subgraph cannot answer it)",
        ),
        "{ topReviews { author { id name } } }",
    ],
)

v = World()
a1 = v("Author", id="a1", name="Le Guin", born=1929)
v("Author", id="a2", name="Orwell", born=1903)
b1 = v("Book", id="b1", title="Earthsea", author=a1)
b2 = v("Book", id="b2", title="Lost", author={"__typename": "Author", "id": "zz"})

EXTEND_STYLE = declare(
    "external_extend_reference",
    about="a Federation 1 style `extend type ... @key` with the key @external, unknown ids",
    behaviours=[5],
    directives=["@key", "@external"],
    world=v,
    subgraphs={
        "authors": Sub('type Author @key(fields: "id") { id: ID! name: String! born: Int }\n'),
        "books": Sub(
            """
type Query { books: [Book!]! }
type Book @key(fields: "id") { id: ID! title: String! author: Author }
extend type Author @key(fields: "id") { id: ID! @external }
""",
            resolve={"Query.books": [b1, b2]},
        ),
    },
    cases=[
        Case(
            "{ books { title author { id name born } } }",
            expect={
                "books": [
                    {"title": "Earthsea", "author": {"id": "a1", "name": "Le Guin", "born": 1929}},
                    {"title": "Lost", "author": None},
                ]
            },
        ),
        "{ books { author { id } } }",
    ],
)

SCENARIOS = [REQUIRED_EXTERNAL, PROVIDES_PARTIAL, EXTEND_STYLE]
