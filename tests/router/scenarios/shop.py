"""Shop: root fields, entities, @provides, @requires (with arguments), errors, mutations."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

from router.testing.subgraph import SubgraphSpec
from tests.router.scenarios import Operation, Scenario

LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: [{}])\n'

ACCOUNTS = (
    LINK.format('"@key"')
    + """
type Query {
  me: User
  user(id: ID!): User
  users: [User!]!
}
type Mutation {
  setName(id: ID!, name: String!): User
  appendLog(text: String!): [String!]!
}
type User @key(fields: "id") {
  id: ID!
  name: String!
  username: String!
  birthday: Int
}
"""
)

PRODUCTS = (
    LINK.format('"@key"')
    + """
type Query {
  topProducts(first: Int = 5): [Product!]!
  product(upc: String!): Product
}
type Product @key(fields: "upc") {
  upc: String!
  name: String!
  price: Int!
  weight: Int!
}
"""
)

INVENTORY = (
    LINK.format('"@key", "@external", "@requires"')
    + """
type Product @key(fields: "upc") {
  upc: String!
  price: Int! @external
  weight: Int! @external
  inStock: Boolean!
  shippingEstimate(currency: String! = "USD"): String @requires(fields: "price weight")
}
"""
)

REVIEWS = (
    LINK.format('"@key", "@external", "@provides"')
    + """
type Query {
  reviews: [Review!]!
}
type Mutation {
  clearLog: [String!]!
}
type Review @key(fields: "id") {
  id: ID!
  body: String!
  author: User! @provides(fields: "username")
  product: Product!
  broken: String
}
type User @key(fields: "id") {
  id: ID!
  username: String! @external
  reviews: [Review!]!
}
type Product @key(fields: "upc") {
  upc: String!
  reviews: [Review!]!
  strict: String!
}
"""
)

USERS: list[dict[str, Any]] = [
    {"id": "1", "name": "Ada Lovelace", "username": "ada", "birthday": 1815},
    {"id": "2", "name": "Alan Turing", "username": "alan", "birthday": 1912},
    {"id": "3", "name": "Grace Hopper", "username": "grace", "birthday": None},
]
PRODUCTS_ROWS = [
    {"upc": "1", "name": "Table", "price": 899, "weight": 100},
    {"upc": "2", "name": "Couch", "price": 1299, "weight": 1000},
    {"upc": "3", "name": "Chair", "price": 54, "weight": 50},
]
STOCK = {"1": True, "2": False, "3": True}
REVIEWS_ROWS = [
    {"id": "10", "body": "Love it", "author": "1", "product": "1"},
    {"id": "11", "body": "Too big", "author": "2", "product": "2"},
    {"id": "12", "body": "Sturdy", "author": "1", "product": "3"},
    {"id": "13", "body": "Meh", "author": "3", "product": "1"},
]


def build() -> list[SubgraphSpec]:
    users = [dict(u) for u in USERS]
    log: list[str] = []

    def find_user(id_: str) -> dict[str, Any] | None:
        return next((u for u in users if u["id"] == id_), None)

    def user(_root: Any, _info: Any, id: str) -> dict[str, Any] | None:
        if id == "missing":
            raise GraphQLError("No such user", extensions={"code": "NOT_FOUND"})
        return find_user(id)

    def set_name(_root: Any, _info: Any, id: str, name: str) -> dict[str, Any] | None:
        found = find_user(id)
        if found is not None:
            found["name"] = name
        return found

    def append_log(_root: Any, _info: Any, text: str) -> list[str]:
        log.append(text)
        return list(log)

    def clear_log(_root: Any, _info: Any) -> list[str]:
        cleared = list(log)
        log.clear()
        return cleared

    accounts = SubgraphSpec(
        "accounts",
        ACCOUNTS,
        resolvers={
            "Query.me": lambda _r, _i: users[0],
            "Query.user": user,
            "Query.users": lambda _r, _i: users,
            "Mutation.setName": set_name,
            "Mutation.appendLog": append_log,
        },
        entities={"User": lambda rep: find_user(rep["id"])},
    )

    def product(upc: str) -> dict[str, Any] | None:
        return next((dict(p) for p in PRODUCTS_ROWS if p["upc"] == upc), None)

    products = SubgraphSpec(
        "products",
        PRODUCTS,
        resolvers={
            "Query.topProducts": lambda _r, _i, first=5: [dict(p) for p in PRODUCTS_ROWS][
                : max(first or 0, 0)
            ],
            "Query.product": lambda _r, _i, upc: product(upc),
        },
        entities={"Product": lambda rep: product(rep["upc"])},
    )

    def estimate(source: dict[str, Any], _info: Any, currency: str = "USD") -> str:
        return f"{source['price'] * source['weight'] // 1000} {currency}"

    inventory = SubgraphSpec(
        "inventory",
        INVENTORY,
        resolvers={"Product.shippingEstimate": estimate},
        entities={
            "Product": lambda rep: {
                "upc": rep["upc"],
                "inStock": STOCK[rep["upc"]],
                "price": rep.get("price"),
                "weight": rep.get("weight"),
            }
        },
    )

    def review(row: dict[str, Any]) -> dict[str, Any]:
        author = find_user(row["author"]) or {}
        return {
            "__typename": "Review",
            "id": row["id"],
            "body": row["body"],
            "author": {"__typename": "User", "id": row["author"], "username": author["username"]},
            "product": {"__typename": "Product", "upc": row["product"]},
        }

    def broken(_source: Any, _info: Any) -> str:
        raise GraphQLError("This review is broken", extensions={"code": "REVIEW_BROKEN"})

    def strict(source: dict[str, Any], _info: Any) -> str | None:
        return None if source["upc"] == "2" else f"strict-{source['upc']}"

    reviews = SubgraphSpec(
        "reviews",
        REVIEWS,
        resolvers={
            "Query.reviews": lambda _r, _i: [review(r) for r in REVIEWS_ROWS],
            "Mutation.clearLog": clear_log,
            "Review.broken": broken,
            "Product.strict": strict,
            "Product.reviews": lambda s, _i: [
                review(r) for r in REVIEWS_ROWS if r["product"] == s["upc"]
            ],
            "User.reviews": lambda s, _i: [
                review(r) for r in REVIEWS_ROWS if r["author"] == s["id"]
            ],
        },
        entities={
            "Review": lambda rep: next(
                (review(r) for r in REVIEWS_ROWS if r["id"] == rep["id"]), None
            ),
            "User": lambda rep: {"id": rep["id"]},
            "Product": lambda rep: {"upc": rep["upc"]},
        },
    )
    return [accounts, products, inventory, reviews]


CONDITIONAL = """
query Q($id: ID!, $withName: Boolean!) { user(id: $id) { id name @include(if: $withName) } }
"""

SCENARIO = Scenario(
    name="shop",
    build=build,
    operations=(
        Operation("{ me { id name username } }"),
        Operation("{ me { name reviews { body product { name price inStock } } } }"),
        Operation("{ topProducts { upc shippingEstimate inStock } }"),
        Operation('{ topProducts(first: 2) { eur: shippingEstimate(currency: "EUR") name } }'),
        Operation("{ reviews { id author { username name } } }"),
        Operation(CONDITIONAL, {"id": "2", "withName": True}),
        Operation(CONDITIONAL, {"id": "2", "withName": False}),
        Operation(
            "query { users { ...U } } fragment U on User { id ... on User { name } __typename }"
        ),
        Operation('{ user(id: "missing") { id } me { id } }'),
        Operation("{ me { reviews { id broken } } }"),
        Operation("{ topProducts { upc strict } }"),
        Operation('{ product(upc: "2") { name reviews { strict: body } } }'),
        Operation("{ __typename me { __typename id } }"),
        # A non-null error nulls the data while the authors' birthdays are still to be
        # fetched: Hive Gateway sends that request after answering (counted all the same).
        Operation("{ me { birthday } topProducts { reviews { author { birthday } } strict } }"),
    ),
)
